import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.stats import totals


class Command(BaseCommand):
    help = gettext_lazy(
        "从培训前备案、培训信息、报名、电子证书和学时记录重新计算统计汇总；"
        "--check 只比较汇总与直接统计，不一致时列出差异并以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help=_("只比较，不修改"))
        parser.add_argument("--limit", type=int, default=50, help=_("每张表最多列出多少处差异（默认 50）"))

    def handle(self, *args, check: bool, limit: int, **options):
        started = time.perf_counter()
        if not check:
            written = totals.rebuild()
            self.stdout.write(
                _(
                    "统计汇总已重新计算：汇总 %(totals)s 行，学员年度学时 %(learner_years)s 行，学员培训基地 "
                    "%(learner_bases)s 行，学员学时分布 %(learner_counts)s 行，用时 %(seconds)s 秒。"
                )
                % {
                    "totals": written["totals"],
                    "learner_years": written["learner_years"],
                    "learner_bases": written["learner_bases"],
                    "learner_counts": written["learner_counts"],
                    "seconds": format(time.perf_counter() - started, ".1f"),
                }
            )
            return
        result = totals.check(limit=limit)
        if result.ok:
            self.stdout.write(
                _("统计汇总与直接统计一致（用时 %(seconds)s 秒）。")
                % {"seconds": format(time.perf_counter() - started, ".1f")}
            )
            return
        for difference in result.differences:
            self.stdout.write(str(difference))
        rows = "，".join((_("%(table)s %(n)s 行") % {"table": table, "n": n}) for table, n in result.rows.items() if n)
        raise CommandError(f"统计汇总与直接统计不一致：{rows}。运行 manage.py rebuild_stats 可重新计算。")
