"""The one review engine (DESIGN §4): every document kind declares a Workflow; `perform` moves it.

A move locks the document's row, checks the move against the kind's table and the actor's right
to make it, runs the kind's guard, saves, writes the audit entry in the same transaction, and
notifies whoever must act next once the transaction has committed. Nothing else changes a
document's `status` or `holder`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.dispatch import Signal

from jxjy.accounts.models import Organisation, User
from jxjy.core import audit, clock
from jxjy.core.errors import DomainError

from .models import Notification

# Sent in the move's transaction once the document is saved (doc, before, after): what counts a document's
# state, such as the statistics' running totals, keeps in step with it.
moved = Signal()


class ReviewPermissionDenied(DomainError):
    """The actor may see the document but this move is not theirs to make."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button's words: 提交, 通过, 退回 …
    sources: frozenset[str]
    target: str
    by: str  # "owner": the document's owner; "holder": the organisation holding it now
    opinion_required: bool = False
    guard: Callable[[models.Model], None] | None = None  # raises DomainError to refuse
    # Runs after the move is saved, in the same transaction (e.g. close registration on a change).
    effect: Callable[[models.Model], None] | None = None


@dataclass
class Workflow:
    """A document kind's states, moves and route."""

    name: str  # e.g. 培训前备案
    states: type[models.TextChoices]
    editable_states: frozenset[str]
    transitions: dict[str, Transition]
    # Who the document belongs to: an organisation (a base) or a person (a learner).
    owner: Callable[[models.Model], Organisation | User]
    # The organisation that must act while the document is in a given state (None: nobody).
    holder_for: Callable[[models.Model, str], Organisation | None]
    url_for: Callable[[models.Model], str] = field(default=lambda doc: "")
    # Organisations told of every move besides owner and holder (e.g. a base's department).
    watchers: Callable[[models.Model], list[Organisation]] = field(default=lambda doc: [])
    # Related rows a move reads (owner, guard, holder, title), fetched with the locked row in one query.
    lock_related: tuple[str, ...] = ()

    def is_editable(self, doc) -> bool:
        return doc.status in self.editable_states

    def available(self, doc, user: User) -> list[Transition]:
        """The moves `user` may make on `doc` now (for showing buttons)."""
        return [t for t in self.transitions.values() if doc.status in t.sources and self.may_act(user, doc, t)]

    def is_owner(self, user: User, doc) -> bool:
        owner = self.owner(doc)
        if isinstance(owner, User):
            return user.pk == owner.pk
        return user.organisation_id == owner.pk and owner.is_active

    def owner_users(self, doc):
        owner = self.owner(doc)
        return [owner] if isinstance(owner, User) else list(owner.users.filter(is_active=True))

    def may_act(self, user: User, doc, t: Transition) -> bool:
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


def perform(doc, action: str, *, actor: User, opinion: str = "") -> models.Model:
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
        transaction.on_commit(lambda: notify_move(locked, t, actor=actor, opinion=opinion))
    doc.refresh_from_db()
    return doc


def notify_move(doc, t: Transition, *, actor: User, opinion: str) -> None:
    """Tell the next holder it waits for them, and the owner what happened to their document."""
    wf: Workflow = doc.workflow
    title = f"{wf.name}「{doc}」：{t.label}，当前状态「{doc.get_status_display()}」"
    body = f"审核意见：{opinion}" if opinion else ""
    recipients = {u.pk for u in wf.owner_users(doc)}
    for org in [doc.holder, *wf.watchers(doc)]:
        if org is not None:
            recipients.update(org.users.filter(is_active=True).values_list("pk", flat=True))
    # Nobody is told about their own move, nor are their colleagues who made it with them.
    recipients.discard(actor.pk)
    if actor.organisation_id:
        recipients.difference_update(actor.organisation.users.values_list("pk", flat=True))
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, title=title[:200], body=body, url=wf.url_for(doc)) for pk in recipients
    )


def log_for(doc) -> list:
    """The document's 审核日志: every move in order, with its states' labels."""
    labels = dict(doc.workflow.states.choices)
    entries = list(audit.entries_for(doc).exclude(state_after=""))
    for e in entries:
        e.state_label_before = labels.get(e.state_before, e.state_before)
        e.state_label_after = labels.get(e.state_after, e.state_after)
    return entries
