"""The one review engine (DESIGN §4): every document kind declares a Workflow; `perform` moves it.

A move locks the document's row, checks the move against the kind's table and the actor's right
to make it, runs the kind's guard, saves, writes the audit entry and the messages to whoever must act
next (站内消息 and the outbox) in the same transaction. Nothing else changes a
document's `status` or `holder`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.dispatch import Signal

from jxjy.audit import trail as audit
from jxjy.core import clock, outcome
from jxjy.core.errors import DomainError
from jxjy.notify import events, outbox

# Sent in the move's transaction once the document is saved (doc, before, after): what counts a document's
# state, such as the statistics' running totals, keeps in step with it.
moved = Signal()


class ReviewPermissionDenied(DomainError):
    """The actor may see the document but this move is not theirs to make."""


class SystemActor:
    """The platform itself, making a move no person makes (a Transition with by="system", e.g. 候补递补).

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
    by: str  # "owner": the document's owner; "holder": the organisation holding it now; "system": SystemActor only
    opinion_required: bool = False
    guard: Callable[[models.Model], None] | None = None  # raises DomainError to refuse
    # Runs after the move is saved, in the same transaction (e.g. close registration on a change).
    effect: Callable[[models.Model], None] | None = None
    # False when the caller tells the owner itself, in its own words (a system move's outcome).
    tell_owner: bool = True


@dataclass
class Workflow:
    """A document kind's states, moves and route."""

    name: str  # e.g. 培训前备案
    states: type[models.TextChoices]
    editable_states: frozenset[str]
    transitions: dict[str, Transition]
    # Who the document belongs to: an organisation (a base) or a person (a learner: a user of the project's
    # user model, AbstractBaseUser here). An organisation has `users` and `is_active`.
    owner: Callable[[models.Model], models.Model]
    # The organisation that must act while the document is in a given state (None: nobody).
    holder_for: Callable[[models.Model, str], models.Model | None]
    url_for: Callable[[models.Model], str] = field(default=lambda doc: "")
    # Organisations told of every move besides owner and holder (e.g. a base's department).
    watchers: Callable[[models.Model], list[models.Model]] = field(default=lambda doc: [])
    # Related rows a move reads (owner, guard, holder, title), fetched with the locked row in one query.
    lock_related: tuple[str, ...] = ()

    def is_editable(self, doc) -> bool:
        return doc.status in self.editable_states

    def available(self, doc, user: AbstractBaseUser) -> list[Transition]:
        """The moves `user` may make on `doc` now (for showing buttons)."""
        return [t for t in self.transitions.values() if doc.status in t.sources and self.may_act(user, doc, t)]

    def is_owner(self, user: AbstractBaseUser, doc) -> bool:
        owner = self.owner(doc)
        if isinstance(owner, AbstractBaseUser):
            return user.pk == owner.pk
        return user.organisation_id == owner.pk and owner.is_active

    def owner_users(self, doc):
        owner = self.owner(doc)
        return [owner] if isinstance(owner, AbstractBaseUser) else list(owner.users.filter(is_active=True))

    def may_act(self, user: AbstractBaseUser, doc, t: Transition) -> bool:
        if t.by == "system" or isinstance(user, SystemActor):
            return t.by == "system" and isinstance(user, SystemActor)
        if not user.is_authenticated or not user.is_active:
            return False
        if t.by == "owner":
            return self.is_owner(user, doc)
        # A reviewer's move: only the organisation holding the document, and never its owner.
        org = user.organisation
        if org is None or not org.is_active or self.is_owner(user, doc):
            return False
        if doc.status in t.sources:
            return doc.holder_id == org.pk
        # Out of turn: still "theirs" if they are the reviewer this move belongs to, so that the
        # answer is the state ("already passed") rather than a refusal of rights.
        return any(getattr(self.holder_for(doc, s), "pk", None) == org.pk for s in t.sources)


def perform(doc, action: str, *, actor: "AbstractBaseUser | SystemActor", opinion: str = "") -> models.Model:
    """Make the move `action` on `doc` as `actor`; return the document as saved."""
    opinion = (opinion or "").strip()
    with transaction.atomic():
        related = doc.workflow.lock_related
        locked = type(doc).objects.select_for_update(of=("self",)).select_related(*related).get(pk=doc.pk)
        wf: Workflow = locked.workflow
        t = wf.transitions.get(action)
        if t is None:
            raise DomainError("不支持的操作。")
        if not wf.may_act(actor, locked, t):
            raise ReviewPermissionDenied(f"您无权对该{wf.name}执行「{t.label}」。")
        if locked.status not in t.sources:
            raise DomainError(f"该{wf.name}当前状态为「{locked.get_status_display()}」，不能执行「{t.label}」。")
        if t.opinion_required and not opinion:
            raise DomainError("请填写审核意见。", field="opinion")
        if t.guard:
            t.guard(locked)
        before = locked.status
        locked.status = t.target
        locked.holder = wf.holder_for(locked, t.target)
        update = ["status", "holder"]
        if t.by == "owner":
            locked.submitted_at = clock.now()
            update.append("submitted_at")
        locked.save(update_fields=update)
        if t.effect:
            t.effect(locked)
        moved.send(sender=type(locked), doc=locked, before=before, after=t.target)
        audit.record(
            actor=actor, action=t.label, obj=locked, state_before=before, state_after=t.target, opinion=opinion
        )
        notify_move(locked, t, actor=actor, opinion=opinion)
        outcome.record_done(f"{wf.name}「{locked}」：{t.label}", wf.url_for(locked))
    doc.refresh_from_db()
    return doc


def notify_move(doc, t: Transition, *, actor: AbstractBaseUser, opinion: str) -> None:
    """Tell the next holder it waits for them, and the owner what happened to their document.

    Written in the move's own transaction (站内消息, and SMS/e-mail rows in the outbox for the moves that
    reach learners outside, as they chose), so that a process dying after the commit loses nothing."""
    wf: Workflow = doc.workflow
    title = f"{wf.name}「{doc}」：{t.label}，当前状态「{doc.get_status_display()}」"
    body = f"审核意见：{opinion}" if opinion else ""
    recipients = {u.pk for u in wf.owner_users(doc)} if t.tell_owner else set()
    orgs = {org.pk: org for org in [doc.holder, *wf.watchers(doc)] if org is not None}  # the holder may watch too
    for org in orgs.values():
        recipients.update(org.users.filter(is_active=True).values_list("pk", flat=True))
    # Nobody is told about their own move, nor are their colleagues who made it with them.
    recipients.discard(actor.pk)
    if actor.organisation_id:
        recipients.difference_update(actor.organisation.users.values_list("pk", flat=True))
    event = events.move_event(doc, t.action)
    params = events.move_params(doc) if events.is_external(event) else None
    outbox.tell(sorted(recipients), title=title[:200], body=body, url=wf.url_for(doc), event=event, params=params)


def log_for(doc) -> list:
    """The document's 审核日志: every move in order, with its states' labels."""
    labels = dict(doc.workflow.states.choices)
    entries = list(audit.entries_for(doc).exclude(state_after=""))
    for e in entries:
        e.state_label_before = labels.get(e.state_before, e.state_before)
        e.state_label_after = labels.get(e.state_after, e.state_after)
    return entries
