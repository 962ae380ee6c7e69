"""培训信息 and 学员报名, declared once (jxjy/review/registry.py). Imported by the app's ready()."""

from django.utils.translation import gettext_lazy as _

from jxjy.accounts.models import Role
from jxjy.review.registry import DocumentKind, register

from .models import Registration, TrainingClass
from .selectors import classes_visible_to, registrations_visible_to
from .workflow import REGISTRATION, TRAINING_CLASS


def register_kinds() -> None:
    register(
        DocumentKind(
            slug="training",
            label=_("培训信息"),
            model=TrainingClass,
            workflow=TRAINING_CLASS,
            visible_to=classes_visible_to,
            reviewers=frozenset({Role.HR_REGION, Role.HR_PREFECTURE}),
            search_fields=("pre_filing__class_name",),
            year_field="pre_filing__year",
            api_slug="training_class",
            related=("holder", "pre_filing"),
        )
    )
    # Reviewed by the base that runs the class, in its own 学员报名审核 screen (继续教育管理).
    register(
        DocumentKind(
            slug="registration",
            label=_("学员报名"),
            model=Registration,
            workflow=REGISTRATION,
            visible_to=registrations_visible_to,
            search_fields=("name", "training_class__pre_filing__class_name"),
        )
    )
