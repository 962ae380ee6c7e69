"""Each reviewable model's route, registered by the model's app in its AppConfig.ready: a model never imports
its workflow (whose guards import the app's services, which import the models).

A route is a Workflow of Transitions; review.engine moves documents along it. They are declared here, below
the models (Reviewable.workflow) and the engine (perform), so that both can name them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import Model
from django.utils.translation import gettext_lazy

from jxjy.audit import actions as audit_actions


class Document(Protocol):
    """What a route reads of a document: review.models.Reviewable (which imports this module)."""

    @property
    def status(self) -> str: ...
    @property
    def holder_id(self) -> int | None: ...


class OrganisationLike(Protocol):
    """What the engine reads of an organisation (jxjy.accounts.models.Organisation, an app above the engine)."""

    @property
    def pk(self) -> Any: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def users(self) -> Any: ...  # its related manager of users (a Manager here trips the stubs' descriptor)


class Actor(Protocol):
    """Who makes a move: a user of the project's user model (jxjy.accounts.models.User), or a SystemActor."""

    @property
    def pk(self) -> Any: ...
    @property
    def organisation_id(self) -> int | None: ...
    @property
    def organisation(self) -> OrganisationLike | None: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...


class Action(models.TextChoices):
    """Every move's code, as the workflows declare them and audit entries store them. The words a move shows
    are its Transition's label in its kind's workflow (registered with the audit trail's names); these are
    only what the code means."""

    SUBMIT = "submit", gettext_lazy("提交")
    DEPT_APPROVE = "dept_approve", gettext_lazy("主管部门通过")
    DEPT_RETURN = "dept_return", gettext_lazy("主管部门退回")
    FORWARD = "forward", gettext_lazy("主管部门提交人社部门")
    HR_APPROVE = "hr_approve", gettext_lazy("人社部门通过")
    HR_RETURN = "hr_return", gettext_lazy("人社部门退回")
    APPROVE = "approve", gettext_lazy("通过")
    RETURN = "return", gettext_lazy("退回")
    REJECT = "reject", gettext_lazy("驳回")
    WITHDRAW = "withdraw", gettext_lazy("撤回")
    REQUEST_CHANGE = "request_change", gettext_lazy("申请变更报名时间")
    AGREE_CHANGE = "agree_change", gettext_lazy("同意变更")
    REFUSE_CHANGE = "refuse_change", gettext_lazy("不同意变更")
    WAIT = "wait", gettext_lazy("加入候补")
    LEAVE_WAITING = "leave_waiting", gettext_lazy("退出候补")
    PROMOTE = "promote", gettext_lazy("候补递补")


class By(models.TextChoices):
    """Who makes a move (Transition.by)."""

    OWNER = "owner", gettext_lazy("单据所有者")
    HOLDER = "holder", gettext_lazy("当前审核单位")
    SYSTEM = "system", gettext_lazy("平台")


class SystemActor:
    """The platform itself, making a move no person makes (a Transition with by=By.SYSTEM, e.g. 候补递补).

    Its audit entries name no user; the move's label and opinion say what happened and why.
    """

    pk = None
    organisation = None
    organisation_id = None
    is_authenticated = True
    is_active = True

    def __init__(self, label: str) -> None:
        self.label = label

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button's words: 提交, 通过, 退回 …
    sources: frozenset[str]
    target: str
    by: str  # By.OWNER: the document's owner; By.HOLDER: the organisation holding it now; By.SYSTEM: SystemActor only
    opinion_required: bool = False
    # A kind's guard and effect take its own model (a PreFiling, a Registration …): Any, as Workflow is not
    # generic over the document type.
    guard: Callable[[Any], None] | None = None  # raises DomainError to refuse
    # Runs after the move is saved, in the same transaction (e.g. close registration on a change).
    effect: Callable[[Any], None] | None = None
    # False when the caller tells the owner itself, in its own words (a system move's outcome).
    tell_owner: bool = True


