"""身份申诉: filed by the person whose 身份证号 another account holds, decided by the 人社厅专技处."""

import datetime as dt
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import AppealStatus, IdentityAppeal, Learner
from jxjy.accounts.services import register_learner
from jxjy.audit.models import AuditEntry

from .account_helpers import VerifiedClient
from .html_helpers import alerts, errors_next_to
from .recovery_helpers import last_code, sign_up, sms_to

ID = "650102199001011239"  # 张三, the learner_user fixture
OWNER_MOBILE = "13899110001"
CLAIMANT_MOBILE = "13899110002"
BAD_CODE = "验证码错误或已失效，请核对或重新获取验证码。"


def appeal_link() -> str:
    text = next(t for t in reversed(sms_to(CLAIMANT_MOBILE)) if "/accounts/appeal/" in t)
    return re.search(r"http://testserver(/accounts/appeal/[^/\s]+/)", text).group(1)


def file_appeal(client, clock, reason: str = "该身份证号为本人所有，此前从未注册。") -> IdentityAppeal:
    sign_up(client, mobile=CLAIMANT_MOBILE, id_number=ID, name="张三丰", work_unit="申诉人单位")
    link = appeal_link()
    clock.shift(dt.timedelta(seconds=61))  # a minute after the signup code: the mobile may have another
    client.post(link + "code/")
    response = client.post(link, {"reason": reason, "code": last_code(CLAIMANT_MOBILE)}, follow=True)
    assert "申诉已提交，自治区人社厅审核后将以短信通知您。" in alerts(response)
    return IdentityAppeal.objects.get()


@pytest.fixture
def appeal(learner_user, clock):
    return file_appeal(VerifiedClient(), clock)


def test_someone_whose_id_number_is_taken_files_an_appeal_from_the_sms_link(appeal, learner_user):
    assert appeal.status == AppealStatus.SUBMITTED
    assert appeal.account == learner_user and appeal.mobile == CLAIMANT_MOBILE and appeal.name == "张三丰"
    assert appeal.holder == f.hr_region()
    assert AuditEntry.objects.filter(action="submit_appeal", object_id=str(appeal.pk)).exists()


def test_the_link_works_once(appeal):
    client = VerifiedClient()
    assert client.get(appeal_link()).status_code == 404


def test_the_appeal_needs_the_sms_code_of_the_verified_mobile(learner_user, clock):
    client = VerifiedClient()
    sign_up(client, mobile=CLAIMANT_MOBILE, id_number=ID)
    link = appeal_link()
    response = client.post(link, {"reason": "本人身份证号", "code": "123456"})
    assert errors_next_to(response, "code") == [BAD_CODE]
    response = client.post(link + "code/", follow=True)
    assert any("获取验证码过于频繁" in a for a in alerts(response))  # a minute after the signup code only
    clock.shift(dt.timedelta(seconds=61))
    client.post(link + "code/")
    response = client.post(link, {"reason": "", "code": last_code(CLAIMANT_MOBILE)})
    assert "这个字段是必填项。" in errors_next_to(response, "reason")
    assert IdentityAppeal.objects.count() == 0


def test_hr_region_sees_the_appeal_in_its_menu_and_list(client_for, hr_region_user, appeal):
    client = client_for(hr_region_user)
    home = client.get(reverse("accounts:appeal_list")).content.decode()
    assert "身份申诉" in home and "张三丰" in home
    detail = client.get(reverse("accounts:appeal_detail", args=[appeal.pk])).content.decode()
    assert "6501**********1239" in detail and "138****0002" in detail and ID not in detail


@pytest.mark.parametrize(
    "role", ["base_user", "department_user", "hr_prefecture_user", "learner_user", "secadmin_user"]
)
def test_other_roles_cannot_see_or_decide_appeals(request, client_for, appeal, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("accounts:appeal_list")).status_code == 403
    assert client.get(reverse("accounts:appeal_detail", args=[appeal.pk])).status_code == 403
    response = client.post(reverse("accounts:appeal_decide", args=[appeal.pk, "approve"]))
    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED


