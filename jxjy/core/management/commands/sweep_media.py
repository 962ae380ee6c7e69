import datetime as dt

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core.media_sweep import find_orphans


class Command(BaseCommand):
    help = gettext_lazy(
        "清理附件存储中没有任何记录引用、且超过一定时间（默认24小时）未修改的文件；--dry-run 只列出不删除。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("只列出将删除的文件，不删除"))
        parser.add_argument(
            "--older-than", type=float, default=24, metavar="HOURS", help=_("只清理多少小时以前写入的文件（默认24）")
        )

    def handle(self, *args, dry_run=False, older_than=24, **options):
        if not older_than > 0:
            raise CommandError("--older-than 须为大于0的小时数：正在写入、尚未提交的文件不能清理。")
        sweep = find_orphans(default_storage, older_than=dt.timedelta(hours=older_than))
        deleted = 0
        for stored in sweep.orphans:
            when = f"{timezone.localtime(stored.modified):%Y-%m-%d %H:%M}"
            if dry_run:
                self.stdout.write(
                    _("将删除：%(name)s（%(filesizeformat)s，修改于 %(when)s）")
                    % {"name": stored.name, "filesizeformat": filesizeformat(stored.size), "when": when}
                )
                continue
            default_storage.delete(stored.name)
            deleted += 1
            self.stdout.write(
                _("已删除：%(name)s（%(filesizeformat)s，修改于 %(when)s）")
                % {"name": stored.name, "filesizeformat": filesizeformat(stored.size), "when": when}
            )
        hours = f"{older_than:g}"
        summary = _(
            "共检查%(total)s个文件：%(referenced)s个有记录引用，%(recent)s个无记录引用但未满%(hours)s小时（保留），%(len)s个无记录引用且已满%(hours)s小时"
        ) % {
            "total": sweep.total,
            "referenced": sweep.referenced,
            "recent": sweep.recent,
            "hours": hours,
            "len": len(sweep.orphans),
        }
        if dry_run:
            self.stdout.write(_("%(summary)s。试运行，未删除任何文件。") % {"summary": summary})
        else:
            self.stdout.write(_("%(summary)s，已删除%(deleted)s个。") % {"summary": summary, "deleted": deleted})
