"""Remove finished jobs (and their files) older than JXJY_JOB_KEEP_DAYS; run nightly."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext, gettext_lazy

from jxjy.core import clock
from jxjy.jobs.models import Job


class Command(BaseCommand):
    help = gettext_lazy("删除超过保留天数的后台任务及其文件")

    def handle(self, *args, **options):
        cutoff = clock.now() - dt.timedelta(days=settings.JXJY_JOB_KEEP_DAYS)
        old = Job.objects.filter(finished_at__lt=cutoff)
        for job in old:
            if job.file:
                job.file.delete(save=False)
        count, _ = old.delete()
        self.stdout.write(gettext("已删除 %(count)s 个过期的后台任务。") % {"count": count})
