"""`manage.py deliver_outbox`: the sweep for a timer or cron, delivering what a dead process left behind."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.notify import delivery
from jxjy.notify.models import Outbox, OutboxStatus


class Command(BaseCommand):
    help = gettext_lazy("发送到期的待发消息（短信、邮件），含进程中断后遗留的消息；可由定时任务每分钟运行。")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help=_("本次最多发送的条数"))

    def handle(self, *args, limit: int, **options):
        sent = delivery.deliver_due(limit=limit)
        pending = Outbox.objects.filter(status=OutboxStatus.PENDING).count()
        failed = Outbox.objects.filter(status=OutboxStatus.FAILED).count()
        self.stdout.write(
            _("已发送 %(sent)s 条；待发送 %(pending)s 条；发送失败 %(failed)s 条。")
            % {"sent": sent, "pending": pending, "failed": failed}
        )
