"""忘记密码 and 注册 by SMS code: the same answers for registered and unregistered numbers, and the limits."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.lockout import key_for_user
from jxjy.accounts.models import Learner, SmsCode, User
from jxjy.accounts.services import register_learner
from jxjy.audit.models import AuditEntry

from .account_helpers import VerifiedClient
from .html_helpers import alerts, errors_next_to
from .recovery_helpers import answer, code_in, last_code, sign_up, signup_details, sms_to, start_signup

ID = "650102199001011239"  # 张三, the learner_user fixture
MOBILE = "13899110001"
UNREGISTERED_ID = "650102198803150025"
UNREGISTERED_MOBILE = "13800138000"
SENT = "如果该身份证号或手机号已注册，验证码已发送至注册手机（尾号不显示）。"
BAD_CODE = "验证码错误或已失效，请核对或重新获取验证码。"
NEW_PASSWORD = "Xinmima@2026"


def ask_reset(client, login: str, **kw):
    return client.post(reverse("accounts:forgot"), {"login": login}, **kw)


def set_password(client, code: str, password: str = NEW_PASSWORD, **kw):
    data = {"code": code, "new_password1": password, "new_password2": password}
    return client.post(reverse("accounts:forgot_reset"), data, **kw)


def logs_in(login: str, password: str) -> bool:
    client = VerifiedClient()
    client.post(reverse("accounts:login"), {"username": login, "password": password})
    return SESSION_KEY in client.session


# ---- 忘记密码 ----


def test_login_page_links_to_forgot_password_and_the_page_names_the_staff_path(client, db):
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:forgot") in login_page and "忘记密码" in login_page
    page = client.get(reverse("accounts:forgot")).content.decode()
    assert "工作人员账号请联系本单位安全管理员重置密码" in page
    assert "身份证号或手机号" in page and "60秒后可重新获取" in page


@pytest.mark.parametrize("login", [ID, MOBILE, "+86 138-9911-0001"])
def test_reset_by_id_number_or_mobile_sets_the_new_password_and_ends_every_session(client, learner_user, login):
    old_session = VerifiedClient()
    old_session.force_login(learner_user)
    response = ask_reset(client, login, follow=True)
    assert SENT in alerts(response)
    response = set_password(client, last_code(MOBILE), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "密码已重新设置，请使用新密码登录。" in alerts(response)
    assert old_session.get(reverse("accounts:password_change")).status_code == 302  # the older session is gone
    assert logs_in(ID, NEW_PASSWORD) and not logs_in(ID, f.PASSWORD)
    assert AuditEntry.objects.filter(action="recover_password", actor=learner_user).exists()
    assert not SmsCode.objects.filter(used_at__isnull=True).exists()  # the code is used up


def test_a_reset_clears_the_login_lockout(client, learner_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        VerifiedClient().post(reverse("accounts:login"), {"username": ID, "password": "Wrong@2026"})
    assert AccessAttempt.objects.filter(username=key_for_user(learner_user)).exists()
    ask_reset(client, ID)
    set_password(client, last_code(MOBILE))
    assert not AccessAttempt.objects.filter(username=key_for_user(learner_user)).exists()
    assert logs_in(ID, NEW_PASSWORD)


def test_sms_never_carries_the_code_in_the_page_and_the_database_keeps_only_its_hash(client, learner_user):
    response = ask_reset(client, ID, follow=True)
    code = last_code(MOBILE)
    assert code not in response.content.decode()
    row = SmsCode.objects.get()
    assert code not in row.code_hash and MOBILE not in row.mobile_hash and len(row.mobile_hash) == 64


def test_the_new_password_follows_the_rules_and_a_refused_one_keeps_the_code(client, learner_user):
    ask_reset(client, ID)
    code = last_code(MOBILE)
    response = set_password(client, code, "abcdefgh")
    assert "密码须至少包含小写字母、大写字母、数字、符号中的3类。" in errors_next_to(response, "new_password1")
    response = set_password(client, code, "Ab@" + MOBILE)
    assert "密码不能包含身份证号或手机号。" in errors_next_to(response, "new_password1")
    response = set_password(client, code, f.PASSWORD)  # the current one: in the history
    assert "新密码不能与最近5次使用过的密码相同。" in errors_next_to(response, "new_password1")
    assert logs_in(ID, f.PASSWORD)  # nothing changed yet
    set_password(client, code)
    assert logs_in(ID, NEW_PASSWORD)


def _reset_answers(login: str) -> list:
    client = VerifiedClient()
    first = ask_reset(client, login, follow=True)
    wrong = set_password(client, "000000", follow=True)
    resend_early = client.post(reverse("accounts:forgot_resend"), follow=True)
    return [answer(first), answer(wrong), answer(resend_early)]


@pytest.mark.parametrize(
    "registered, unregistered",
    [(ID, UNREGISTERED_ID), (MOBILE, UNREGISTERED_MOBILE), ("jd_sl", "nobody")],  # jd_sl: a staff account
)
def test_forgot_password_answers_the_same_for_registered_and_unregistered(
    learner_user, base_user, registered, unregistered
):
    assert _reset_answers(registered) == _reset_answers(unregistered)


def test_only_a_registered_learner_gets_a_code(client, learner_user, base_user):
    for login in (UNREGISTERED_ID, UNREGISTERED_MOBILE, "jd_sl"):
        ask_reset(VerifiedClient(), login)
    assert sms_to(UNREGISTERED_MOBILE) == []
    assert SmsCode.objects.exclude(code_hash="").count() == 0  # three requests counted, none carried a code
    assert SmsCode.objects.count() == 3


def test_a_wrong_code_gets_the_same_words_registered_or_not(client, learner_user):
    ask_reset(client, ID)
    response = set_password(client, "000000" if last_code(MOBILE) != "000000" else "111111")
    assert errors_next_to(response, "code") == [BAD_CODE]
    other = VerifiedClient()
    ask_reset(other, UNREGISTERED_ID)
    assert errors_next_to(set_password(other, "123456"), "code") == [BAD_CODE]


def test_the_code_expires_after_five_minutes(client, learner_user, clock):
    ask_reset(client, ID)
    code = last_code(MOBILE)
    clock.shift(dt.timedelta(minutes=5, seconds=1))
    assert errors_next_to(set_password(client, code), "code") == [BAD_CODE]
    assert logs_in(ID, f.PASSWORD)


def test_the_code_works_just_before_five_minutes(client, learner_user, clock):
    ask_reset(client, ID)
    code = last_code(MOBILE)
    clock.shift(dt.timedelta(minutes=4, seconds=50))
    set_password(client, code)
    assert logs_in(ID, NEW_PASSWORD)


def test_five_wrong_tries_end_the_code(client, learner_user):
    ask_reset(client, ID)
    code = last_code(MOBILE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert errors_next_to(set_password(client, wrong), "code") == [BAD_CODE]
    assert errors_next_to(set_password(client, code), "code") == [BAD_CODE]  # the right one, too late
    assert logs_in(ID, f.PASSWORD)


def test_four_wrong_tries_leave_the_code_usable(client, learner_user):
    ask_reset(client, ID)
    code = last_code(MOBILE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        set_password(client, wrong)
    set_password(client, code)
    assert logs_in(ID, NEW_PASSWORD)


def test_a_code_works_once(client, learner_user, clock):
    ask_reset(client, ID)
    code = last_code(MOBILE)
    set_password(client, code)
    clock.shift(dt.timedelta(seconds=61))
    ask_reset(client, ID)  # a new flow in the same browser cannot reuse the old code
    assert errors_next_to(set_password(client, code, "Another@2026"), "code") == [BAD_CODE]


def test_resend_is_refused_before_60_seconds_and_allowed_after(client, learner_user, clock):
    ask_reset(client, ID)
    first = last_code(MOBILE)
    response = client.post(reverse("accounts:forgot_resend"), follow=True)
    assert any("获取验证码过于频繁" in a and "秒后再试" in a for a in alerts(response))
    assert len(sms_to(MOBILE)) == 1
    clock.shift(dt.timedelta(seconds=61))
    response = client.post(reverse("accounts:forgot_resend"), follow=True)
    assert SENT in alerts(response)
    assert len(sms_to(MOBILE)) == 2
    second = last_code(MOBILE)
    if second != first:  # the first code died with the new one
        assert errors_next_to(set_password(client, first), "code") == [BAD_CODE]
    set_password(client, second)
    assert logs_in(ID, NEW_PASSWORD)


def test_per_number_caps_five_an_hour_and_ten_a_day(client, learner_user, clock):
    for _ in range(5):
        ask_reset(client, ID)
        clock.shift(dt.timedelta(seconds=61))
    response = ask_reset(client, ID)
    assert "该号码1小时内获取验证码已达5次，请稍后再试。" in errors_next_to(response, "login")
    assert len(sms_to(MOBILE)) == 5
    clock.shift(dt.timedelta(hours=1))
    for _ in range(5):
        ask_reset(client, ID)
        clock.shift(dt.timedelta(seconds=61))
    assert len(sms_to(MOBILE)) == 10
    clock.shift(dt.timedelta(hours=1))
    response = ask_reset(client, ID)
    assert "该号码今天获取验证码已达10次，请明天再试。" in errors_next_to(response, "login")
    assert len(sms_to(MOBILE)) == 10


def test_per_address_cap_twenty_an_hour(db, clock):
    client = VerifiedClient(REMOTE_ADDR="10.1.2.3")
    for n in range(20):
        ask_reset(client, f"139{n:08d}")
    response = ask_reset(client, "13912345678")
    assert "您所在网络获取验证码过于频繁，请1小时后再试。" in errors_next_to(response, "login")
    other_address = VerifiedClient(REMOTE_ADDR="10.9.9.9")
    assert ask_reset(other_address, "13912345678").status_code == 302  # on to step ②


def test_a_mobile_gets_no_more_than_its_share_even_asked_for_by_both_its_numbers(client, learner_user):
    ask_reset(client, ID)
    ask_reset(VerifiedClient(), MOBILE)  # another number typed, same phone: the answer is the same, no second SMS
    assert len(sms_to(MOBILE)) == 1


def test_a_disabled_learner_gets_no_code(client, learner_user):
    User.objects.filter(pk=learner_user.pk).update(is_active=False)
    response = ask_reset(client, ID, follow=True)
    assert SENT in alerts(response)
    assert sms_to(MOBILE) == []


def test_the_reset_page_without_a_request_goes_back_to_the_start(client, db):
    response = client.get(reverse("accounts:forgot_reset"))
    assert response.status_code == 302 and response.url == reverse("accounts:forgot")


# ---- 注册 ----


def test_signup_verifies_the_mobile_then_creates_the_account_and_says_so_by_sms(client, db):
    response = sign_up(client, mobile="+86 138-0013-8000")
    assert "注册结果已通过短信发送至您的手机，请按短信提示登录。" in alerts(response)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    learner = Learner.objects.get()
    assert learner.mobile == UNREGISTERED_MOBILE and learner.id_number == UNREGISTERED_ID
    assert "注册成功" in sms_to(UNREGISTERED_MOBILE)[-1]
    assert logs_in(UNREGISTERED_ID, "Shuili@2026")


def test_signup_with_a_wrong_code_creates_nothing(client, db):
    start_signup(client, UNREGISTERED_MOBILE)
    code = last_code(UNREGISTERED_MOBILE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = sign_up(client, mobile=UNREGISTERED_MOBILE, code=wrong)
    assert errors_next_to(response, "code") == [BAD_CODE]
    assert Learner.objects.count() == 0


def test_signup_code_expires_after_five_minutes(client, db, clock):
    start_signup(client, UNREGISTERED_MOBILE)
    code = last_code(UNREGISTERED_MOBILE)
    clock.shift(dt.timedelta(minutes=5, seconds=1))
    response = client.post(reverse("accounts:signup_details"), {"code": code, **signup_details()})
    assert errors_next_to(response, "code") == [BAD_CODE]
    assert Learner.objects.count() == 0


def test_signup_to_a_registered_mobile_answers_the_same_and_its_sms_points_to_forgot_password(learner_user):
    registered = answer(start_signup(VerifiedClient(), MOBILE, follow=True))
    unregistered = answer(start_signup(VerifiedClient(), "13899110002", follow=True))
    # The masked mobile on the page is the visitor's own; apart from it the answers are one.
    assert registered[:2] == unregistered[:2]
    assert registered[2].replace("138****0001", "X") == unregistered[2].replace("138****0002", "X")
    sms = sms_to(MOBILE)[-1]
    assert "已注册" in sms and "忘记密码" in sms
    assert not any(ch.isdigit() for ch in sms.replace("【继续教育系统】", ""))  # no code in it


def test_signup_with_a_registered_id_number_answers_as_a_success_and_creates_nothing(learner_user):
    taken = sign_up(VerifiedClient(), mobile="13899110002", id_number=ID)
    fresh = sign_up(VerifiedClient(), mobile="13899110003", id_number=UNREGISTERED_ID)
    assert answer(taken) == answer(fresh)
    assert Learner.objects.by_id_number(ID).get().user == learner_user  # untouched, nothing merged
    assert not Learner.objects.by_mobile("13899110002").exists()
    claimant_sms = sms_to("13899110002")[-1]
    assert "已被其他账号注册" in claimant_sms and "http://testserver/accounts/appeal/" in claimant_sms
    assert "有人尝试使用您的身份证号" in sms_to(MOBILE)[-1]


def test_signup_with_an_id_number_taken_as_a_staff_user_name_creates_nothing(db):
    f.UserFactory(username=UNREGISTERED_ID)
    response = sign_up(VerifiedClient())
    assert "注册结果已通过短信发送至您的手机，请按短信提示登录。" in alerts(response)
    assert Learner.objects.count() == 0
    assert "无法注册" in sms_to(UNREGISTERED_MOBILE)[-1]


def test_signup_racing_another_with_the_same_id_makes_one_account(client, db):
    start_signup(client, UNREGISTERED_MOBILE)
    code = last_code(UNREGISTERED_MOBILE)
    register_learner(
        name="王五", id_number=UNREGISTERED_ID, mobile="13999990000", work_unit="单位", password=f.PASSWORD
    )
    response = client.post(reverse("accounts:signup_details"), {"code": code, **signup_details()}, follow=True)
    assert "注册结果已通过短信发送至您的手机，请按短信提示登录。" in alerts(response)
    assert Learner.objects.count() == 1
    assert "已被其他账号注册" in sms_to(UNREGISTERED_MOBILE)[-1]


def test_signup_resend_refused_before_60_seconds(client, db, clock):
    start_signup(client, UNREGISTERED_MOBILE)
    response = client.post(reverse("accounts:signup_resend"), follow=True)
    assert any("获取验证码过于频繁" in a for a in alerts(response))
    clock.shift(dt.timedelta(seconds=60))
    client.post(reverse("accounts:signup_resend"))
    assert len(sms_to(UNREGISTERED_MOBILE)) == 2


def test_signup_step_two_shows_the_sent_message_and_no_code(client, db):
    response = start_signup(client, UNREGISTERED_MOBILE, follow=True)
    assert any("短信已发送至手机138****8000" in a for a in alerts(response))
    assert last_code(UNREGISTERED_MOBILE) not in response.content.decode()
    assert code_in(sms_to(UNREGISTERED_MOBILE)[-1])
