import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.audit import chain as audit_chain
from jxjy.core import clock


class Command(BaseCommand):
    help = gettext_lazy("清理超过保留期（JXJY_AUDIT_RETENTION_DAYS，不少于184天）的审计日志；清理后哈希链仍可校验。")

    def add_arguments(self, parser):
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument(
            "--before", type=dt.date.fromisoformat, help=_("清理此日期（YYYY-MM-DD，本地时间）以前的记录")
        )
        when.add_argument("--days", type=int, help=_("清理多少天以前的记录"))

    def handle(self, *args, before=None, days=None, **options):
        if before is not None:
            cutoff = dt.datetime.combine(before, dt.time.min, tzinfo=timezone.get_current_timezone())
        else:
            cutoff = clock.now() - dt.timedelta(days=days)
        try:
            count = audit_chain.purge_before(cutoff)
        except audit_chain.PurgeRefused as e:
            raise CommandError(str(e)) from None
        self.stdout.write(
            _("已清理%(count)s条审计日志（%(localtime)s 以前）。")
            % {"count": count, "localtime": format(timezone.localtime(cutoff), "%Y-%m-%d %H:%M")}
        )
