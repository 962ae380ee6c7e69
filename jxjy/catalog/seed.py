"""The national 职称系列 with their specialties and levels, plus every name the operation guide shows.

Loaded by a data migration; the administrator edits it afterwards. Running it again adds what is missing and
changes nothing else. The names are stored in Chinese and shown in the page's language (Series.shown …;
gettext_noop registers them for the catalogue).
"""

from django.utils.translation import gettext_noop

CATALOGUE: list[tuple[str, list[str], list[str]]] = [
    # (系列, 专业, 级别) — 工程系列 first, with the guide's specialties.
    (
        gettext_noop("工程系列"),
        [
            gettext_noop("建材专业"),
            gettext_noop("林业专业"),
            gettext_noop("公路工程"),
            gettext_noop("生态环境保护专业"),
            gettext_noop("水利专业"),
            gettext_noop("建筑工程"),
            gettext_noop("电力工程"),
            gettext_noop("机械工程"),
            gettext_noop("电子信息"),
            gettext_noop("化工"),
            gettext_noop("地质矿产"),
            gettext_noop("测绘"),
            gettext_noop("交通运输"),
            gettext_noop("农业工程"),
            gettext_noop("环境工程"),
        ],
        [
            gettext_noop("正高级工程师"),
            gettext_noop("高级工程师"),
            gettext_noop("工程师"),
            gettext_noop("助理工程师"),
            gettext_noop("技术员"),
        ],
    ),
    (
        gettext_noop("教师系列"),
        [
            gettext_noop("高等学校教师"),
            gettext_noop("中等职业学校教师"),
            gettext_noop("技工院校教师"),
            gettext_noop("中小学教师"),
        ],
        [
            gettext_noop("正高级"),
            gettext_noop("副高级"),
            gettext_noop("中级"),
            gettext_noop("助理级"),
            gettext_noop("员级"),
        ],
    ),
    (
        gettext_noop("经济系列"),
        [
            gettext_noop("工商管理"),
            gettext_noop("财政税收"),
            gettext_noop("金融"),
            gettext_noop("人力资源管理"),
            gettext_noop("农业经济"),
            gettext_noop("知识产权"),
            gettext_noop("运输经济"),
            gettext_noop("建筑与房地产经济"),
        ],
        [gettext_noop("正高级经济师"), gettext_noop("高级经济师"), gettext_noop("经济师"), gettext_noop("助理经济师")],
    ),
    (
        gettext_noop("文物博物专业"),
        [gettext_noop("文物博物")],
        [gettext_noop("研究馆员"), gettext_noop("副研究馆员"), gettext_noop("馆员"), gettext_noop("助理馆员")],
    ),
    (
        gettext_noop("自然科学研究"),
        [gettext_noop("自然科学研究")],
        [gettext_noop("研究员"), gettext_noop("副研究员"), gettext_noop("助理研究员"), gettext_noop("研究实习员")],
    ),
    (
        gettext_noop("哲学社会科学研究"),
        [gettext_noop("哲学社会科学研究")],
        [gettext_noop("研究员"), gettext_noop("副研究员"), gettext_noop("助理研究员"), gettext_noop("研究实习员")],
    ),
    (
        gettext_noop("卫生系列"),
        [gettext_noop("医疗"), gettext_noop("护理"), gettext_noop("药学"), gettext_noop("技术")],
        [
            gettext_noop("主任医（药、护、技）师"),
            gettext_noop("副主任医（药、护、技）师"),
            gettext_noop("主治（主管）医（药、护、技）师"),
            gettext_noop("医（药、护、技）师"),
            gettext_noop("医（药、护、技）士"),
        ],
    ),
    (
        gettext_noop("农业系列"),
        [gettext_noop("农学"), gettext_noop("畜牧兽医"), gettext_noop("农业经济")],
        [
            gettext_noop("正高级农艺师"),
            gettext_noop("高级农艺师"),
            gettext_noop("农艺师"),
            gettext_noop("助理农艺师"),
            gettext_noop("技术员"),
        ],
    ),
    (
        gettext_noop("会计系列"),
        [gettext_noop("会计")],
        [gettext_noop("正高级会计师"), gettext_noop("高级会计师"), gettext_noop("会计师"), gettext_noop("助理会计师")],
    ),
    (
        gettext_noop("审计系列"),
        [gettext_noop("审计")],
        [gettext_noop("正高级审计师"), gettext_noop("高级审计师"), gettext_noop("审计师"), gettext_noop("助理审计师")],
    ),
    (
        gettext_noop("统计系列"),
        [gettext_noop("统计")],
        [gettext_noop("正高级统计师"), gettext_noop("高级统计师"), gettext_noop("统计师"), gettext_noop("助理统计师")],
    ),
    (
        gettext_noop("实验技术系列"),
        [gettext_noop("实验技术")],
        [
            gettext_noop("正高级实验师"),
            gettext_noop("高级实验师"),
            gettext_noop("实验师"),
            gettext_noop("助理实验师"),
            gettext_noop("实验员"),
        ],
    ),
    (
        gettext_noop("图书资料系列"),
        [gettext_noop("图书资料")],
        [
            gettext_noop("研究馆员"),
            gettext_noop("副研究馆员"),
            gettext_noop("馆员"),
            gettext_noop("助理馆员"),
            gettext_noop("管理员"),
        ],
    ),
    (
        gettext_noop("档案系列"),
        [gettext_noop("档案")],
        [
            gettext_noop("研究馆员"),
            gettext_noop("副研究馆员"),
            gettext_noop("馆员"),
            gettext_noop("助理馆员"),
            gettext_noop("管理员"),
        ],
    ),
    (
        gettext_noop("工艺美术系列"),
        [gettext_noop("工艺美术")],
        [
            gettext_noop("正高级工艺美术师"),
            gettext_noop("高级工艺美术师"),
            gettext_noop("工艺美术师"),
            gettext_noop("助理工艺美术师"),
            gettext_noop("工艺美术员"),
        ],
    ),
    (
        gettext_noop("新闻系列"),
        [gettext_noop("新闻")],
        [
            gettext_noop("高级记者（编辑）"),
            gettext_noop("主任记者（编辑）"),
            gettext_noop("记者（编辑）"),
            gettext_noop("助理记者（编辑）"),
        ],
    ),
    (
        gettext_noop("出版系列"),
        [gettext_noop("出版")],
        [gettext_noop("编审"), gettext_noop("副编审"), gettext_noop("编辑"), gettext_noop("助理编辑")],
    ),
    (
        gettext_noop("翻译系列"),
        [gettext_noop("翻译")],
        [gettext_noop("译审"), gettext_noop("一级翻译"), gettext_noop("二级翻译"), gettext_noop("三级翻译")],
    ),
    (
        gettext_noop("播音主持系列"),
        [gettext_noop("播音主持")],
        [
            gettext_noop("播音指导"),
            gettext_noop("主任播音员主持人"),
            gettext_noop("一级播音员主持人"),
            gettext_noop("二级播音员主持人"),
            gettext_noop("三级播音员主持人"),
        ],
    ),
    (
        gettext_noop("艺术系列"),
        [gettext_noop("演员"), gettext_noop("演奏员"), gettext_noop("舞台技术"), gettext_noop("美术")],
        [gettext_noop("一级"), gettext_noop("二级"), gettext_noop("三级"), gettext_noop("四级")],
    ),
    (
        gettext_noop("体育系列"),
        [gettext_noop("体育教练员")],
        [gettext_noop("国家级教练"), gettext_noop("高级教练"), gettext_noop("中级教练"), gettext_noop("初级教练")],
    ),
    (
        gettext_noop("律师系列"),
        [gettext_noop("律师")],
        [gettext_noop("一级律师"), gettext_noop("二级律师"), gettext_noop("三级律师"), gettext_noop("四级律师")],
    ),
    (
        gettext_noop("公证员系列"),
        [gettext_noop("公证员")],
        [
            gettext_noop("一级公证员"),
            gettext_noop("二级公证员"),
            gettext_noop("三级公证员"),
            gettext_noop("四级公证员"),
        ],
    ),
    (
        gettext_noop("社会工作系列"),
        [gettext_noop("社会工作")],
        [
            gettext_noop("正高级社会工作师"),
            gettext_noop("高级社会工作师"),
            gettext_noop("社会工作师"),
            gettext_noop("助理社会工作师"),
        ],
    ),
    (
        gettext_noop("船舶技术系列"),
        [gettext_noop("驾驶"), gettext_noop("轮机"), gettext_noop("电子电气")],
        [
            gettext_noop("正高级船长（轮机长、电子电气员）"),
            gettext_noop("高级船长（轮机长、电子电气员）"),
            gettext_noop("船长（轮机长、电子电气员）"),
            gettext_noop("大副（大管轮）"),
            gettext_noop("三副（三管轮）"),
        ],
    ),
    (
        gettext_noop("民用航空飞行技术系列"),
        [gettext_noop("飞行技术")],
        [
            gettext_noop("一级飞行员"),
            gettext_noop("二级飞行员"),
            gettext_noop("三级飞行员"),
            gettext_noop("四级飞行员"),
        ],
    ),
    (
        gettext_noop("技工院校教师系列"),
        [gettext_noop("技工院校教师")],
        [gettext_noop("正高级讲师"), gettext_noop("高级讲师"), gettext_noop("讲师"), gettext_noop("助理讲师")],
    ),
]


def seed_catalogue(Series, Specialty, Level) -> None:
    """Create whatever of CATALOGUE is missing (models passed in so a migration can use its own)."""
    for s_order, (series_name, specialties, levels) in enumerate(CATALOGUE, start=1):
        series, _ = Series.objects.get_or_create(name=series_name, defaults={"order": s_order})
        for order, name in enumerate(specialties, start=1):
            Specialty.objects.get_or_create(series=series, name=name, defaults={"order": order})
        for order, name in enumerate(levels, start=1):
            Level.objects.get_or_create(series=series, name=name, defaults={"order": order})
