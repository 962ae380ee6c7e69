"""系统管理 in the site's own screens (jxjy/sysadmin): 单位, 账号, 培训范围目录, 规则设置 and 接口令牌, for the
系统管理员 only; every change through a service and into the audit trail, every refusal in Chinese."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from jxjy.accounts.models import AdminRequest, Organisation, Role, User
from jxjy.accounts.services import register_learner
from jxjy.api import tokens
from jxjy.api.models import ApiToken
from jxjy.audit.models import AuditEntry
from jxjy.catalog.models import Series, Specialty
from jxjy.core import pii
from jxjy.core.models import RuleSetting
from jxjy.core.rules import rule
from jxjy.portal.audit_actions import PortalAction
from jxjy.portal.menu import menu_for
from jxjy.sysadmin import services

from .html_helpers import alerts, errors_next_to, page
from .test_dual_control import link_mailed_to

SCREENS = [
    "sysadmin:index", "sysadmin:organisations", "sysadmin:organisation_new", "sysadmin:accounts",
    "sysadmin:account_new", "sysadmin:catalog", "sysadmin:rules", "sysadmin:tokens", "sysadmin:token_new",
]  # fmt: skip
REFUSAL = "只有系统管理员可以使用系统管理。"


@pytest.fixture
def admin(client_for, sysadmin_user):
    return client_for(sysadmin_user)


def cells(response) -> list[list[str]]:
    """The cells' texts of each row of the page's tables."""
    body_rows = page(response).find_all(lambda n: n.tag == "tr" and n.parent is not None and n.parent.tag == "tbody")
    return [[c.text() for c in row.children if not isinstance(c, str) and c.tag in ("td", "th")] for row in body_rows]


def rows(response) -> list[str]:
    """Each row of the page's tables as one text, its cells apart."""
    return [" ".join(row) for row in cells(response)]


def first_cells(response) -> list[str]:
    return [row[0] for row in cells(response)]


def entries(action: str):
    return AuditEntry.objects.filter(action=action)


# ---- who may ----


@pytest.mark.parametrize("role", ["base_user", "department_user", "hr_region_user", "learner_user", "secadmin_user",
                                  "auditor_user"])  # fmt: skip
