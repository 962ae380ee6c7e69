import time

from django.core.management.base import BaseCommand, CommandError

from jxjy.stats import totals


class Command(BaseCommand):
    help = (
        "从培训前备案、培训信息、报名、电子证书和学时记录重新计算统计汇总；"
        "--check 只比较汇总与直接统计，不一致时列出差异并以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只比较，不修改")
        parser.add_argument("--limit", type=int, default=50, help="每张表最多列出多少处差异（默认 50）")

    def handle(self, *args, check: bool, limit: int, **options):
        started = time.perf_counter()
        if not check:
            written = totals.rebuild()
            self.stdout.write(
                f"统计汇总已重新计算：汇总 {written['totals']} 行，学员年度学时 {written['learner_years']} 行，"
                f"学员培训基地 {written['learner_bases']} 行，学员学时分布 {written['learner_counts']} 行，"
                f"用时 {time.perf_counter() - started:.1f} 秒。"
            )
            return
        result = totals.check(limit=limit)
        if result.ok:
            self.stdout.write(f"统计汇总与直接统计一致（用时 {time.perf_counter() - started:.1f} 秒）。")
            return
        for difference in result.differences:
            self.stdout.write(str(difference))
        rows = "，".join(f"{table} {n} 行" for table, n in result.rows.items() if n)
        raise CommandError(f"统计汇总与直接统计不一致：{rows}。运行 manage.py rebuild_stats 可重新计算。")
