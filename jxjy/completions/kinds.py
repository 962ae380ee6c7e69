"""培训后备案 and 学时上报, declared once (jxjy/review/registry.py): two kinds of one model and one route, told
apart by `purpose` (the class's 申报's, copied at 新增). The scores a base reports after a 学时认定 (guide §五.3)
wait for the 人社厅专技处 under 「学时认定审核」, next to the 申报s. Imported by the app's ready()."""

from django.utils.translation import gettext_lazy as _

from jxjy.accounts.models import Role
from jxjy.filings.models import Purpose
from jxjy.review.registry import DocumentKind, register

from .models import CompletionFiling
from .selectors import completions_visible_to
from .workflow import COMPLETION

SEARCH_FIELDS = ("name", "training_class__pre_filing__class_name")


def register_kinds() -> None:
    register(
        DocumentKind(
            slug="completion",
            label=_("培训后备案"),
            model=CompletionFiling,
            workflow=COMPLETION,
            visible_to=completions_visible_to,
            filters={"purpose": Purpose.FILING},
            reviewers=frozenset({Role.HR_REGION, Role.HR_PREFECTURE}),
            search_fields=SEARCH_FIELDS,
            # The API's "completion" is published: it still lists every completion filing, the 学时认定 results
            # too, as 培训后备案 (as before they had a kind of their own), so its answers are unchanged.
            api_slug="completion",
            api_filters={},
        )
    )
    register(
        DocumentKind(
            slug="recognition_scores",
            label=_("学时上报"),
            model=CompletionFiling,
            workflow=COMPLETION,
            visible_to=completions_visible_to,
            filters={"purpose": Purpose.RECOGNITION},
            reviewers=frozenset({Role.HR_REGION}),  # a 学时认定 goes to 专技处 alone (filings/kinds.py)
            menu_label=_("学时认定审核"),
            search_fields=SEARCH_FIELDS,
            api_slug="",  # shown in the API under "completion" (above)
        )
    )
