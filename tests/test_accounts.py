"""学员注册 and 登录 (by user name, 身份证号 or 手机号), through the pages."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import Learner, Role, User
from jxjy.accounts.services import register_learner
from jxjy.audit.models import AuditEntry
from jxjy.core.identity import normalize_mobile

from .html_helpers import alerts, errors_next_to
from .recovery_helpers import last_code, sms_to
from .test_identity import fullwidth

BAD_LOGIN = "账号或密码错误，请重新输入。"


def signup_data(**overrides) -> dict:
    """Step ② of 注册 (the mobile was verified at step ①); `mobile` picks the one verified."""
    data = {
        "name": "李娜",
        "id_number": "650102198803150025",
        "work_unit": "新疆水利水电勘测设计研究院",
        "password1": "Shuili@2026",
        "password2": "Shuili@2026",
    }
    data.update(overrides)
    return data


def post_signup(client, mobile: str = "+86 138-0013-8000", **overrides):
    """注册 through both steps, with the code the SMS carried."""
    client.post(reverse("accounts:signup"), {"mobile": mobile}, follow=True)
    data = {"code": last_code(normalize_mobile(mobile)), **signup_data(**overrides)}
    return client.post(reverse("accounts:signup_details"), data, follow=True)


def logged_in_user(client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def counts() -> tuple[int, int]:
    return User.objects.count(), Learner.objects.count()


# ---- 注册 ----


def test_signup_page_is_in_chinese(client, db):
    page = client.get(reverse("accounts:signup")).content.decode()
    for label in ("学员注册", "手机号", "获取验证码"):
        assert label in page
    client.post(reverse("accounts:signup"), {"mobile": "13800138000"})
    page = client.get(reverse("accounts:signup_details")).content.decode()
    for label in ("学员注册", "短信验证码", "姓名", "身份证号", "工作单位", "确认密码"):
        assert label in page


def test_signup_creates_the_learner_with_gender_from_id_and_normalised_mobile(client, db):
    response = post_signup(client)
    learner = Learner.objects.get()
    assert learner.id_number == "650102198803150025"
    assert learner.gender == "女"
    assert learner.mobile == "13800138000"
    assert learner.name == "李娜" and learner.work_unit == "新疆水利水电勘测设计研究院"
    assert learner.user.role == Role.LEARNER
    assert "650102198803150025" not in learner.user.username  # the user table holds no 身份证号
    assert learner.user.check_password("Shuili@2026")
    # The result goes by SMS, so that the page reads the same whether or not the 身份证号 was registered.
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "注册结果已通过短信发送至您的手机，请按短信提示登录。" in alerts(response)
    assert AuditEntry.objects.filter(action="learner_register", actor=learner.user).exists()


def test_signup_stores_lowercase_x_as_uppercase(client, db):
    first17 = "65010219900101005"  # check character X
    post_signup(client, id_number=first17 + "x")
    assert Learner.objects.get().id_number == first17 + "X"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("id_number", "650102199001011230", "身份证号校验位不正确，请核对。"),
        ("id_number", "650102199002301234", "身份证号中的出生日期不存在。"),
        ("id_number", "65010219900101123A", "身份证号应为18位，前17位为数字，最后一位为数字或X。"),
        ("password2", "Other@2026", "两次输入的密码不一致。"),
        ("name", "", "这个字段是必填项。"),
        ("work_unit", "", "这个字段是必填项。"),
        ("code", "12345", "请输入短信中的6位数字验证码。"),
    ],
)
def test_signup_shows_the_message_next_to_the_field_and_creates_nothing(client, db, field, value, message):
    before = counts()
    response = post_signup(client, **{field: value})
    assert response.status_code == 200
    assert message in errors_next_to(response, field)
    assert counts() == before
    assert logged_in_user(client) is None


@pytest.mark.parametrize("mobile", ["12800138000", "1380013800"])
def test_signup_refuses_a_malformed_mobile_next_to_the_field(client, db, mobile):
    response = client.post(reverse("accounts:signup"), {"mobile": mobile})
    assert "请输入正确的11位手机号码。" in errors_next_to(response, "mobile")
    assert sms_to(mobile) == []


def test_signup_refuses_a_weak_password_in_chinese(client, db):
    response = post_signup(client, password1="12345678", password2="12345678")
    errors = errors_next_to(response, "password1")
    assert errors and all("密码" in e for e in errors)
    assert Learner.objects.count() == 0


@pytest.mark.parametrize(
    "password", ["65010219900101005X", "65010219900101005x", "Ab@65010219900101005X", "Pw13800138000"]
)
def test_signup_refuses_the_id_number_or_mobile_as_password(client, db, password):
    response = post_signup(client, id_number="65010219900101005X", password1=password, password2=password)
    assert "密码不能包含身份证号或手机号。" in errors_next_to(response, "password1")
    assert counts() == (0, 0)


@pytest.mark.parametrize("id_number", ["650102199001011239", " 650102199001011239 ", fullwidth("650102199001011239")])
def test_signup_with_an_id_number_already_registered_creates_nothing_and_says_so_by_sms(
    client, learner_user, id_number
):
    before = counts()
    response = post_signup(client, id_number=id_number)
    assert "注册结果已通过短信发送至您的手机，请按短信提示登录。" in alerts(response)  # as for a success
    assert counts() == before
    assert "6501**********1239已被其他账号注册" in sms_to("13800138000")[-1]


def test_signup_to_a_mobile_already_used_in_another_format_sends_no_code(client, learner_user):
    before = counts()
    response = client.post(reverse("accounts:signup"), {"mobile": "+86 138 9911 0001"}, follow=True)
    assert any("短信已发送至手机138****0001" in a for a in alerts(response))
    assert "忘记密码" in sms_to("13899110001")[-1] and "验证码" not in sms_to("13899110001")[-1]
    assert counts() == before


# ---- 登录 ----


def login(client, username: str, password: str = f.PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_learner_logs_in_with_id_number(client, learner_user):
    response = login(client, "650102199001011239")
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert logged_in_user(client) == learner_user
    assert AuditEntry.objects.filter(action="login", actor=learner_user).exists()


def test_learner_logs_in_with_fullwidth_id_number(client, learner_user):
    login(client, fullwidth("650102199001011239"))
    assert logged_in_user(client) == learner_user


def test_learner_logs_in_with_lowercase_x(client, db):
    user = register_learner(
        name="王五", id_number="65010219900101005X", mobile="13899110002", work_unit="测试单位", password=f.PASSWORD
    )
    login(client, "65010219900101005x")
    assert logged_in_user(client) == user


@pytest.mark.parametrize("mobile", ["13899110001", "+86 138-9911-0001", "0086 13899110001", "138 9911 0001"])
def test_learner_logs_in_with_mobile_in_any_accepted_format(client, learner_user, mobile):
    response = login(client, mobile)
    assert response.status_code == 302
    assert logged_in_user(client) == learner_user


def test_staff_logs_in_with_user_name(client, base_user):
    response = login(client, "jd_sl")
    assert response.status_code == 302
    assert logged_in_user(client) == base_user


def test_wrong_password_and_unknown_account_get_the_same_message(client, learner_user, base_user):
    answers = []
    tries = [
        ("650102199001011239", "Wrong@2026"),
        ("13899110001", "Wrong@2026"),
        ("jd_sl", "Wrong@2026"),
        ("650102198803150025", f.PASSWORD),  # valid 身份证号, not registered
        ("13800000000", f.PASSWORD),  # valid mobile, not registered
        ("nobody", f.PASSWORD),
    ]
    # Each from its own address: after three failures from one address the form asks for a 图形验证码 too.
    for n, (username, password) in enumerate(tries):
        data = {"username": username, "password": password}
        response = client.post(reverse("accounts:login"), data, REMOTE_ADDR=f"10.3.0.{n}")
        assert response.status_code == 200
        assert logged_in_user(client) is None
        answers.append(alerts(response))
    assert all(a == [BAD_LOGIN] for a in answers), answers


def test_signup_with_an_id_number_taken_as_a_staff_user_name_creates_nothing(client, db):
    f.UserFactory(username="650102198803150025")
    before = counts()
    response = post_signup(client)
    assert "注册结果已通过短信发送至您的手机，请按短信提示登录。" in alerts(response)
    assert counts() == before


def test_learner_cannot_log_in_through_the_staff_user_name_path(client, learner_user):
    # Learners log in by 身份证号 or 手机号 only; a user name is a staff login.
    User.objects.filter(pk=learner_user.pk).update(username="zhangsan")
    login(client, "zhangsan")
    assert logged_in_user(client) is None


def test_deactivated_account_cannot_log_in(client, base_user):
    User.objects.filter(pk=base_user.pk).update(is_active=False)
    response = login(client, "jd_sl")
    assert logged_in_user(client) is None
    assert alerts(response) == [BAD_LOGIN]
