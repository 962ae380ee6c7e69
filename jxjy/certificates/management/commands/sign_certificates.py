"""Sign and store the files of certificates that have none (issued before signing existed, or whose
worker task was lost). Resumable: each batch commits on its own, and a certificate already stored is
skipped, so the command can be stopped and run again at any point."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.certificates.models import Certificate, CertificateStatus
from jxjy.certificates.services import SIGN_BATCH, store_signed


class Command(BaseCommand):
    help = gettext_lazy("为尚无签章文件的有效证书签章并存储（可中断，再次运行从中断处继续）。")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=SIGN_BATCH, help=_("每批证书数"))

    def handle(self, *args, batch: int, **options):
        missing = Certificate.objects.filter(pdf="", status=CertificateStatus.VALID).order_by("pk")
        total, stored, last = missing.count(), 0, 0
        while ids := list(missing.filter(pk__gt=last).values_list("pk", flat=True)[:batch]):
            stored += store_signed(ids)
            last = ids[-1]
            self.stdout.write(_("已签章 %(stored)s / %(total)s") % {"stored": stored, "total": total})
        self.stdout.write(self.style.SUCCESS(_("完成：签章并存储 %(stored)s 张证书。") % {"stored": stored}))
