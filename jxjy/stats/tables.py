"""The tables of the statistics page, shared by the page and its Excel export."""

from django.utils import timezone

from jxjy.accounts.models import User

from . import services

SERIES_METRICS = [(m, label) for m, label in services.METRICS if m in services.SERIES_PATH]


def tables_for(user: User, year: int) -> list[dict]:
    f = services.figures(user, year)
    overview = services.overview(user, year, f=f)
    met, learners = f.met, f.learners
    return [
        {"title": "总体情况", "columns": [("value", "数量")], "no_bars": True,
         "note": f"统计时间 {timezone.localtime(f.computed_at):%Y-%m-%d %H:%M}",
         "rows": [services.Row(label, {"value": overview[m]}) for m, label in services.METRICS]},
        {"title": "按地州", "columns": services.METRICS, "rows": services.by_prefecture(user, year, f=f)},
        {"title": "按基地级别", "columns": services.METRICS, "rows": services.by_level(user, year, f=f)},
        {"title": "按系列（学员报名专业）", "columns": SERIES_METRICS, "rows": services.by_series(user, year, f=f)},
        {"title": "学时达标情况", "columns": [("value", "人数")], "no_bars": True,
         "rows": [services.Row("取得学时的学员", {"value": learners}), services.Row("达标学员", {"value": met})],
         "note": f"达标率 {met * 100 / learners:.1f}%" if learners else "暂无学时记录"},
    ]  # fmt: skip
