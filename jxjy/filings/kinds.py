"""培训前备案 and 学时认定, declared once (jxjy/review/registry.py): two kinds of one model, told apart by
`purpose`. Imported by the app's ready(), once the models are loaded."""

from django.utils.translation import gettext_lazy as _

from jxjy.accounts.models import Role
from jxjy.review.registry import DocumentKind, register

from .models import PreFiling, Purpose
from .selectors import pre_filings_visible_to
from .workflow import PRE_FILING, RECOGNITION


def register_kinds() -> None:
    register(
        DocumentKind(
            slug="prefiling",
            label=_("培训前备案"),
            model=PreFiling,
            workflow=PRE_FILING,
            visible_to=pre_filings_visible_to,
            filters={"purpose": Purpose.FILING},
            reviewers=frozenset({Role.DEPARTMENT, Role.HR_REGION, Role.HR_PREFECTURE}),
            search_fields=("class_name",),
            api_slug="pre_filing",
        )
    )
    register(
        DocumentKind(
            slug="recognition",
            label=_("学时认定"),
            model=PreFiling,
            workflow=RECOGNITION,
            visible_to=pre_filings_visible_to,
            filters={"purpose": Purpose.RECOGNITION},
            reviewers=frozenset({Role.HR_REGION}),
            search_fields=("class_name",),
            api_slug="recognition",
        )
    )
