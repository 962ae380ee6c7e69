"""The document kinds: each app declares each of its kinds once (in AppConfig.ready), and everything that
lists, routes, counts or exposes documents reads it from here — the engine (the kind's workflow), the
reviewer lists, the menu, the dashboard, the templates (`review_kind`) and the API."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Reviewable
from .workflows import Actor, By, Workflow, register_moves, register_workflow, unregister_workflow


@dataclass(frozen=True)
class DocumentKind:
    slug: str  # in URLs: /review/<slug>/…
    label: str  # 培训前备案
    model: type[Reviewable]
    workflow: Workflow
    # The scoped queryset: everything this user may see (a callable of the kind's own user model; Any, as the
    # user model is in an app above this one).
    visible_to: Callable[[Any], QuerySet[Any]]
    # The model's rows that are this kind, when several kinds share one model (学时认定 is a PreFiling):
    # field -> value, matched against the document as well as filtered on.
    filters: Mapping[str, Any] = field(default_factory=dict)
    # The roles (codes) that review it in the generic screens: their menu group and their dashboard card.
    reviewers: frozenset[str] = frozenset()
    menu_label: str = ""  # the reviewer's menu group; by default 「<label>审核」
    search_fields: tuple[str, ...] = ()  # text fields the 关键字 search looks in
    year_field: str = "year"  # the 年度 search
    base_field: str = "base"  # the organisation that owns or runs the document, for the 基地 search
    # Its code in the API's 基地单据 (a published name, kept as it was), "" when the API does not show it.
    api_slug: str = ""
    # The rows the API shows under api_slug when they are not this kind's own (None: its filters), so that a
    # published code keeps meaning what it did when a kind is split (培训后备案's "completion" still shows the
    # 学时认定 results, which have a kind of their own on the web since).
    api_filters: Mapping[str, Any] | None = None
    related: tuple[str, ...] = ("holder",)  # fetched with each row of a list

    @property
    def review_menu_label(self) -> str:
        return self.menu_label or (_("%(label)s审核") % {"label": self.label})

    def rows(self) -> QuerySet[Any]:
        """Every document of this kind."""
        qs: QuerySet[Any] = _concrete(self.model).objects.filter(**self.filters)
        return qs

    def api_rows(self) -> QuerySet[Any]:
        """Every document the API shows under this kind's api_slug."""
        filters = self.filters if self.api_filters is None else self.api_filters
        qs: QuerySet[Any] = _concrete(self.model).objects.filter(**filters)
        return qs

    def scoped(self, user: Actor) -> QuerySet[Any]:
        return self.visible_to(user).filter(**self.filters)

    def matches(self, doc: Model) -> bool:
        return isinstance(doc, self.model) and all(getattr(doc, f) == v for f, v in self.filters.items())

    def pending_states(self) -> set[str]:
        """States in which a reviewer (the holder) has something to do."""
        return {s for t in self.workflow.transitions.values() if t.by == By.HOLDER for s in t.sources}

    def waiting_for(self, user: Actor) -> QuerySet[Any]:
        """待审核: what this user's organisation must act on now."""
        if user.organisation_id is None:
            return self.rows().none()
        return self.scoped(user).filter(holder_id=user.organisation_id, status__in=self.pending_states())

    def get_for(self, user: Actor, pk: int) -> Reviewable:
        try:
            doc: Reviewable = self.scoped(user).get(pk=pk)
            return doc
        except _concrete(self.model).DoesNotExist:
            raise Http404(_("未找到该%(label)s。") % {"label": self.label}) from None


def _concrete(model: type[Reviewable]) -> Any:
    """A kind's model is concrete: it has `objects` and `DoesNotExist` (the stubs give them to concrete models only)."""
    return model


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    """Declare a kind: its documents travel its workflow, every screen that reads the registry shows it, and its
    moves' audit entries show their words."""
    KINDS[kind.slug] = kind
    register_workflow(kind.model, lambda doc: kind_of(doc).workflow)
    register_moves(kind.model, kind.workflow)


def unregister(slug: str) -> None:
    """Take a kind out again (a test's throwaway kind); its model's route goes with its last kind."""
    model = KINDS.pop(slug).model
    if not any(k.model is model for k in KINDS.values()):
        unregister_workflow(model)


def get_kind(slug: str) -> DocumentKind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None


def kind_of(doc: Model) -> DocumentKind:
    """The kind a document is (its model's, chosen by the kind's filters)."""
    for kind in KINDS.values():
        if type(doc) is kind.model and kind.matches(doc):
            return kind
    raise LookupError(_("%(label)s 未登记为单据类别") % {"label": doc._meta.label})


def reviewed_by(role: str) -> list[DocumentKind]:
    """The kinds this role reviews in the generic screens, in the order they were declared."""
    return [k for k in KINDS.values() if role in k.reviewers]


def in_api() -> dict[str, DocumentKind]:
    """The kinds the API's 基地单据 shows, by their API code."""
    return {k.api_slug: k for k in KINDS.values() if k.api_slug}
