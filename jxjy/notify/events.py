"""The events that reach people outside the platform, and what an SMS template is given for each.

A 站内消息 is written for every event; an event listed in EXTERNAL also goes out by SMS and e-mail, as the
learner chose in 消息设置. An SMS provider in China sends approved templates with parameters: each event has
one template (README: 短信与邮件) and the parameters named here, in order.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Event:
    code: str
    label: str  # shown in 消息设置: what the learner will be told of
    params: tuple[str, ...]  # what the SMS template's {1}, {2} … are, for the operator who writes it


EXTERNAL: dict[str, Event] = {
    e.code: e
    for e in (
        Event("registration_approved", gettext_lazy("报名审核通过"), (gettext_lazy("培训班名称"),)),
        Event("registration_returned", gettext_lazy("报名被退回"), (gettext_lazy("培训班名称"),)),
        Event("waiting_promoted", gettext_lazy("候补转为正式报名"), (gettext_lazy("消息标题"),)),
        Event("certificate_issued", gettext_lazy("电子证书已签发"), (gettext_lazy("培训班名称"),)),
        Event("hours_recognised", gettext_lazy("学时已认定"), (gettext_lazy("培训班名称"), gettext_lazy("学时"))),
    )
}

# A review move that is such an event: (the document's model label, the move) → event. Other moves are
# told in 站内消息 only.
MOVE_EVENTS: dict[tuple[str, str], str] = {
    ("trainings.registration", "approve"): "registration_approved",
    ("trainings.registration", "return"): "registration_returned",
}


# SMS sent to a number whatever the settings say (verification codes, account notices), registered by the app
# that sends them (accounts/sms_texts.py): event → its template's parameters. Each needs a template too.
DIRECT: dict[str, tuple[str, ...]] = {}


def register_direct(event: str, params: tuple[str, ...]) -> None:
    if event in EXTERNAL or DIRECT.get(event, params) != params:
        raise ValueError(f"SMS event {event} declared twice")
    DIRECT[event] = params


def sms_events() -> list[str]:
    """Every event an SMS can be sent for: what the provider needs a template for."""
    return [*EXTERNAL, *DIRECT]


def is_external(event: str) -> bool:
    return event in EXTERNAL


def move_event(doc, action: str) -> str:
    """The event a move is: a named one (报名审核通过 …) or `move:<model>:<action>`, told in 站内消息 only."""
    label = doc._meta.label_lower
    return MOVE_EVENTS.get((label, action), f"move:{label}:{action}")[:40]


def move_params(doc) -> tuple[str, ...]:
    """A registration's SMS names its class (the template says 报名 and the outcome itself)."""
    return (str(getattr(doc, "training_class", doc)),)
