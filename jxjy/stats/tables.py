"""The tables of the statistics page, shared by the page and its Excel export."""

from django.utils import timezone
from django.utils.translation import gettext as _

from jxjy.accounts.models import User

from . import services

SERIES_METRICS = [(m, label) for m, label in services.METRICS if m in services.SERIES_PATH]


def tables_for(user: User, year: int) -> list[dict]:
    f = services.figures(user, year)
    overview = services.overview(user, year, f=f)
    met, learners = f.met, f.learners
    return [
        {
            "title": _("总体情况"),
            "columns": [("value", _("数量"))],
            "no_bars": True,
            "note": (_("统计时间 %(time)s") % {"time": format(timezone.localtime(f.computed_at), "%Y-%m-%d %H:%M")}),
            "rows": [services.Row(label, {"value": overview[m]}) for m, label in services.METRICS],
        },
        {"title": _("按地州"), "columns": services.METRICS, "rows": services.by_prefecture(user, year, f=f)},
        {"title": _("按基地级别"), "columns": services.METRICS, "rows": services.by_level(user, year, f=f)},
        {"title": _("按系列（学员报名专业）"), "columns": SERIES_METRICS, "rows": services.by_series(user, year, f=f)},
        {
            "title": _("学时达标情况"),
            "columns": [("value", _("人数"))],
            "no_bars": True,
            "rows": [
                services.Row(_("取得学时的学员"), {"value": learners}),
                services.Row(_("达标学员"), {"value": met}),
            ],
            "note": (_("达标率 %(rate)s%%") % {"rate": format(met * 100 / learners, ".1f")})
            if learners
            else _("暂无学时记录"),
        },
    ]
