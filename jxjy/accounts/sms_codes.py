"""SMS verification codes: 6 digits, valid 5 minutes, 5 tries, one request a minute, capped per number and address.

Codes live in the database (SmsCode), never in the cache: the cache may be down, and the limits are counted
from the rows themselves inside the request's transaction. Two kinds of limit:

* what the visitor typed (`subject`) and their address: refused with a message, the same whether or not
  the number is registered, because the rows are written either way;
* the mobile a message actually goes to: never more SMS than the same caps, but silently, since a refusal
  there would tell that the number typed belongs to an account.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core import clock, pii
from jxjy.core.errors import DomainError
from jxjy.core.identity import normalize_id_number, normalize_mobile

from .models import CodePurpose, SmsCode
from .sms_texts import Notice

CODE_MINUTES = 5
MAX_TRIES = 5
RESEND_SECONDS = 60
PER_NUMBER_HOUR = 5
PER_NUMBER_DAY = 10
PER_ADDRESS_HOUR = 20
LIMITS_TEXT = format_lazy(
    gettext_lazy(
        "验证码{minutes}分钟内有效，可输错{tries}次；{resend}秒后可重新获取。"
        "同一号码每小时最多获取{per_hour}次、每天{per_day}次，同一网络地址每小时最多{per_address}次。"
    ),
    minutes=CODE_MINUTES, tries=MAX_TRIES, resend=RESEND_SECONDS,
    per_hour=PER_NUMBER_HOUR, per_day=PER_NUMBER_DAY, per_address=PER_ADDRESS_HOUR,
)  # fmt: skip
BAD_CODE = gettext_lazy("验证码错误或已失效，请核对或重新获取验证码。")


def subject_hash(text: str) -> str:
    """The keyed hash of what the visitor typed (a mobile, a 身份证号 or anything else), for the limits."""
    text = (text or "").strip()
    for purpose, normalize in ((pii.MOBILE, normalize_mobile), (pii.ID_NUMBER, normalize_id_number)):
        try:
            return pii.lookup_hash(purpose, normalize(text))
        except ValidationError:
            continue
    return pii.lookup_hash(pii.ID_NUMBER, f"login:{text}")


def _code_hash(token: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"sms-code:{token}:{code}".encode(), hashlib.sha256).hexdigest()


def _recent(q: Q, *, seconds: int) -> int:
    return SmsCode.objects.filter(q, sent_at__gt=clock.now() - dt.timedelta(seconds=seconds)).count()


def refuse_if_too_often(*, subject: str, ip: str | None) -> None:
    """The visible limits: per number typed (a minute, an hour, a day) and per address (an hour)."""
    last = SmsCode.objects.filter(subject_hash=subject).order_by("-sent_at").values_list("sent_at", flat=True).first()
    if last is not None:
        wait = RESEND_SECONDS - int((clock.now() - last).total_seconds())
        if wait > 0:
            raise DomainError(_("获取验证码过于频繁，请%(wait)s秒后再试。") % {"wait": wait})
    if _recent(Q(subject_hash=subject), seconds=86400) >= PER_NUMBER_DAY:
        raise DomainError(
            _("该号码今天获取验证码已达%(per_number_day)s次，请明天再试。") % {"per_number_day": PER_NUMBER_DAY}
        )
    if _recent(Q(subject_hash=subject), seconds=3600) >= PER_NUMBER_HOUR:
        raise DomainError(
            _("该号码1小时内获取验证码已达%(per_number_hour)s次，请稍后再试。") % {"per_number_hour": PER_NUMBER_HOUR}
        )
    if ip and _recent(Q(ip=ip), seconds=3600) >= PER_ADDRESS_HOUR:
        raise DomainError(_("您所在网络获取验证码过于频繁，请1小时后再试。"))


def may_message(mobile_hash: str) -> bool:
    """The silent cap: one message a minute, five an hour, ten a day to any one mobile."""
    q = Q(mobile_hash=mobile_hash)
    return (
        _recent(q, seconds=RESEND_SECONDS) == 0
        and _recent(q, seconds=3600) < PER_NUMBER_HOUR
        and _recent(q, seconds=86400) < PER_NUMBER_DAY
    )


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def record_request(
    *, purpose: str, subject: str, ip: str | None, mobile: str, sent: bool, code: str, user=None, appeal_invite=None
) -> SmsCode:
    """The row of one accepted request: the mobile it is for, its hash if a message went, the code's hash."""
    token = secrets.token_urlsafe(32)
    return SmsCode.objects.create(
        purpose=purpose,
        token=token,
        subject_hash=subject,
        mobile=mobile,
        mobile_hash=pii.lookup_hash(pii.MOBILE, mobile) if sent else "",
        code_hash=_code_hash(token, code) if code else "",
        user=user,
        appeal_invite=appeal_invite,
        ip=ip,
        expires_at=clock.now() + dt.timedelta(minutes=CODE_MINUTES),
    )


def issue(
    *,
    purpose: str,
    subject: str,
    ip: str | None,
    mobile: str = "",
    notice: Notice | None = None,
    user=None,
    appeal_invite=None,
) -> SmsCode:
    """Record one request and send its notice to `mobile` (none: nothing is sent). A notice with a {code}
    carries a new code; without, it only tells. A mobile that had its share of messages is skipped silently."""
    supersede(purpose=purpose, subject=subject)
    sent = bool(mobile) and may_message(pii.lookup_hash(pii.MOBILE, mobile))
    code = new_code() if sent and notice and "code" in notice.params else ""
    row = record_request(
        purpose=purpose, subject=subject, ip=ip, mobile=mobile, sent=sent, code=code, user=user,
        appeal_invite=appeal_invite,
    )  # fmt: skip
    if sent and notice:
        notice.send(mobile, recipient=user, **({"code": code} if code else {}))
    return row


def lock_subject(subject: str) -> None:
    """Serialise requests for one number, so that two at the same moment cannot both pass the limits."""
    list(SmsCode.objects.select_for_update().filter(subject_hash=subject).values_list("pk", flat=True)[:1])


def supersede(*, purpose: str, subject: str) -> None:
    """A new code makes the earlier ones for the same number and purpose useless."""
    SmsCode.objects.filter(purpose=purpose, subject_hash=subject, used_at__isnull=True).update(used_at=clock.now())


def flow(token: str | None, *, purpose: CodePurpose) -> SmsCode | None:
    """The request a visitor's session points at, if any."""
    if not token:
        return None
    return SmsCode.objects.filter(token=token, purpose=purpose).first()


def check(row: SmsCode, code: str) -> SmsCode:
    """The row, if `code` is its code, unused, unexpired and within its tries; else BAD_CODE (a try is spent,
    and kept even if the caller's work is rolled back)."""
    with transaction.atomic():
        locked = SmsCode.objects.select_for_update().get(pk=row.pk)
        usable = locked.code_hash and locked.used_at is None and locked.tries < MAX_TRIES
        usable = usable and clock.now() < locked.expires_at
        matches = hmac.compare_digest(locked.code_hash, _code_hash(locked.token, (code or "").strip()))
        if not (usable and matches):
            locked.tries += 1
            locked.save(update_fields=["tries"])
    if not (usable and matches):
        raise DomainError(BAD_CODE, field="code")
    return locked


def consume(row: SmsCode) -> None:
    """Mark a checked code used, inside the caller's transaction; a second use of it is refused."""
    if not SmsCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=clock.now()):
        raise DomainError(BAD_CODE, field="code")
