"""The document kinds reviewers work on. Each app registers its kind once (in AppConfig.ready)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import Reviewable
from .workflows import Actor, Workflow


@dataclass(frozen=True)
class ReviewKind:
    slug: str  # in URLs: /review/<slug>/…
    label: str  # 培训前备案
    model: type[Reviewable]
    # The callables take the kind's own user model and document model (Any: ReviewKind is not generic over them).
    visible_to: Callable[[Any], QuerySet[Any]]  # the scoped queryset: everything this user may see
    detail_url: Callable[[Any], str]
    search_fields: tuple[str, ...] = ()  # text fields the 关键字 search looks in
    year_field: str = "year"  # the 年度 search
    base_field: str = "base"  # the organisation that owns or runs the document, for the 基地 search
    # A kind that shares its model with another (学时认定 is a PreFiling) names its own route.
    workflow_override: Workflow | None = None

    @property
    def workflow(self) -> Workflow:
        return self.workflow_override or self.model().workflow

    def pending_states(self) -> set[str]:
        """States in which a reviewer (the holder) has something to do."""
        return {s for t in self.workflow.transitions.values() if t.by == "holder" for s in t.sources}

    def waiting_for(self, user: Actor) -> QuerySet[Any]:
        """待审核: what this user's organisation must act on now."""
        if user.organisation_id is None:
            none: QuerySet[Any] = _concrete(self.model).objects.none()
            return none
        return self.visible_to(user).filter(holder_id=user.organisation_id, status__in=self.pending_states())

    def get_for(self, user: Actor, pk: int) -> Reviewable:
        try:
            doc: Reviewable = self.visible_to(user).get(pk=pk)
            return doc
        except _concrete(self.model).DoesNotExist:
            raise Http404(f"未找到该{self.label}。") from None


def _concrete(model: type[Reviewable]) -> Any:
    """A kind's model is concrete: it has `objects` and `DoesNotExist` (the stubs give them to concrete models only)."""
    return model


KINDS: dict[str, ReviewKind] = {}


def register(kind: ReviewKind) -> None:
    KINDS[kind.slug] = kind


def get_kind(slug: str) -> ReviewKind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None
