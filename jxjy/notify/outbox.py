"""What callers use: tell people something, or send an SMS or an e-mail, inside the caller's transaction.

`tell` writes the 站内消息 and, for the events that reach people outside (events.EXTERNAL), an SMS and an
e-mail row as each learner chose in 消息设置. The rows are delivered after the commit by the task worker
(`delivery.deliver_due`); nothing is sent from inside a transaction, and nothing written here is lost if the
process dies after the commit: the sweep (`manage.py deliver_outbox`, and the task planning itself again)
finds it.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import tasks
from .events import is_external
from .models import Channel, Notification, Outbox, Preference

EMAIL_FOOTER = gettext_lazy(
    "本邮件由继续教育系统自动发送，请勿回复。如不再需要邮件通知，请登录后在「消息设置」中关闭。"
)


@dataclass(frozen=True)
class Message:
    """One person's message: `user` is a user or a user's primary key."""

    user: object
    title: str
    body: str = ""
    url: str = ""
    params: Sequence[str] | None = None  # the SMS template's parameters; None: the title alone


def tell(
    users: Iterable, *, title: str, body: str = "", url: str = "", event: str, params: Sequence[str] | None = None
) -> list[Notification]:
    """Tell each of `users` (users or primary keys) the same thing: 站内消息, and SMS/e-mail per preference."""
    return tell_each([Message(u, title, body, url, params) for u in users], event=event)


def languages_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's interface language (the platform's where they chose none)."""
    ids = list(user_ids)
    chosen = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "language"))
    return {pk: chosen.get(pk) or settings.LANGUAGE_CODE for pk in ids}


def tell_in_their_language(
    user_ids: Sequence[int],
    compose: Callable[[], tuple[str, str]],
    *,
    url: str,
    event: str,
    params: Sequence[str] | None = None,
    languages: Mapping[int, str] | None = None,
) -> list[Notification]:
    """tell(), with the title and body composed (`compose()` → (title, body)) in each recipient's interface
    language: a learner reading the site in Chinese hears a Uyghur-speaking reviewer's move in Chinese.
    `languages`: the recipients' languages if the caller read them already (else one query here)."""
    if languages is None:
        languages = languages_of(user_ids)
    groups: dict[str, list[int]] = {}
    for pk in user_ids:
        groups.setdefault(languages.get(pk) or settings.LANGUAGE_CODE, []).append(pk)
    notes = []
    for language, group in groups.items():
        with translation.override(language):
            title, body = compose()
        notes += tell(group, title=title[:200], body=body, url=url, event=event, params=params)
    return notes


def tell_each(messages: Sequence[Message], *, event: str) -> list[Notification]:
    """Tell each person their own message, in a few queries however many (a class of hundreds)."""
    if not messages:
        return []
    notes = Notification.objects.bulk_create(
        Notification(recipient_id=_pk(m.user), title=m.title[:200], body=m.body, url=m.url[:300]) for m in messages
    )
    if is_external(event):
        rows = _outbox_rows(messages, event)
        if rows:
            Outbox.objects.bulk_create(rows)
            _deliver_after_commit()
    return notes


def send_sms(mobile: str, text: str, *, event: str, recipient=None, params: Sequence[str] | None = None) -> Outbox:
    """An SMS to a number (a verification code goes to a number that may have no account yet)."""
    row = Outbox.objects.create(
        channel=Channel.SMS, address=mobile, body=text, event=event, recipient=recipient, params=_params(params, text)
    )
    _deliver_after_commit()
    return row


def send_email(address: str, subject: str, text: str, *, event: str, recipient=None) -> Outbox:
    row = Outbox.objects.create(
        channel=Channel.EMAIL, address=address, subject=subject, body=text, event=event, recipient=recipient
    )
    _deliver_after_commit()
    return row


def preference_of(user) -> Preference:
    """The user's 消息设置, or the defaults (SMS on, e-mail off) when they never saved any."""
    try:
        return user.notify_preference
    except ObjectDoesNotExist:
        return Preference(user=user)


def mobile_of(user) -> str:
    """A learner's mobile; staff accounts have none on the platform."""
    try:
        return user.learner.mobile
    except ObjectDoesNotExist:
        return ""


def _outbox_rows(messages: Sequence[Message], event: str) -> list[Outbox]:
    ids = {_pk(m.user) for m in messages}
    users = get_user_model().objects.select_related("learner", "notify_preference").in_bulk(ids)
    rows = []
    for m in messages:
        user = users.get(_pk(m.user))
        if user is None or not user.is_active:  # a closed account hears nothing outside the platform
            continue
        pref, mobile = preference_of(user), mobile_of(user)
        if pref.sms and mobile:
            text = f"{m.title}。{m.body}" if m.body else m.title
            rows.append(Outbox(channel=Channel.SMS, recipient=user, address=mobile, body=text, event=event,
                               params=_params(m.params, m.title)))  # fmt: skip
        if pref.email and pref.email_address:
            rows.append(Outbox(channel=Channel.EMAIL, recipient=user, address=pref.email_address,
                               subject=m.title[:200], body=_email_text(m), event=event))  # fmt: skip
    return rows


def _email_text(m: Message) -> str:
    parts = [m.title, m.body]
    if m.url:
        parts.append(_("详情：%(jxjy_site_url)s%(url)s") % {"jxjy_site_url": settings.JXJY_SITE_URL, "url": m.url})
    return "\n\n".join([str(p) for p in parts if p] + ["—", str(EMAIL_FOOTER)])


def _params(params: Sequence[str] | None, default: str) -> list[str]:
    return [str(p) for p in params] if params is not None else [default]


def _pk(user) -> int:
    return getattr(user, "pk", user)


def _deliver_after_commit() -> None:
    transaction.on_commit(tasks.deliver_outbox.enqueue, robust=True)
