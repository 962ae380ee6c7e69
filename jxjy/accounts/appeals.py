"""身份申诉: someone whose 身份证号 another account holds asks for that account; the 人社厅 decides.

Nothing is merged: on 通过 the account, with everything recorded under that 身份证号, passes whole to the
claimant (their verified mobile, their name); its password is void until they set one by SMS code, and every
session of it ends. On 驳回 the claimant is told by SMS, with the opinion.
"""

from axes.utils import reset as axes_reset
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.core.identity import mask_id_number, mask_mobile
from jxjy.review import engine
from jxjy.review.workflows import Action

from . import sms_codes, sms_texts
from .appeal_workflow import hr_region
from .audit_actions import AccountAction
from .lockout import key_for_user
from .models import AppealInvite, AppealStatus, CodePurpose, IdentityAppeal, Learner, Role, SmsCode, User
from .recovery import invite_token_hash
from .services import end_sessions

INVALID_LINK = gettext_lazy("申诉链接无效或已过期，请重新注册后按短信提示申诉。")


def appeals_visible_to(user: User) -> QuerySet[IdentityAppeal]:
    """The 申诉s a user may see: all of them for the 人社厅专技处, none for anyone else."""
    if user.is_authenticated and user.role == Role.HR_REGION:
        return IdentityAppeal.objects.select_related("account")
    return IdentityAppeal.objects.none()


def invite_for(token: str) -> AppealInvite | None:
    """The unused, unexpired invitation of an SMS link."""
    return AppealInvite.objects.filter(
        token_hash=invite_token_hash(token), used_at__isnull=True, expires_at__gt=clock.now()
    ).first()


def request_appeal_code(invite: AppealInvite, *, ip: str | None) -> SmsCode:
    """获取验证码 for the 申诉: to the mobile verified at 注册, under the usual limits."""
    subject = sms_codes.subject_hash(invite.mobile)
    with transaction.atomic():
        sms_codes.lock_subject(subject)
        sms_codes.refuse_if_too_often(subject=subject, ip=ip)
        return sms_codes.issue(
            purpose=CodePurpose.APPEAL, subject=subject, ip=ip, mobile=invite.mobile, notice=sms_texts.CODE_APPEAL,
            appeal_invite=invite,
        )  # fmt: skip


def file_appeal(invite: AppealInvite, row: SmsCode | None, *, code: str, reason: str) -> IdentityAppeal:
    """提交申诉 with the SMS code: it waits for the 人社厅; the link is used up."""
    if row is None or row.appeal_invite_id != invite.pk:
        raise DomainError(sms_codes.BAD_CODE, field="code")
    checked = sms_codes.check(row, code)
    with transaction.atomic():
        sms_codes.consume(checked)
        return lodge(invite, reason=reason)


def lodge(invite: AppealInvite, *, reason: str) -> IdentityAppeal:
    """The 申诉 of a verified claimant, waiting for the 人社厅; the link is used up."""
    if hr_region() is None:
        raise DomainError(_("系统尚未设置自治区人社厅，暂不能受理申诉。"))
    with transaction.atomic():
        if not AppealInvite.objects.filter(pk=invite.pk, used_at__isnull=True).update(used_at=clock.now()):
            raise DomainError(INVALID_LINK)
        appeal = engine.begin(IdentityAppeal(
            account=invite.account, id_number=invite.id_number, name=invite.name, mobile=invite.mobile,
            work_unit=invite.work_unit, reason=reason.strip(), submitted_at=clock.now(),
        ))  # fmt: skip
        appeal.save()
        audit.record(actor=None, action=AccountAction.SUBMIT_APPEAL, obj=appeal, state_after=AppealStatus.SUBMITTED)
    return appeal


def approve_appeal(appeal: IdentityAppeal, *, actor: User, opinion: str = "") -> IdentityAppeal:
    """通过: the account passes to the claimant; its old sessions end and its password must be set anew."""
    with transaction.atomic():
        appeal = engine.perform(appeal, Action.APPROVE, actor=actor, opinion=opinion)
        _transfer(appeal, actor=actor)
    return appeal


def reject_appeal(appeal: IdentityAppeal, *, actor: User, opinion: str) -> IdentityAppeal:
    """驳回 (opinion required): the claimant is told by SMS; the account stays as it was."""
    with transaction.atomic():
        appeal = engine.perform(appeal, Action.REJECT, actor=actor, opinion=opinion)
        masked = mask_id_number(appeal.id_number)
        sms_texts.APPEAL_REJECTED.send(appeal.mobile, id_number=masked, opinion=opinion.strip())
    return appeal


def _transfer(appeal: IdentityAppeal, *, actor: User) -> None:
    learner = Learner.objects.select_for_update().select_related("user").get(user=appeal.account_id)
    user, old_mobile = learner.user, learner.mobile
    learner.name, learner.mobile, learner.work_unit = appeal.name, appeal.mobile, appeal.work_unit
    learner.save()
    user.full_name = appeal.name
    user.set_unusable_password()
    user.must_change_password = False
    user.save()
    SmsCode.objects.filter(user=user, used_at__isnull=True).update(used_at=clock.now())  # old codes die too
    end_sessions(user)
    axes_reset(username=key_for_user(user))
    audit.record(
        actor=actor, action=AccountAction.APPEAL_TRANSFER, obj=user, state_before=mask_mobile(old_mobile),
        state_after=mask_mobile(appeal.mobile), detail={"身份申诉": appeal.pk},
    )  # fmt: skip
    masked = mask_id_number(appeal.id_number)
    sms_texts.APPEAL_APPROVED.send(appeal.mobile, recipient=user, id_number=masked)
    sms_texts.APPEAL_OLD_MOBILE.send(old_mobile, id_number=masked)