def test_approval_moves_the_account_to_the_claimant_who_sets_a_password_by_sms(
    client_for, hr_region_user, appeal, clock
):
    old_session = VerifiedClient()
    old_session.force_login(appeal.account)
    client = client_for(hr_region_user)
    response = client.post(reverse("accounts:appeal_decide", args=[appeal.pk, "approve"]), follow=True)
    assert "已通过：张三丰的身份申诉。" in alerts(response)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.APPROVED
    learner = Learner.objects.by_id_number(ID).get()
    assert learner.user == appeal.account  # the same account, moved whole: nothing merged
    assert learner.mobile == CLAIMANT_MOBILE and learner.name == "张三丰"
    assert not learner.user.has_usable_password()
    assert old_session.get(reverse("accounts:password_change")).status_code == 302  # old sessions end
    assert AuditEntry.objects.filter(
        action="appeal_transfer_account", actor=hr_region_user, object_id=str(learner.user.pk)
    ).exists()
    assert AuditEntry.objects.filter(action="approve", object_id=str(appeal.pk)).exists()
    assert "申诉已通过" in sms_to(CLAIMANT_MOBILE)[-1] and "忘记密码" in sms_to(CLAIMANT_MOBILE)[-1]
    assert "解除绑定" in sms_to(OWNER_MOBILE)[-1]
    # The claimant sets a password with a code sent to their mobile, and logs in.
    clock.shift(dt.timedelta(minutes=10))  # the claimant reads the SMS later
    claimant = VerifiedClient()
    claimant.post(reverse("accounts:forgot"), {"login": ID})
    data = {"code": last_code(CLAIMANT_MOBILE), "new_password1": "Benren@2026", "new_password2": "Benren@2026"}
    claimant.post(reverse("accounts:forgot_reset"), data)
    claimant.post(reverse("accounts:login"), {"username": CLAIMANT_MOBILE, "password": "Benren@2026"})
    assert claimant.session[SESSION_KEY] == str(learner.user.pk)
    # The former holder's mobile finds nothing any more.
    assert not Learner.objects.by_mobile(OWNER_MOBILE).exists()


def test_rejection_needs_an_opinion_and_tells_the_claimant_by_sms(client_for, hr_region_user, appeal):
    client = client_for(hr_region_user)
    url = reverse("accounts:appeal_decide", args=[appeal.pk, "reject"])
    response = client.post(url, {"opinion": ""}, follow=True)
    assert "请填写审核意见。" in alerts(response)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED
    client.post(url, {"opinion": "材料不足，请携带身份证原件到窗口办理。"})
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REJECTED
    assert "未通过" in sms_to(CLAIMANT_MOBILE)[-1] and "材料不足" in sms_to(CLAIMANT_MOBILE)[-1]
    learner = Learner.objects.by_id_number(ID).get()
    assert learner.mobile == OWNER_MOBILE and learner.user.check_password(f.PASSWORD)  # the account as it was


def test_a_decided_appeal_cannot_be_decided_again(client_for, hr_region_user, appeal):
    client = client_for(hr_region_user)
    client.post(reverse("accounts:appeal_decide", args=[appeal.pk, "reject"]), {"opinion": "不符合"})
    response = client.post(reverse("accounts:appeal_decide", args=[appeal.pk, "approve"]), follow=True)
    assert any("不能执行「通过」" in a for a in alerts(response))
    assert Learner.objects.by_id_number(ID).get().mobile == OWNER_MOBILE


def test_approval_is_refused_when_the_claimants_mobile_has_since_been_registered(client_for, hr_region_user, appeal):
    register_learner(
        name="李四", id_number="650102198803150025", mobile=CLAIMANT_MOBILE, work_unit="单位", password=f.PASSWORD
    )
    response = client_for(hr_region_user).post(
        reverse("accounts:appeal_decide", args=[appeal.pk, "approve"]), follow=True
    )
    assert "申诉人的手机号已被其他账号使用，不能通过；请驳回并说明原因。" in alerts(response)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED
