"""Organisations every installation has: the regional HR department and the 14 prefecture bureaus."""

from django.utils.translation import gettext, gettext_lazy

PREFECTURES = [
    ("650100", gettext_lazy("乌鲁木齐市")),
    ("650200", gettext_lazy("克拉玛依市")),
    ("650400", gettext_lazy("吐鲁番市")),
    ("650500", gettext_lazy("哈密市")),
    ("652300", gettext_lazy("昌吉回族自治州")),
    ("652700", gettext_lazy("博尔塔拉蒙古自治州")),
    ("652800", gettext_lazy("巴音郭楞蒙古自治州")),
    ("652900", gettext_lazy("阿克苏地区")),
    ("653000", gettext_lazy("克孜勒苏柯尔克孜自治州")),
    ("653100", gettext_lazy("喀什地区")),
    ("653200", gettext_lazy("和田地区")),
    ("654000", gettext_lazy("伊犁哈萨克自治州")),
    ("654200", gettext_lazy("塔城地区")),
    ("654300", gettext_lazy("阿勒泰地区")),
]
HR_REGION_NAME = gettext_lazy("自治区人力资源和社会保障厅专业技术人员管理处")


def prefecture_bureau_name(prefecture_name: str) -> str:
    return gettext("%(prefecture_name)s人力资源和社会保障局") % {"prefecture_name": prefecture_name}


def seed_organisations(Prefecture, Organisation) -> None:
    Organisation.objects.get_or_create(name=HR_REGION_NAME, defaults={"kind": "hr_region"})
    for code, name in PREFECTURES:
        prefecture, _ = Prefecture.objects.get_or_create(code=code, defaults={"name": name})
        Organisation.objects.get_or_create(
            name=prefecture_bureau_name(name), defaults={"kind": "hr_prefecture", "prefecture": prefecture}
        )
