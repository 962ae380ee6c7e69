"""Organisations every installation has: the regional HR department and the 14 prefecture bureaus. Their names
are stored in Chinese (gettext_noop: the prefectures' names are translated where shown, Prefecture.shown)."""

from django.utils.translation import gettext_noop

PREFECTURES = [
    ("650100", gettext_noop("乌鲁木齐市")),
    ("650200", gettext_noop("克拉玛依市")),
    ("650400", gettext_noop("吐鲁番市")),
    ("650500", gettext_noop("哈密市")),
    ("652300", gettext_noop("昌吉回族自治州")),
    ("652700", gettext_noop("博尔塔拉蒙古自治州")),
    ("652800", gettext_noop("巴音郭楞蒙古自治州")),
    ("652900", gettext_noop("阿克苏地区")),
    ("653000", gettext_noop("克孜勒苏柯尔克孜自治州")),
    ("653100", gettext_noop("喀什地区")),
    ("653200", gettext_noop("和田地区")),
    ("654000", gettext_noop("伊犁哈萨克自治州")),
    ("654200", gettext_noop("塔城地区")),
    ("654300", gettext_noop("阿勒泰地区")),
]
HR_REGION_NAME = gettext_noop("自治区人力资源和社会保障厅专业技术人员管理处")


def prefecture_bureau_name(prefecture_name: str) -> str:
    return gettext_noop("%(prefecture_name)s人力资源和社会保障局") % {"prefecture_name": prefecture_name}


def seed_organisations(Prefecture, Organisation) -> None:
    Organisation.objects.get_or_create(name=HR_REGION_NAME, defaults={"kind": "hr_region"})
    for code, name in PREFECTURES:
        prefecture, _ = Prefecture.objects.get_or_create(code=code, defaults={"name": name})
        Organisation.objects.get_or_create(
            name=prefecture_bureau_name(name), defaults={"kind": "hr_prefecture", "prefecture": prefecture}
        )
