"""The document kinds reviewers work on. Each app registers its kind once (in AppConfig.ready)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model, QuerySet
from django.http import Http404

from .engine import Workflow


@dataclass(frozen=True)
class ReviewKind:
    slug: str  # in URLs: /review/<slug>/…
    label: str  # 培训前备案
    model: type[Model]
    visible_to: Callable[[AbstractBaseUser], QuerySet]  # the scoped queryset: everything this user may see
    detail_url: Callable[[Model], str]
    search_fields: tuple[str, ...] = ()  # text fields the 关键字 search looks in
    year_field: str = "year"  # the 年度 search
    base_field: str = "base"  # the organisation that owns or runs the document, for the 基地 search
    # A kind that shares its model with another (学时认定 is a PreFiling) names its own route.
    workflow_override: object = None

    @property
    def workflow(self) -> Workflow:
        return self.workflow_override or self.model().workflow

    def pending_states(self) -> set[str]:
        """States in which a reviewer (the holder) has something to do."""
        return {s for t in self.workflow.transitions.values() if t.by == "holder" for s in t.sources}

    def waiting_for(self, user: AbstractBaseUser) -> QuerySet:
        """待审核: what this user's organisation must act on now."""
        if user.organisation_id is None:
            return self.model.objects.none()
        return self.visible_to(user).filter(holder_id=user.organisation_id, status__in=self.pending_states())

    def get_for(self, user: AbstractBaseUser, pk: int) -> Model:
        try:
            return self.visible_to(user).get(pk=pk)
        except self.model.DoesNotExist:
            raise Http404(f"未找到该{self.label}。") from None


KINDS: dict[str, ReviewKind] = {}


def register(kind: ReviewKind) -> None:
    KINDS[kind.slug] = kind


def get_kind(slug: str) -> ReviewKind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None