def test_every_screen_refuses_any_other_role_with_the_chinese_403_page(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    for name in SCREENS:
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert REFUSAL in response.content.decode(), name


def test_a_post_of_another_role_changes_nothing(client_for, secadmin_user, base_user):
    client = client_for(secadmin_user)
    assert client.post(reverse("sysadmin:account_disable", args=[base_user.pk])).status_code == 403
    assert client.post(reverse("sysadmin:rule_edit", args=["JXJY_YEARLY_HOURS"]), {"value": "50"}).status_code == 403
    base_user.refresh_from_db()
    assert base_user.is_active and not RuleSetting.objects.exists()


def test_the_anonymous_are_sent_to_log_in(client, db):
    response = client.get(reverse("sysadmin:accounts"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_menu_opens_the_new_screens_and_links_no_django_admin(sysadmin_user):
    items = {item.label: item.url for item in menu_for(sysadmin_user)}
    assert items["系统管理"] == reverse("sysadmin:index")
    assert not any(url.startswith("/admin/") for url in items.values())


def test_the_landing_page_lists_the_five_screens(admin):
    texts = " ".join(rows(admin.get(reverse("sysadmin:index"))))
    for label in ("单位管理", "账号管理", "培训范围目录", "规则设置", "接口令牌"):
        assert label in texts


# ---- 单位 ----


def test_organisations_are_searched_by_name_filtered_by_kind_and_counted(admin, base, other_base, department):
    url = reverse("sysadmin:organisations")
    found = admin.get(url, {"q": "水利"})
    assert any("新疆水利水电继续教育基地" in r for r in rows(found))
    assert not any("林业" in r for r in rows(found))
    bases = admin.get(url, {"kind": "base"})
    assert set(first_cells(bases)) >= {"新疆水利水电继续教育基地", "新疆林业继续教育基地"}
    assert "自治区水利厅" not in first_cells(bases)
    assert f"共 {Organisation.objects.filter(kind='base').count()} 个单位" in page(bases).text()


def test_a_new_base_needs_its_level_prefecture_and_department_in_chinese(admin, db):
    response = admin.post(reverse("sysadmin:organisation_new"), {"name": "新建基地", "kind": "base", "is_active": "on"})
    assert errors_next_to(response, "level") == ["继续教育基地须选择基地级别。"]
    assert errors_next_to(response, "prefecture") == ["继续教育基地须选择所在地州。"]
    assert errors_next_to(response, "department") == ["继续教育基地须选择主管部门。"]
    assert alerts(response) == []  # no English word of the database's constraint on top
    assert not Organisation.objects.filter(name="新建基地").exists()


def test_creating_and_editing_an_organisation_is_audited(admin, sysadmin_user, department):
    prefecture = f.prefecture("喀什地区")
    data = {"name": "喀什地区继续教育基地", "kind": "base", "level": "prefecture", "prefecture": prefecture.pk,
            "department": department.pk, "is_active": "on"}  # fmt: skip
    assert admin.post(reverse("sysadmin:organisation_new"), data).status_code == 302
    org = Organisation.objects.get(name="喀什地区继续教育基地")
    created = entries("create_organisation").get()
    assert (created.actor, created.object_id) == (sysadmin_user, str(org.pk))

    data.pop("is_active")  # 停用
    data["name"] = "喀什地区水利继续教育基地"
    assert admin.post(reverse("sysadmin:organisation_edit", args=[org.pk]), data).status_code == 302
    org.refresh_from_db()
    assert org.name == "喀什地区水利继续教育基地" and not org.is_active
    changed = entries("change_organisation").get()
    assert changed.detail["单位名称"] == "喀什地区水利继续教育基地"
    assert (changed.state_before, changed.state_after) == ("启用", "停用")


def test_a_prefecture_bureau_needs_its_prefecture(admin, db):
    response = admin.post(reverse("sysadmin:organisation_new"), {"name": "某地州人社局", "kind": "hr_prefecture"})
    assert errors_next_to(response, "prefecture") == ["地州人社局须选择所在地州。"]
    assert alerts(response) == [] and not Organisation.objects.filter(name="某地州人社局").exists()


def test_a_duplicate_organisation_name_is_refused_next_to_the_field(admin, department):
    response = admin.post(reverse("sysadmin:organisation_new"), {"name": department.name, "kind": "department"})
    assert errors_next_to(response, "name") == ["已有同名的单位。"]


# ---- 账号 ----


@pytest.fixture
def learners(db):
    people = [("李四", "650102198803150025", "13899110002"), ("王五", "65010219850720018X", "13899110003")]
    return [
        register_learner(name=n, id_number=i, mobile=m, work_unit="测试单位", password=f.PASSWORD) for n, i, m in people
    ]


def account_rows(client, **q) -> list[str]:
    return rows(client.get(reverse("sysadmin:accounts"), q))


def account_names(client, **q) -> list[str]:
    return first_cells(client.get(reverse("sysadmin:accounts"), q))


def test_accounts_are_found_by_name_id_number_and_mobile(admin, learner_user, learners, base_user):
    assert account_names(admin, q="李四") == ["李四"]
    (by_id,) = account_rows(admin, q="650102198803150025")
    assert "李四" in by_id and "6501**********0025" in by_id
    (by_x,) = account_rows(admin, q="65010219850720018x")  # the X in either case
    assert "王五" in by_x
    (by_mobile,) = account_rows(admin, q="138 9911 0001")
    assert "张三" in by_mobile
    assert account_rows(admin, q="650102198803150026") == ["没有符合条件的账号"]  # exact numbers only
    (staff,) = account_rows(admin, q="jd_sl")
    assert "基地工作人员" in staff


def test_a_search_decrypts_only_the_rows_it_shows(admin, learner_user, learners, monkeypatch):
    calls = []
    real = pii.decrypt
    monkeypatch.setattr(pii, "decrypt", lambda token: calls.append(token) or real(token))
    account_rows(admin, q="13899110003")
    assert len(calls) == 2  # 王五's 身份证号 and 手机号, to mask them; no one else's


def test_learners_are_shown_by_name_and_roles_in_chinese_words(admin, learner_user, base_user, hr_region_user):
    response = admin.get(reverse("sysadmin:accounts"))
    html = response.content.decode()
    assert learner_user.username not in html  # the random xy… user name
    texts = " ".join(rows(response))
    for words in ("张三", "学员", "基地工作人员", "人社厅专技处审核员", "系统管理员"):
        assert words in texts
    for code in ("hr_region", "sysadmin"):
        assert f">{code}<" not in html


def test_accounts_are_filtered_by_state_and_role(admin, base_user, department_user, learner_user):
    User.objects.filter(pk=department_user.pk).update(is_active=False)
    disabled = account_rows(admin, state="disabled")
    assert len(disabled) == 1 and "水利厅" in disabled[0] and "停用" in disabled[0]
    assert account_names(admin, role="learner") == ["张三"]
    assert all("基地工作人员" in r for r in account_rows(admin, role="base"))


def test_the_account_page_shows_a_learner_masked(admin, learner_user):
    response = admin.get(reverse("sysadmin:account", args=[learner_user.pk]))
    text = page(response).text()
    assert "张三" in text and "6501**********1239" in text and "138****0001" in text
    assert "650102199001011239" not in text and "13899110001" not in text


def test_disabling_and_enabling_an_account_goes_through_the_accounts_services(admin, sysadmin_user, base_user):
    response = admin.post(reverse("sysadmin:account_disable", args=[base_user.pk]), follow=True)
    base_user.refresh_from_db()
    assert not base_user.is_active
    assert any("已停用" in a for a in alerts(response))
    entry = entries("disable_account").get()
    assert (entry.actor, entry.object_id, entry.state_after) == (sysadmin_user, str(base_user.pk), "停用")
    admin.post(reverse("sysadmin:account_enable", args=[base_user.pk]))
    base_user.refresh_from_db()
    assert base_user.is_active and entries("enable_account").filter(actor=sysadmin_user).exists()


def test_disabling_an_administrator_asks_a_second_administrator(admin, sysadmin_user, auditor_user):
    response = admin.post(reverse("sysadmin:account_disable", args=[auditor_user.pk]), follow=True)
    auditor_user.refresh_from_db()
    assert auditor_user.is_active  # not until another administrator approves
    req = AdminRequest.objects.get(target=auditor_user)
    assert (req.kind, req.requested_by) == (AdminRequest.Kind.DISABLE, sysadmin_user)
    assert any("双人审批" in a for a in alerts(response))
    assert entries("ask_second_admin").filter(actor=sysadmin_user).exists()
    assert not entries("disable_account").exists()


def test_the_sysadmin_cannot_disable_themself(admin, sysadmin_user):
    admin.post(reverse("sysadmin:account_disable", args=[sysadmin_user.pk]))
    sysadmin_user.refresh_from_db()
    assert sysadmin_user.is_active


def account_data(org, **overrides):
    data = {"username": "jd_sl_9", "full_name": "王芳", "email": "wangfang@example.org", "organisation": org.pk,
            "role": "base"}  # fmt: skip
    return {**data, **overrides}


def test_a_new_account_gets_no_password_the_holder_sets_it_through_the_mailed_link(admin, client, sysadmin_user, base):
    response = admin.post(reverse("sysadmin:account_new"), account_data(base), follow=True)
    user = User.objects.get(username="jd_sl_9")
    assert (user.role, user.organisation, user.full_name) == (Role.BASE, base, "王芳")
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    assert "账号 jd_sl_9 已开设，设置密码的链接已发送至本人邮箱 wa****@example.org。" in alerts(response)
    entry = entries("create_account").get()
    assert (entry.actor, entry.object_id, entry.state_after) == (sysadmin_user, str(user.pk), "基地工作人员")
    assert entries("send_password_link").filter(object_id=str(user.pk)).exists()

    holder = client.__class__()
    link = link_mailed_to(user)
    holder.post(link, {"new_password1": "Shuili@2031x", "new_password2": "Shuili@2031x"})
    response = holder.post(reverse("accounts:login"), {"username": "jd_sl_9", "password": "Shuili@2031x"})
    assert response.status_code == 302 and holder.get(reverse("filings:list")).status_code == 200
    again = client.__class__().get(link)  # the link works once
    assert "Shuili" not in again.content.decode() and not again.context.get("form")


def test_a_department_account_opens_waiting_for_the_secadmin(admin, department):
    admin.post(reverse("sysadmin:account_new"), account_data(department, username="slt_9", role="none"))
    user = User.objects.get(username="slt_9")
    assert (user.role, user.organisation) == ("", department)
    assert entries("create_account").get().state_after == "待授权"


@pytest.mark.parametrize(
    ("unit", "role", "field", "message"),
    [
        ("department", "base", "role", "“基地工作人员”须属于继续教育基地，“自治区水利厅”是主管部门。"),
        ("base", "none", "role", "继续教育基地的账号请选择“基地工作人员”。"),
        ("department", "department", "role", "请选择列出的角色。"),  # the 安全管理员 grants it
        ("department", "sysadmin", "role", "请选择列出的角色。"),
    ],
)
def test_a_role_that_does_not_fit_is_refused_next_to_the_field_and_nothing_opened(request, admin, unit, role, field,
                                                                                   message):  # fmt: skip
    org = request.getfixturevalue(unit)
    response = admin.post(reverse("sysadmin:account_new"), account_data(org, role=role))
    assert errors_next_to(response, field) == [message]
    assert not User.objects.filter(username="jd_sl_9").exists() and not entries("create_account").exists()


def test_the_service_refuses_a_reviewing_role_too(sysadmin_user, department):
    user = User(username="rev9", full_name="某人", email="r@example.org", organisation=department, role="department")
    with pytest.raises(services.DomainError, match="审核和管理角色由安全管理员授予"):
        services.open_account(user, actor=sysadmin_user)
    assert not User.objects.filter(username="rev9").exists()


def test_a_taken_account_name_is_refused_in_any_case(admin, base, base_user):
    response = admin.post(reverse("sysadmin:account_new"), account_data(base, username="JD_SL"))
    assert errors_next_to(response, "username") == ["账号“JD_SL”已存在，请换一个。"]
    assert User.objects.filter(username__iexact="jd_sl").count() == 1 and not entries("create_account").exists()


def test_the_form_asks_in_chinese_and_for_no_password(admin, base):
    response = admin.post(reverse("sysadmin:account_new"), {"username": "9x", "organisation": base.pk, "role": ""})
    assert errors_next_to(response, "username") == [
        "账号须以字母开头，由字母、数字、下划线、点或减号组成，2～30个字符。"
    ]
    assert errors_next_to(response, "full_name") == ["此项为必填项。"]
    assert errors_next_to(response, "email") == ["此项为必填项。"]
    assert errors_next_to(response, "role") == ["此项为必填项。"]
    html = response.content.decode()
    assert 'name="password1"' not in html and 'type="password"' not in html


def test_editing_an_account_is_audited_and_a_move_ends_its_sessions(admin, client, sysadmin_user, base_user,
                                                                     other_base):  # fmt: skip
    holder = client.__class__()
    holder.force_login(base_user)
    data = {"username": "jd_sl", "full_name": "李四", "email": "lisi@example.org", "organisation": other_base.pk}
    response = admin.post(reverse("sysadmin:account_edit", args=[base_user.pk]), data, follow=True)
    assert "账号 jd_sl 已保存。" in alerts(response)
    base_user.refresh_from_db()
    assert (base_user.full_name, base_user.email, base_user.organisation, base_user.role) == (
        "李四", "lisi@example.org", other_base, Role.BASE)  # fmt: skip
    entry = entries("change_account").get()
    assert entry.actor == sysadmin_user and entry.object_id == str(base_user.pk)
    assert entry.detail == {
        "账号": "jd_sl",
        "姓名": "李四",
        "电子邮件地址": "lisi@example.org",
        "所属单位": other_base.name,
    }
    assert holder.get(reverse("filings:list")).status_code == 302  # signed out: what it may see has changed


def test_an_edit_keeps_the_role_fitting_the_unit(admin, base_user, department):
    data = {"username": "jd_sl", "full_name": "李四", "email": "l@example.org", "organisation": department.pk,
            "role": "none"}  # fmt: skip
    response = admin.post(reverse("sysadmin:account_edit", args=[base_user.pk]), data)
    assert errors_next_to(response, "organisation") == ["“基地工作人员”须属于继续教育基地，“自治区水利厅”是主管部门。"]
    base_user.refresh_from_db()
    assert base_user.organisation != department and base_user.role == Role.BASE
    assert not entries("change_account").exists()


def test_an_edit_cannot_take_another_accounts_name(admin, base_user, department_user, base):
    data = {
        "username": department_user.username,
        "full_name": "李四",
        "email": "l@example.org",
        "organisation": base.pk,
    }
    response = admin.post(reverse("sysadmin:account_edit", args=[base_user.pk]), data)
    assert errors_next_to(response, "username") == [f"账号“{department_user.username}”已存在，请换一个。"]
    base_user.refresh_from_db()
    assert base_user.username == "jd_sl"


@pytest.mark.parametrize("who", ["auditor_user", "learner_user"])
def test_administrators_and_learners_accounts_are_not_edited_here(request, admin, who):
    target = request.getfixturevalue(who)
    detail = admin.get(reverse("sysadmin:account", args=[target.pk]))
    assert reverse("sysadmin:account_edit", args=[target.pk]) not in detail.content.decode()
    before = (target.username, target.full_name, target.organisation_id)
    response = admin.post(
        reverse("sysadmin:account_edit", args=[target.pk]), {"username": "x1", "full_name": "改名", "email": "a@b.cn"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.username, target.full_name, target.organisation_id) == before
    assert not entries("change_account").exists()


def test_account_changes_refuse_another_role(client_for, secadmin_user, base_user, base):
    client = client_for(secadmin_user)
    response = client.post(reverse("sysadmin:account_new"), account_data(base))
    assert response.status_code == 403 and REFUSAL in response.content.decode()
    edit = {"username": "jd_sl", "full_name": "改名", "email": "a@example.org", "organisation": base.pk}
    assert client.post(reverse("sysadmin:account_edit", args=[base_user.pk]), edit).status_code == 403
    base_user.refresh_from_db()
    assert base_user.full_name != "改名" and not User.objects.filter(username="jd_sl_9").exists()
    with pytest.raises(services.DomainError):
        services.change_account(base_user, actor=secadmin_user)


# ---- 培训范围目录 ----


def test_the_catalogue_lists_each_series_with_its_specialties_and_levels(admin, db):
    series = Series.objects.first()
    response = admin.get(reverse("sysadmin:catalog"))
    text = page(response).text()
    assert series.name in text
    assert all(s.name in text for s in series.specialties.all())


def test_adding_a_specialty_and_disabling_it_is_audited(admin, sysadmin_user, db):
    series = Series.objects.first()
    url = reverse("sysadmin:catalog_new", args=["specialty"])
    assert admin.post(url, {"series": series.pk, "name": "水文水资源", "order": "99"}).status_code == 302
    specialty = Specialty.objects.get(series=series, name="水文水资源")
    assert entries("create_catalog_entry").get().object_id == str(specialty.pk)
    again = admin.post(url, {"series": series.pk, "name": "水文水资源", "order": "1"})
    assert errors_next_to(again, "name") == ["已有同名的专业。"]

    admin.post(reverse("sysadmin:catalog_disable", args=["specialty", specialty.pk]))
    specialty.refresh_from_db()
    assert not specialty.is_active
    entry = entries("disable_catalog_entry").get()
    assert (entry.actor, entry.state_after) == (sysadmin_user, "停用")
    admin.post(reverse("sysadmin:catalog_enable", args=["specialty", specialty.pk]))
    specialty.refresh_from_db()
    assert specialty.is_active


def test_editing_a_series_is_audited_with_what_changed(admin, db):
    series = Series.objects.first()
    admin.post(reverse("sysadmin:catalog_edit", args=["series", series.pk]), {"name": "工程技术系列", "order": "1"})
    series.refresh_from_db()
    assert series.name == "工程技术系列"
    assert entries("change_catalog_entry").get().detail["系列"] == "工程技术系列"


# ---- 规则设置 ----


def test_every_rule_is_listed_with_its_current_value_unit_and_effect(admin, settings):
    settings.JXJY_YEARLY_HOURS = 90
    RuleSetting.objects.create(key="JXJY_YEARLY_HOURS", value="72")
    listed = {row[0]: row for row in cells(admin.get(reverse("sysadmin:rules")))}
    assert set(listed) == {"培训前备案提前天数", "培训后备案期限（天）", "每年应完成学时", "专业科目学时比例"}
    _, value, unit, default, bounds, effect, _ = listed["每年应完成学时"]
    assert (value, unit, default, bounds) == ("72 已修改", "学时", "90", "1 ～ 1000")
    assert "年度应完成学时" in effect
    assert listed["培训前备案提前天数"][1:3] == [str(rule("JXJY_FILING_LEAD_DAYS")), "天"]


def test_a_rule_is_changed_and_audited_as_the_admin_did(admin, sysadmin_user, settings):
    settings.JXJY_FILING_LEAD_DAYS = 15
    response = admin.post(reverse("sysadmin:rule_edit", args=["JXJY_FILING_LEAD_DAYS"]), {"value": "30"})
    assert response.status_code == 302
    assert rule("JXJY_FILING_LEAD_DAYS") == 30
    entry = entries(PortalAction.CHANGE_RULE).get()
    assert entry.actor == sysadmin_user and entry.detail == {"规则": "JXJY_FILING_LEAD_DAYS", "值": "30"}
    assert (entry.state_before, entry.state_after) == ("15", "30")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("JXJY_PROFESSIONAL_SHARE", "1.5", "专业科目学时比例应在0到1之间。"),
        ("JXJY_YEARLY_HOURS", "九十", "每年应完成学时应为整数。"),
        ("JXJY_FILING_LEAD_DAYS", "366", "培训前备案提前天数应在0到365之间。"),
        ("JXJY_YEARLY_HOURS", "", "此项为必填项。"),
    ],
)
def test_a_value_outside_the_rule_is_refused_next_to_the_field_and_nothing_changes(admin, key, value, message):
    before = rule(key)
    response = admin.post(reverse("sysadmin:rule_edit", args=[key]), {"value": value})
    assert response.status_code == 200
    assert errors_next_to(response, "value") == [message]
    assert rule(key) == before
    assert not RuleSetting.objects.exists() and not entries(PortalAction.CHANGE_RULE).exists()


def test_the_service_refuses_a_bad_value_too(sysadmin_user):
    with pytest.raises(services.DomainError, match="应在0到1之间"):
        services.set_rule("JXJY_PROFESSIONAL_SHARE", "2", actor=sysadmin_user)
    with pytest.raises(services.DomainError):
        services.set_rule("JXJY_PASSWORD_MAX_AGE_DAYS", "30", actor=sysadmin_user)  # the 安全管理员's
    assert not RuleSetting.objects.exists()


def test_the_security_policy_is_not_on_these_screens(admin):
    assert admin.get(reverse("sysadmin:rule_edit", args=["JXJY_PASSWORD_MAX_AGE_DAYS"])).status_code == 404


def test_restoring_a_rules_default(admin, settings):
    settings.JXJY_YEARLY_HOURS = 90
    RuleSetting.objects.create(key="JXJY_YEARLY_HOURS", value="72")
    admin.post(reverse("sysadmin:rule_reset", args=["JXJY_YEARLY_HOURS"]))
    assert rule("JXJY_YEARLY_HOURS") == 90 and not RuleSetting.objects.exists()
    entry = entries(PortalAction.CHANGE_RULE).get()
    assert (entry.state_before, entry.state_after) == ("72", "90")


def test_rules_keep_the_code_the_admin_always_wrote():
    assert services.CHANGE_RULE == PortalAction.CHANGE_RULE


# ---- 接口令牌 ----


def token_data(org, **overrides):
    expires = timezone.localtime(timezone.now() + dt.timedelta(days=30))
    data = {"organisation": org.pk, "name": "基地业务系统", "scopes": ["documents:read"],
            "expires_at": expires.strftime("%Y-%m-%dT%H:%M")}  # fmt: skip
    return {**data, **overrides}


def test_a_token_is_shown_once_on_a_page_nobody_keeps_and_can_be_revoked(admin, sysadmin_user, base):
    response = admin.post(reverse("sysadmin:token_new"), token_data(base))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    secret = page(response).find_all(lambda n: n.attrs.get("id") == "api-secret")[0].text()
    assert secret.startswith(f"jxjy_{token.prefix}_") and tokens.authenticate(secret) == token
    assert entries("create_api_token").get().actor == sysadmin_user

    listing = admin.get(reverse("sysadmin:tokens"))
    assert secret not in listing.content.decode()
    assert any("基地业务系统" in r and "有效" in r for r in rows(listing))

    admin.post(reverse("sysadmin:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_by == sysadmin_user and tokens.authenticate(secret) is None
    assert entries("revoke_api_token").get().actor == sysadmin_user
    assert any("已撤销" in r for r in rows(admin.get(reverse("sysadmin:tokens"))))


def test_a_scope_that_does_not_fit_the_unit_is_refused_next_to_the_field(admin, base):
    response = admin.post(reverse("sysadmin:token_new"), token_data(base, scopes=["hours:read"]))
    assert errors_next_to(response, "scopes") == ["继续教育基地不能使用权限范围：hours:read。"]
    assert not ApiToken.objects.exists()


def test_a_token_that_has_expired_already_is_refused(admin, base):
    past = timezone.localtime(timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = admin.post(reverse("sysadmin:token_new"), token_data(base, expires_at=past))
    assert errors_next_to(response, "expires_at") == ["有效期应晚于当前时间。"]
    assert not ApiToken.objects.exists()


def test_the_services_refuse_another_role(base_user, base):
    with pytest.raises(services.DomainError):
        services.set_rule("JXJY_YEARLY_HOURS", "50", actor=base_user)
    with pytest.raises(services.DomainError):
        services.save_organisation(Organisation(name="x", kind=Role.DEPARTMENT), actor=base_user)