@dataclass
class Workflow:
    """A document kind's states, moves and route."""

    name: str  # e.g. 培训前备案
    states: type[models.TextChoices]
    editable_states: frozenset[str]
    initial: str  # the state a new document starts in (engine.begin)
    transitions: dict[str, Transition]
    # Who the document belongs to: an organisation (a base) or a person (a learner: a user of the project's
    # user model, AbstractBaseUser here). An organisation has `users` and `is_active`.
    # The callables take the kind's own model (Any: Workflow is not generic over the document type).
    owner: Callable[[Any], models.Model]
    # The organisation that must act while the document is in a given state (None: nobody).
    holder_for: Callable[[Any, str], models.Model | None]
    # Organisations told of every move besides owner and holder (e.g. a base's department).
    watchers: Callable[[Any], list[models.Model]] = field(default=lambda doc: [])
    # Related rows a move reads (owner, guard, holder, title), fetched with the locked row in one query.
    lock_related: tuple[str, ...] = ()

    def is_editable(self, doc: Document) -> bool:
        return doc.status in self.editable_states

    def available(self, doc: Document, user: Actor) -> list[Transition]:
        """The moves `user` may make on `doc` now (for showing buttons)."""
        return [t for t in self.transitions.values() if doc.status in t.sources and self.may_act(user, doc, t)]

    def is_owner(self, user: Actor, doc: Document) -> bool:
        owner = self.owner(doc)
        if isinstance(owner, AbstractBaseUser):
            return bool(user.pk == owner.pk)
        org = as_organisation(owner)
        return bool(user.organisation_id == org.pk and org.is_active)

    def owner_users(self, doc: Document) -> list[models.Model]:
        owner = self.owner(doc)
        if isinstance(owner, AbstractBaseUser):
            return [owner]
        return list(as_organisation(owner).users.filter(is_active=True))

    def may_act(self, user: Actor, doc: Document, t: Transition) -> bool:
        if t.by == By.SYSTEM or isinstance(user, SystemActor):
            return t.by == By.SYSTEM and isinstance(user, SystemActor)
        if not user.is_authenticated or not user.is_active:
            return False
        if t.by == By.OWNER:
            return self.is_owner(user, doc)
        # A reviewer's move: only the organisation holding the document, and never its owner.
        org = user.organisation
        if org is None or not org.is_active or self.is_owner(user, doc):
            return False
        if doc.status in t.sources:
            return bool(doc.holder_id == org.pk)
        # Out of turn: still "theirs" if they are the reviewer this move belongs to, so that the
        # answer is the state ("already passed") rather than a refusal of rights.
        return any(getattr(self.holder_for(doc, s), "pk", None) == org.pk for s in t.sources)


def as_organisation(owner: models.Model) -> OrganisationLike:
    """An owner that is not a user is an organisation (Workflow.owner): what the engine reads of it."""
    return cast(OrganisationLike, owner)  # an Organisation, whose model is in an app above the engine


# Model label ("filings.prefiling") -> the document's workflow (a kind may choose by the document's fields).
WORKFLOWS: dict[str, Callable[[Model], Workflow]] = {}


def register_workflow(model: type[Model], workflow: Workflow | Callable[[Model], Workflow]) -> None:
    """`model`'s documents travel `workflow`, or the one `workflow(doc)` chooses (whose kinds name their moves)."""
    WORKFLOWS[model._meta.label_lower] = workflow if callable(workflow) else (lambda doc: workflow)
    if isinstance(workflow, Workflow):
        register_moves(model, workflow)


def register_moves(model: type[Model], workflow: Workflow) -> None:
    """The words of `workflow`'s moves, for the audit entries of `model`'s documents."""
    audit_actions.register_moves(model._meta.label_lower, ((t.action, t.label) for t in workflow.transitions.values()))


def unregister_workflow(model: type[Model]) -> None:
    WORKFLOWS.pop(model._meta.label_lower)


def workflow_of(doc: Model) -> Workflow:
    return WORKFLOWS[doc._meta.label_lower](doc)
