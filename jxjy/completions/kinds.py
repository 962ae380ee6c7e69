"""培训后备案, declared once (jxjy/review/registry.py). Imported by the app's ready()."""

from jxjy.accounts.models import Role
from jxjy.review.registry import DocumentKind, register

from .models import CompletionFiling
from .selectors import completions_visible_to
from .workflow import COMPLETION


def register_kinds() -> None:
    register(
        DocumentKind(
            slug="completion",
            label="培训后备案",
            model=CompletionFiling,
            workflow=COMPLETION,
            visible_to=completions_visible_to,
            reviewers=frozenset({Role.HR_REGION, Role.HR_PREFECTURE}),
            search_fields=("name", "training_class__pre_filing__class_name"),
            api_slug="completion",
        )
    )
