"""消息设置: how a learner wants to hear of review outcomes and credits besides 站内消息."""

from django.db import transaction

from jxjy.audit import trail as audit

from .audit_actions import NotifyAction
from .models import Preference


@transaction.atomic
def save_preference(user, *, sms: bool, email: bool, email_address: str) -> Preference:
    """Keep the learner's choice of channels; an e-mail needs an address (the form says so first)."""
    pref, _ = Preference.objects.select_for_update().get_or_create(user=user)
    before = {"短信通知": pref.sms, "邮件通知": pref.email}
    pref.sms, pref.email, pref.email_address = sms, email, email_address.strip()
    pref.save()
    after = {"短信通知": sms, "邮件通知": email}
    audit.record(
        actor=user, action=NotifyAction.CHANGE_PREFERENCES, obj=pref, detail={"修改前": before, "修改后": after}
    )
    return pref
