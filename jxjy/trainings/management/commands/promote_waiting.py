"""候补递补 sweep: seats freed by a 退回再次提交截止时间 that passed with nobody acting go to the line.

Every move that counts seats does this lazily under the class's lock; run this every few minutes so that a
class nobody touches moves up too.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.trainings.services import promote_all_waiting


class Command(BaseCommand):
    help = gettext_lazy("为有空余名额的培训班按候补顺序递补学员")

    def handle(self, *args, **options):
        count = promote_all_waiting()
        self.stdout.write(_("已递补 %(count)s 名候补学员。") % {"count": count})
