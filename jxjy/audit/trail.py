"""Write audit entries. Callers run inside the transaction of the change they record."""

from django.db import models
from django.db.models import CharField, OuterRef, QuerySet
from django.db.models.functions import Cast

from jxjy.core.request_context import current_ip

from . import chain
from .models import AuditEntry, Outcome


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    state_before: str = "",
    state_after: str = "",
    opinion: str = "",
    detail: dict | None = None,
    outcome: str = Outcome.SUCCESS,
) -> AuditEntry:
    """Append one audit entry for `actor` doing `action` to `obj`, chained to the one before.

    `action` is a code its app declared (a TextChoices member registered with actions.py), or a move's code."""
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        organisation=getattr(actor, "organisation", None),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        state_before=state_before,
        state_after=state_after,
        opinion=opinion,
        ip=current_ip.get(),
        detail=detail or {},
        outcome=outcome,
    )
    return chain.append(entry)


def entries_for(obj: models.Model):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor", "organisation"
    )


def entries_of_outer(model: type[models.Model]) -> QuerySet[AuditEntry]:
    """Audit entries of each row of an outer query over `model` (for Exists / Subquery)."""
    return AuditEntry.objects.filter(
        object_type=model._meta.label_lower, object_id=Cast(OuterRef("pk"), output_field=CharField())
    )
