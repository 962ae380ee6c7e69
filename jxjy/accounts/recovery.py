"""找回密码 and 注册 by SMS code, answering an anonymous visitor the same whether or not a number is registered.

The visitor sees one flow either way; only the owner of the mobile learns by SMS what happened: a code, or a
notice that the mobile already has an account, or that the 身份证号 is taken (with a link to 申诉).
"""

import datetime as dt
import hashlib
import hmac
import secrets

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.core.identity import mask_id_number, normalize_id_number, normalize_mobile

from . import sms_codes, sms_texts
from .audit_actions import AccountAction
from .lockout import key_for_user
from .models import AppealInvite, CodePurpose, Learner, Role, SmsCode, User
from .services import end_sessions, register_learner

APPEAL_DAYS = 7


def _learner_for(login: str) -> Learner | None:
    """The active learner whose 身份证号 or mobile this is; staff accounts never recover by SMS."""
    login = (login or "").strip()
    for lookup, normalize in (
        (Learner.objects.by_id_number, normalize_id_number),
        (Learner.objects.by_mobile, normalize_mobile),
    ):
        try:
            normalize(login)
        except ValidationError:
            continue
        learner = lookup(login).select_related("user").filter(user__is_active=True, user__role=Role.LEARNER).first()
        if learner is not None:
            return learner
    return None


def request_reset_code(*, login: str, ip: str | None) -> SmsCode:
    """忘记密码: a code to the registered mobile of the learner with this 身份证号 or mobile; nothing otherwise."""
    subject = sms_codes.subject_hash(login)
    with transaction.atomic():
        sms_codes.lock_subject(subject)
        sms_codes.refuse_if_too_often(subject=subject, ip=ip)
        learner = _learner_for(login)
        return _issue_reset(subject=subject, ip=ip, user=learner.user if learner else None)


def resend_reset_code(row: SmsCode, *, ip: str | None) -> SmsCode:
    """重新获取: a new code for the same 身份证号 or mobile, under the same limits."""
    with transaction.atomic():
        sms_codes.lock_subject(row.subject_hash)
        sms_codes.refuse_if_too_often(subject=row.subject_hash, ip=ip)
        user = row.user if row.user_id and row.user.is_active else None
        return _issue_reset(subject=row.subject_hash, ip=ip, user=user)


def _issue_reset(*, subject: str, ip: str | None, user: User | None) -> SmsCode:
    mobile = user.learner.mobile if user else ""
    return sms_codes.issue(
        purpose=CodePurpose.RESET, subject=subject, ip=ip, mobile=mobile, notice=sms_texts.CODE_RESET, user=user
    )


def validate_new_password(user: User, password: str) -> None:
    """The project's rules for this account (history included), and not its 身份证号 or mobile."""
    learner = getattr(user, "learner", None)
    if learner and any(k.upper() in password.upper() for k in (learner.id_number, learner.mobile)):
        raise ValidationError(_("密码不能包含身份证号或手机号。"))
    password_validation.validate_password(password, user=user)


def reset_password_with_code(row: SmsCode, *, code: str, password: str) -> User:
    """设置新密码 with the SMS code: every session of the account ends and its login lockout is cleared."""
    checked = sms_codes.check(row, code)
    user = User.objects.select_related("learner").get(pk=checked.user_id)
    try:
        validate_new_password(user, password)
    except ValidationError as e:
        raise DomainError(e.messages[0], errors={"new_password1": e.messages}) from None
    with transaction.atomic():
        sms_codes.consume(checked)
        user.set_password(password)
        user.must_change_password = False
        user.save()
        end_sessions(user)
        axes_reset(username=key_for_user(user))
        audit.record(actor=user, action=AccountAction.RECOVER_PASSWORD, obj=user, detail={"方式": _("短信验证码")})
        sms_texts.PASSWORD_RESET.send(user.learner.mobile, recipient=user)
    return user


# ---- 注册 ----


def request_signup_code(*, mobile: str, ip: str | None) -> SmsCode:
    """注册 step one: a code to any well-formed mobile; one that already has an account is told so instead."""
    mobile = normalize_mobile(mobile)
    subject = sms_codes.subject_hash(mobile)
    with transaction.atomic():
        sms_codes.lock_subject(subject)
        sms_codes.refuse_if_too_often(subject=subject, ip=ip)
        taken = Learner.objects.by_mobile(mobile).exists()
        notice = sms_texts.MOBILE_TAKEN if taken else sms_texts.CODE_SIGNUP
        return sms_codes.issue(purpose=CodePurpose.SIGNUP, subject=subject, ip=ip, mobile=mobile, notice=notice)


def resend_signup_code(row: SmsCode, *, ip: str | None) -> SmsCode:
    """重新获取 at 注册, for the same mobile."""
    return request_signup_code(mobile=row.mobile, ip=ip)


def complete_signup(row: SmsCode, *, code: str, name: str, id_number: str, work_unit: str, password: str) -> str:
    """注册 step two: with the code of the verified mobile, the account is made, or, if the 身份证号 is taken,
    nothing is made and the SMS says how to 申诉. Returns "created" or "taken"; the page says the same."""
    checked = sms_codes.check(row, code)
    mobile, id_number = checked.mobile, normalize_id_number(id_number)
    with transaction.atomic():
        sms_codes.consume(checked)
        if Learner.objects.by_mobile(mobile).exists():  # registered since the code was sent
            sms_texts.MOBILE_TAKEN.send(mobile)
            return "taken"
        holder = Learner.objects.by_id_number(id_number).select_related("user").first()
        if holder is None and not User.objects.filter(username=id_number).exists():
            try:
                with transaction.atomic():
                    user = register_learner(
                        name=name, id_number=id_number, mobile=mobile, work_unit=work_unit, password=password
                    )
            except IntegrityError:
                holder = Learner.objects.by_id_number(id_number).select_related("user").first()
            else:
                sms_texts.SIGNUP_CREATED.send(mobile, recipient=user)
                return "created"
        _tell_id_taken(holder, id_number=id_number, name=name, mobile=mobile, work_unit=work_unit)
        return "taken"


def _tell_id_taken(holder: Learner | None, *, id_number: str, name: str, mobile: str, work_unit: str) -> None:
    masked = mask_id_number(id_number)
    if holder is None:  # a staff user name: nothing to claim here
        sms_texts.ID_NOT_LEARNER.send(mobile, id_number=masked)
        return
    warned = AppealInvite.objects.filter(account=holder.user, created_at__gt=clock.now() - dt.timedelta(hours=1))
    owner_told = warned.exists()
    token = secrets.token_urlsafe(24)
    AppealInvite.objects.create(
        token_hash=invite_token_hash(token), account=holder.user, id_number=id_number, name=name, mobile=mobile,
        work_unit=work_unit, expires_at=clock.now() + dt.timedelta(days=APPEAL_DAYS),
    )  # fmt: skip
    link = settings.JXJY_SITE_URL + reverse("accounts:appeal_file", args=[token])
    sms_texts.ID_TAKEN.send(mobile, id_number=masked, days=APPEAL_DAYS, link=link)
    if not owner_told:  # at most one warning an hour to the account's own mobile
        sms_texts.ID_TRIED.send(holder.mobile, recipient=holder.user, id_number=masked)
    audit.record(actor=None, action=AccountAction.DUPLICATE_ID_NUMBER, obj=holder.user)


def invite_token_hash(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"appeal-invite:{token}".encode(), hashlib.sha256).hexdigest()
