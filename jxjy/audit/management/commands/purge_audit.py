import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jxjy.audit import chain as audit_chain
from jxjy.core import clock


class Command(BaseCommand):
    help = "清理超过保留期（JXJY_AUDIT_RETENTION_DAYS，不少于184天）的审计日志；清理后哈希链仍可校验。"

    def add_arguments(self, parser):
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument("--before", type=dt.date.fromisoformat, help="清理此日期（YYYY-MM-DD，本地时间）以前的记录")
        when.add_argument("--days", type=int, help="清理多少天以前的记录")

    def handle(self, *args, before=None, days=None, **options):
        if before is not None:
            cutoff = dt.datetime.combine(before, dt.time.min, tzinfo=timezone.get_current_timezone())
        else:
            cutoff = clock.now() - dt.timedelta(days=days)
        try:
            count = audit_chain.purge_before(cutoff)
        except audit_chain.PurgeRefused as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"已清理{count}条审计日志（{timezone.localtime(cutoff):%Y-%m-%d %H:%M} 以前）。")
