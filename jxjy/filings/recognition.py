"""Where a 学时认定 stands after 专技处's 审核通过 (guide §五.3): 发布报名 → 报名 → 上传成绩 → 报送 → 备案通过.

The class, the registrations and the results' 备案 are the ordinary 培训信息, 学员报名 and 培训后备案 of
the filing; this reads them so that the base follows the whole 学时认定 from one list.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from jxjy.core import clock

from .models import PreFiling
from .models import PreFilingStatus as S

# The related rows are read through their reverse names, so that this app needs no import of theirs.
APPROVED, HR_REVIEW, RETURNED = "approved", "hr_review", "returned"


@dataclass(frozen=True)
class Progress:
    text: str  # 进度, as the base reads it
    action: str = ""  # the next step's link text, if the base has one
    url: str = ""

    @property
    def is_view(self) -> bool:
        """The next step is only to look (查看), shown on the 进度 itself rather than as an operation."""
        return self.action == _("查看")


def _results(c, completion) -> Progress:
    url = reverse("completions:detail", args=[completion.pk])
    if completion.status == APPROVED:
        count = completion.scores.filter(passed=True).count()
        return Progress((_("备案通过，已为%(count)s名学员认定学时") % {"count": count}), _("查看"), url)
    if completion.status == HR_REVIEW:
        return Progress(_("学员成绩已报送，待专技处备案"), _("查看"), url)
    text = _("学员成绩备案已退回，请修改后重新报送") if completion.status == RETURNED else _("学员成绩待报送")
    return Progress(text, _("上传成绩"), reverse("completions:step3", args=[completion.pk]))


def _registration_state(c) -> str:
    if c.is_open():
        return _("报名中")
    if c.is_published and c.reg_end < clock.now():
        return _("报名已结束")
    return _("报名未开启")


def progress(filing: PreFiling) -> Progress:
    """The step a 学时认定 has reached and, where it is the base's turn, the link to take it."""
    if filing.status != S.APPROVED:
        return Progress("—")
    c = filing.classes.order_by("-id").first()
    if c is None:
        return Progress(_("待发布报名"), _("发布报名"), f"{reverse('trainings:class_new')}?pre_filing={filing.pk}")
    if c.status != APPROVED:
        return Progress(
            (_("培训信息%(get_status_display)s") % {"get_status_display": c.get_status_display()}),
            _("查看"),
            reverse("trainings:class_detail", args=[c.pk]),
        )
    completion = c.completions.first()
    if completion is not None:
        return _results(c, completion)
    approved = c.registrations.filter(status=APPROVED).count()
    if filing.end_date and filing.end_date < clock.today():
        return Progress((_('培训已结束，%(approved)s名学员待上传成绩') % {'approved': approved}), _("上传成绩"),
                        f"{reverse('completions:new')}?class={c.pk}")  # fmt: skip
    state = _registration_state(c)
    registered = c.registrations.filter(status__in=(APPROVED, "submitted")).count()
    return Progress(
        (
            _("%(state)s，已报名%(registered)s人，审核通过%(approved)s人")
            % {"state": state, "registered": registered, "approved": approved}
        ),
        _("报名审核"),
        f"{reverse('trainings:registration_review')}?class={c.pk}",
    )
