"""The one review engine (DESIGN §4): every document kind declares a Workflow; `perform` moves it.

A move locks the document's row, checks the move against the kind's table and the actor's right
to make it, runs the kind's guard, saves, writes the audit entry and the messages to whoever must act
next (站内消息 and the outbox) in the same transaction. Nothing else changes a
document's `status` or `holder`.
"""

from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from jxjy.audit import trail as audit
from jxjy.core import clock, outcome
from jxjy.core.errors import DomainError
from jxjy.notify import events, outbox

# A kind's route (Workflow, its Transitions, SystemActor) is declared in .workflows, which the models import;
# named here too, where every kind has always imported them from.
from .workflows import Actor, By, OrganisationLike, SystemActor, Transition, Workflow, as_organisation

__all__ = [
    "Actor",
    "OrganisationLike",
    "ReviewPermissionDenied",
    "SystemActor",
    "Transition",
    "Workflow",
    "begin",
    "log_for",
    "moved",
    "notify_move",
    "perform",
]

if TYPE_CHECKING:
    from jxjy.audit.models import AuditEntry

    from .models import Reviewable

# The document a move is made on: `perform` hands back the type it was given (a PreFiling, a Registration …).
R = TypeVar("R", bound="Reviewable")


# Sent in the move's transaction once the document is saved (doc, before, after): what counts a document's
# state, such as the statistics' running totals, keeps in step with it.
moved = Signal()


class ReviewPermissionDenied(DomainError):
    """The actor may see the document but this move is not theirs to make."""


def begin(doc: R) -> R:
    """A new document in its kind's initial state, held by the organisation that state names (not yet saved:
    the service creating it saves it with its other fields)."""
    wf = doc.workflow
    doc.status = wf.initial
    doc.holder = cast(Any, wf.holder_for(doc, wf.initial))
    return doc


def perform(doc: R, action: str, *, actor: Actor, opinion: str = "") -> R:
    """Make the move `action` on `doc` as `actor`; return the document as saved."""
    opinion = (opinion or "").strip()
    with transaction.atomic():
        related = doc.workflow.lock_related
        # A kind's model is concrete, with its `objects`: the stubs give that to concrete models only.
        model: Any = type(doc)
        locked: R = model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=doc.pk)
        wf = locked.workflow
        t = wf.transitions.get(action)
        if t is None:
            raise DomainError(_("不支持的操作。"))
        _check_move(locked, t, actor=actor, opinion=opinion)
        before = locked.status
        locked.status = t.target
        # An Organisation (or None): its model is in an app above the engine, so holder_for names it a Model.
        locked.holder = cast(Any, wf.holder_for(locked, t.target))
        update = ["status", "holder"]
        if t.by == By.OWNER:
            locked.submitted_at = clock.now()
            update.append("submitted_at")
        locked.save(update_fields=update)
        if t.effect:
            t.effect(locked)
        moved.send(sender=type(locked), doc=locked, before=before, after=t.target)
        audit.record(
            actor=actor, action=t.action, obj=locked, state_before=before, state_after=t.target, opinion=opinion
        )
        notify_move(locked, t, actor=actor, opinion=opinion)
        outcome.record_done(f"{wf.name}「{locked}」：{t.label}", locked.get_absolute_url())
    doc.refresh_from_db()
    return doc


def _check_move(locked: R, t: Transition, *, actor: Actor, opinion: str) -> None:
    """Refuse the move unless `actor` may make it from the document's state, with the opinion it needs."""
    wf = locked.workflow
    facts = {"name": wf.name, "label": t.label, "status": locked.get_status_display()}
    if not wf.may_act(actor, locked, t):
        raise ReviewPermissionDenied(_("您无权对该%(name)s执行「%(label)s」。") % facts)
    if locked.status not in t.sources:
        raise DomainError(_("该%(name)s当前状态为「%(status)s」，不能执行「%(label)s」。") % facts)
    if t.opinion_required and not opinion:
        raise DomainError(_("请填写审核意见。"), field="opinion")
    if t.guard:
        t.guard(locked)


def notify_move(doc: "Reviewable", t: Transition, *, actor: Actor, opinion: str) -> None:
    """Tell the next holder it waits for them, and the owner what happened to their document.

    Written in the move's own transaction (站内消息, and SMS/e-mail rows in the outbox for the moves that
    reach learners outside, as they chose), so that a process dying after the commit loses nothing."""
    wf = doc.workflow

    def compose() -> tuple[str, str]:
        facts = {"name": wf.name, "doc": doc, "label": t.label, "get_status_display": doc.get_status_display()}
        title = _("%(name)s「%(doc)s」：%(label)s，当前状态「%(get_status_display)s」") % facts
        return title, (_("审核意见：%(opinion)s") % {"opinion": opinion}) if opinion else ""

    # Each recipient with their interface language, read with them (the messages are written in it).
    languages = {u.pk: getattr(u, "language", "") for u in wf.owner_users(doc)} if t.tell_owner else {}
    # The holder may watch too.
    orgs = {org.pk: as_organisation(org) for org in [doc.holder, *wf.watchers(doc)] if org is not None}
    for org in orgs.values():
        languages.update(org.users.filter(is_active=True).values_list("pk", "language"))
    recipients = set(languages)
    # Nobody is told about their own move, nor are their colleagues who made it with them.
    recipients.discard(actor.pk)
    if actor.organisation_id and actor.organisation is not None:
        recipients.difference_update(actor.organisation.users.values_list("pk", flat=True))
    event = events.move_event(doc, t.action)
    params = events.move_params(doc) if events.is_external(event) else None
    url = doc.get_absolute_url()
    outbox.tell_in_their_language(sorted(recipients), compose, url=url, event=event, params=params, languages=languages)


def log_for(doc: "Reviewable") -> list["AuditEntry"]:
    """The document's 审核日志: every move in order, with its states' labels (its words: `e.action_label`)."""
    labels = dict(doc.workflow.states.choices)
    entries = list(audit.entries_for(doc).exclude(state_after=""))
    for e in entries:
        e.state_label_before = labels.get(e.state_before, e.state_before)
        e.state_label_after = labels.get(e.state_after, e.state_after)
    return entries
