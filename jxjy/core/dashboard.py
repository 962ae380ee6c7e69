"""The home page's cards, by role: what waits for the user and where they stand."""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from jxjy.accounts.models import Role
from jxjy.core.identity import hours_text

from . import clock


@dataclass
class Card:
    title: str
    value: str
    url: str = ""
    note: str = ""


def cards_for(user) -> list[Card]:
    from jxjy.review.registry import get_kind

    if user.role == Role.BASE:
        return _base_cards(user)
    if user.role in (Role.DEPARTMENT, Role.HR_REGION, Role.HR_PREFECTURE):
        slugs = {
            Role.DEPARTMENT: ["prefiling"],
            Role.HR_REGION: ["prefiling", "recognition", "training", "completion"],
            Role.HR_PREFECTURE: ["prefiling", "training", "completion"],
        }[user.role]
        return [
            Card(f"{get_kind(s).label}待审核", str(get_kind(s).waiting_for(user).count()),
                 reverse("review:waiting", args=[s]))
            for s in slugs
        ]  # fmt: skip
    if user.role == Role.LEARNER:
        return _learner_cards(user)
    return []


def _base_cards(user) -> list[Card]:
    from jxjy.filings.selectors import pre_filings_visible_to
    from jxjy.review.registry import get_kind
    from jxjy.trainings.selectors import classes_visible_to

    def by_status(purpose: str) -> dict[str, int]:
        qs = pre_filings_visible_to(user).filter(purpose=purpose)
        return dict(qs.values_list("status").annotate(n=Count("id")).order_by())

    filings, recognitions = by_status("filing"), by_status("recognition")
    open_classes = [c for c in classes_visible_to(user).filter(is_published=True) if c.is_open()]
    return [
        Card("培训前备案", str(sum(filings.values())), reverse("filings:list"),
             f"其中已退回 {filings.get('returned', 0)} 项、备案通过 {filings.get('approved', 0)} 项"),
        Card("学时认定", str(sum(recognitions.values())), reverse("filings:recognitions"),
             f"其中待人社审核 {recognitions.get('hr_review', 0)} 项、审核通过 {recognitions.get('approved', 0)} 项"),
        Card("正在报名的培训班", str(len(open_classes)), reverse("trainings:class_list")),
        Card("学员报名待审核", str(get_kind("registration").waiting_for(user).count()),
             reverse("trainings:registration_review")),
    ]  # fmt: skip


def _learner_cards(user) -> list[Card]:
    from jxjy.hours.services import year_summary
    from jxjy.trainings.selectors import registrations_visible_to

    y = year_summary(user.learner, clock.this_year())
    waiting = registrations_visible_to(user).filter(status__in=["submitted", "returned", "draft"]).count()
    note = "达标" if y.met else f"专业科目 {hours_text(y.professional)} / {hours_text(y.professional_required)}"
    return [
        Card(f"{y.year}年度学时", f"{hours_text(y.total)} / {hours_text(y.required)}", reverse("hours:ledger"), note),
        Card("办理中的报名", str(waiting), reverse("trainings:my_registrations")),
        Card("我的证书", str(user.learner.certificates.count()), reverse("certificates:mine")),
    ]  # fmt: skip
