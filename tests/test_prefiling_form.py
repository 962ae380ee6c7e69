"""培训前备案 through the base's pages: list, 新增备案, 临时保存, 保存, 提交, 修改, 删除, and who may do what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from jxjy.attachments.models import Attachment
from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.filings import services
from jxjy.filings import views as filing_views
from jxjy.filings.models import Course, PreFiling, Teacher
from jxjy.filings.models import PreFilingStatus as S
from jxjy.review import engine

from . import clock as test_clock
from .html_helpers import alerts, element, page
from .prefiling_helpers import (
    NEW_SUBMIT_URL,
    NEW_URL,
    add_row,
    complete_new_form,
    edit_url,
    form_of,
    media_files,
    post_url,
    snapshot,
    submit_url,
)

LIST_URL = reverse("filings:list")
NOT_EDITABLE = "该备案已提交，数据提交后将不可修改。"
SAVE_REFUSED = "备案信息不完整或有误，请按各项下方的提示修改。"


def errors_of(response, name: str) -> list[str]:
    """The messages under one block of the 申报表: a field, 培训范围, 附件 or one of the tables."""
    if name in ("courses", "teachers", "textbooks"):
        return element(response, data_rows=name).errors()
    return element(response, data_field=name).errors()


def edit_form(client, filing) -> dict:
    return form_of(client.get(edit_url(filing)))


@pytest.fixture
def base_client(client_for, base_user):
    return client_for(base_user)


@pytest.fixture
def submitted(filing, base_user):
    return engine.perform(filing, "submit", actor=base_user)


# ---- list ----


def test_list_shows_own_filings_newest_first_with_the_add_button(
    base_client, base, base_user, other_base, other_base_user
):
    newer = f.complete_filing(base, base_user, class_name="水利安全生产培训班")
    older = f.complete_filing(base, base_user, class_name="水资源管理培训班")
    PreFiling.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    f.complete_filing(other_base, other_base_user, class_name="林业调查规划培训班")
    response = base_client.get(LIST_URL)
    html = response.content.decode()
    assert "新增备案" in html and "自治区级基地培训前备案" in html
    rows = page(response).find_all(lambda n: n.tag == "tr" and "data-filing" in n.attrs)
    assert [r.attrs["data-filing"] for r in rows] == [str(newer.pk), str(older.pk)]
    assert "草稿" in rows[0].text()
    assert "林业调查规划培训班" not in html


def test_empty_list_says_no_data(base_client):
    html = base_client.get(LIST_URL).content.decode()
    assert "暂无数据" in html and "新增备案" in html


# ---- 新增备案: what fills itself in ----


@pytest.mark.date_sweep
def test_new_form_shows_base_location_and_department_from_the_account_read_only(base_client):
    response = base_client.get(NEW_URL)
    assert response.status_code == 200
    for name, value in [
        ("base_name", "新疆水利水电继续教育基地"),
        ("base_location", "乌鲁木齐市"),
        ("department_name", "自治区水利厅"),
    ]:
        box = element(response, id=f"ro_{name}")
        assert box.attrs["value"] == value and "readonly" in box.attrs and "name" not in box.attrs
    data = form_of(response)
    assert data["year"] == [str(clock.this_year())]  # 年份 and 填报日期: Ürümqi's date, not UTC's
    assert data["fill_date"] == [f"{clock.today():%Y-%m-%d}"]
    assert "自治区专业技术人员继续教育培训开班申报表" in response.content.decode()


def test_posted_base_details_are_ignored(base_client, base):
    data = form_of(base_client.get(NEW_URL))
    data.update(base_name="伪造的基地", base_location="喀什地区", department_name="伪造的主管部门", action="temp")
    base_client.post(NEW_URL, data)
    filing = PreFiling.objects.get()
    assert (filing.base_name, filing.base_location, filing.department_name) == (
        "新疆水利水电继续教育基地",
        "乌鲁木齐市",
        "自治区水利厅",
    )
    assert filing.base == base


# ---- 临时保存 ----


def test_temp_save_with_almost_nothing_filled_stores_what_was_typed(base_client, base, base_user):
    data = form_of(base_client.get(NEW_URL))
    data.update(class_name="水利培训班（草拟）", leader_mobile="138 9988 7766", action="temp")
    add_row(data, "courses", content="水利工程建设管理", hours="")
    response = base_client.post(NEW_URL, data, follow=True)
    filing = PreFiling.objects.get()
    assert response.redirect_chain[-1][0] == edit_url(filing)
    assert "临时保存成功。" in alerts(response)
    assert filing.class_name == "水利培训班（草拟）"
    assert filing.leader_mobile == "13899887766"
    assert filing.status == S.DRAFT and filing.holder == base and filing.created_by == base_user
    assert list(filing.courses.values_list("content", "hours")) == [("水利工程建设管理", None)]
    assert filing.venue == "" and filing.total_hours is None
    assert audit.entries_for(filing).filter(action="create_filing").exists()


def test_temp_save_of_an_existing_draft_keeps_it_a_draft(base_client, filing):
    data = edit_form(base_client, filing)
    data.update(class_name="改过的名称", venue="", action="temp")
    base_client.post(edit_url(filing), data)
    filing.refresh_from_db()
    assert filing.class_name == "改过的名称" and filing.venue == "" and filing.status == S.DRAFT
    assert audit.entries_for(filing).filter(action="save_filing_draft").exists()


def test_temp_save_still_refuses_what_does_not_fit_the_column(base_client):
    data = form_of(base_client.get(NEW_URL))
    data.update(class_name="班" * 51, action="temp")
    response = base_client.post(NEW_URL, data)
    assert response.status_code == 200
    assert any("50" in e for e in errors_of(response, "class_name"))
    assert not PreFiling.objects.exists()


# ---- 保存: every rule, each with its message next to the field, nothing written ----


def test_save_of_an_empty_form_shows_every_required_message_and_writes_nothing(base_client):
    data = {"action": "save"}
    for prefix in ("courses", "teachers", "textbooks"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = base_client.post(NEW_URL, data)
    assert response.status_code == 200
    assert SAVE_REFUSED in alerts(response)
    for name in PreFiling.FORM_FIELDS:
        label = PreFiling._meta.get_field(name).verbose_name
        assert f"{label}不能为空" in errors_of(response, name), name
    assert "培训范围不能为空" in errors_of(response, "scope")
    assert "请至少添加一条教学课程" in errors_of(response, "courses")
    assert "请至少添加一条师资情况" in errors_of(response, "teachers")
    assert "请至少添加一条培训教材" in errors_of(response, "textbooks")
    attachments = errors_of(response, "attachments")
    for label in ("继续教育培训实施方案", "继续教育培训工作通知", "继续教育培训开班邀请函"):
        assert f"请上传附件：{label}" in attachments
    assert not PreFiling.objects.exists()
    assert media_files() == set()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("class_name", "", "培训班名称不能为空"),
        ("venue", "", "开班地点不能为空"),
        ("total_hours", "", "总学时不能为空"),
        ("fee_basis", "", "培训费用及核算依据不能为空"),
        ("start_date", "", "开班开始时间不能为空"),
        ("training_form", None, "培训形式不能为空"),
        ("leader_mobile", "", "负责人手机号不能为空"),
        ("postcode", "", "邮编不能为空"),
        ("leader_mobile", "12800138000", "请输入正确的11位手机号码。"),
        ("contact_mobile", "1380013800", "请输入正确的11位手机号码。"),
        ("contact_mobile", "138001380001", "请输入正确的11位手机号码。"),
        ("email", "jd@example", "请输入正确的邮箱地址"),
        ("email", "jd example.cn", "请输入正确的邮箱地址"),
        ("postcode", "83000", "邮编应为6位数字"),
        ("postcode", "83000a", "邮编应为6位数字"),
        ("year", "1999", "请填写正确的年份"),
        ("total_hours", "0", "总学时应大于0"),
        ("total_hours", "39", "总学时（39）应等于教学课程学时数之和（40）"),
    ],
)
def test_save_refuses_a_bad_field_with_its_message_and_writes_nothing(base_client, filing, field, value, message):
    data = edit_form(base_client, filing)
    if value is None:
        data.pop(field, None)
    else:
        data[field] = value
    data["action"] = "save"
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert response.status_code == 200
    assert message in errors_of(response, field)
    assert SAVE_REFUSED in alerts(response)
    assert snapshot(filing) == before


@pytest.mark.parametrize("field, limit", [("class_name", 50), ("venue", 100), ("fee_basis", 300), ("office_phone", 20)])
def test_save_refuses_text_longer_than_the_guide_allows(base_client, filing, field, limit):
    data = edit_form(base_client, filing)
    data.update({field: "字" * (limit + 1), "action": "save"})
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert any(str(limit) in e for e in errors_of(response, field))
    assert snapshot(filing) == before
    data.update({field: "字" * limit, "action": "temp"})
    base_client.post(edit_url(filing), data)
    filing.refresh_from_db()
    assert getattr(filing, field) == "字" * limit


def test_save_refuses_an_end_before_the_start(base_client, filing):
    data = edit_form(base_client, filing)
    data["end_date"] = f"{filing.start_date - dt.timedelta(days=1):%Y-%m-%d}"
    data["action"] = "save"
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert "开班结束时间不能早于开班开始时间" in errors_of(response, "end_date")
    assert snapshot(filing) == before


def test_save_accepts_a_one_day_class(base_client, filing):
    data = edit_form(base_client, filing)
    data.update(end_date=f"{filing.start_date:%Y-%m-%d}", action="save")
    response = base_client.post(edit_url(filing), data, follow=True)
    assert "保存成功。" in alerts(response)


@pytest.mark.parametrize(
    "prefix, label", [("courses", "教学课程"), ("teachers", "师资情况"), ("textbooks", "培训教材")]
)
def test_save_refuses_a_table_without_rows(base_client, filing, prefix, label):
    data = edit_form(base_client, filing)
    for i in range(int(data[f"{prefix}-TOTAL_FORMS"][0])):
        data[f"{prefix}-{i}-DELETE"] = "on"
    data["action"] = "save"
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert f"请至少添加一条{label}" in errors_of(response, prefix)
    assert snapshot(filing) == before


def test_save_refuses_total_hours_not_equal_to_course_sum(base_client, filing):
    data = edit_form(base_client, filing)
    add_row(data, "courses", content="水利法规", hours="8")
    data["action"] = "save"
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert "总学时（40）应等于教学课程学时数之和（48）" in errors_of(response, "total_hours")
    assert snapshot(filing) == before
    data["total_hours"] = "48"
    base_client.post(edit_url(filing), data)
    assert sorted(filing.courses.values_list("hours", flat=True)) == [Decimal(8), Decimal(16), Decimal(24)]


def test_save_refuses_a_half_filled_row(base_client, filing):
    data = edit_form(base_client, filing)
    add_row(data, "teachers", name="钱老师", education="", major="水文", title="高级工程师", course="水文监测")
    data["action"] = "save"
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert "请填写学历" in errors_of(response, "teachers")
    assert snapshot(filing) == before


def test_bad_rows_in_several_tables_are_all_shown_at_once(base_client, filing):
    data = edit_form(base_client, filing)
    data["courses-0-hours"] = "很多"
    add_row(data, "textbooks", name="水文学", edition="")
    data["action"] = "save"
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert "输入一个数字。" in errors_of(response, "courses")
    assert "请填写选用版本" in errors_of(response, "textbooks")
    assert snapshot(filing) == before


@pytest.mark.date_sweep
def test_save_refuses_a_start_date_inside_the_lead_days(base_client, filing, settings):
    settings.JXJY_FILING_LEAD_DAYS = 20
    today = clock.today()
    data = edit_form(base_client, filing)
    data.update(
        start_date=f"{today + dt.timedelta(days=19):%Y-%m-%d}",
        end_date=f"{today + dt.timedelta(days=22):%Y-%m-%d}",
        action="save",
    )
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    earliest = f"{today + dt.timedelta(days=20):%Y-%m-%d}"
    assert f"须在开班前20日提交备案，开班开始时间不能早于{earliest}" in errors_of(response, "start_date")
    assert snapshot(filing) == before
    data["start_date"] = earliest
    response = base_client.post(edit_url(filing), data, follow=True)
    assert "保存成功。" in alerts(response)
    filing.refresh_from_db()
    assert filing.start_date == today + dt.timedelta(days=20)


@pytest.mark.now("2028-02-14 10:00")
@pytest.mark.parametrize(("start", "refused"), [("2028-02-28", True), ("2028-02-29", False), ("2028-03-01", False)])
def test_lead_days_count_the_leap_day(filing, settings, start, refused):
    """Fifteen days after 14 February 2028 is 29 February: a class may start on the leap day, not the day before."""
    settings.JXJY_FILING_LEAD_DAYS = 15
    filing.start_date = dt.date.fromisoformat(start)
    filing.end_date = filing.start_date + dt.timedelta(days=2)
    filing.year = filing.start_date.year
    filing.save()
    errors = services.completeness_errors(filing)
    if refused:
        assert errors == {"start_date": ["须在开班前15日提交备案，开班开始时间不能早于2028-02-29"]}
    else:
        assert errors == {}


@pytest.mark.now("2027-12-31 23:50")
def test_lead_days_are_counted_from_the_date_in_urumqi_across_the_year(filing, settings, clock):
    """At 23:50 on 31 December the earliest start is 15 January; twenty minutes later (still 2027 in UTC) it
    is 16 January."""
    settings.JXJY_FILING_LEAD_DAYS = 15
    filing.start_date, filing.end_date = dt.date(2028, 1, 15), dt.date(2028, 1, 19)
    filing.save()
    assert services.completeness_errors(filing) == {}
    clock.move_to(test_clock.parse("2028-01-01 00:20"))
    assert services.completeness_errors(filing) == {
        "start_date": ["须在开班前15日提交备案，开班开始时间不能早于2028-01-16"]
    }


def test_save_refuses_a_missing_required_attachment_and_keeps_it(base_client, filing):
    plan = filing.attachments.get(kind="plan")
    data = edit_form(base_client, filing)
    data.update(remove_attachment=[str(plan.pk)], action="save")
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert "请上传附件：继续教育培训实施方案" in errors_of(response, "attachments")
    assert snapshot(filing) == before


def test_save_refuses_an_empty_scope(base_client, filing):
    data = edit_form(base_client, filing)
    data.pop("scope")
    data["action"] = "save"
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert "培训范围不能为空" in errors_of(response, "scope")
    assert snapshot(filing) == before


def test_save_refuses_a_scope_value_outside_the_catalogue(base_client, filing):
    data = edit_form(base_client, filing)
    data.update(scope=["999999:999999"], action="save")
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert errors_of(response, "scope")
    assert snapshot(filing) == before


def test_refused_save_keeps_what_was_typed_on_the_page(base_client, filing):
    data = edit_form(base_client, filing)
    data.update(class_name="新名称的培训班", email="wrong", action="save")
    response = base_client.post(edit_url(filing), data)
    assert form_of(response)["class_name"] == ["新名称的培训班"]
    assert form_of(response)["email"] == ["wrong"]


def test_an_unknown_action_is_refused_and_writes_nothing(base_client, filing):
    data = edit_form(base_client, filing)
    data.update(class_name="别的名称", action="publish")
    before = snapshot(filing)
    response = base_client.post(edit_url(filing), data)
    assert response.status_code == 400
    assert "不支持的操作" in response.content.decode()
    assert snapshot(filing) == before


def test_removing_an_attachment_deletes_its_row_and_then_its_file(
    base_client, filing, base_user, django_capture_on_commit_callbacks
):
    other = f.add_attachment(filing, base_user, "other")
    data = edit_form(base_client, filing)
    data.update(remove_attachment=[str(other.pk)], action="temp")
    with django_capture_on_commit_callbacks(execute=True):
        base_client.post(edit_url(filing), data)
    assert not Attachment.objects.filter(pk=other.pk).exists()
    assert other.file.name not in media_files()
    assert audit.entries_for(filing).filter(action="delete_attachment", detail__附件=other.original_name).exists()


def test_a_department_stamped_scan_cannot_be_removed_through_the_form(base_client, filing, department_user):
    stamped = f.add_attachment(filing, department_user, "stamped_form")
    data = edit_form(base_client, filing)
    data.update(remove_attachment=[str(stamped.pk)], action="temp")
    base_client.post(edit_url(filing), data)
    assert Attachment.objects.filter(pk=stamped.pk).exists()
    assert stamped.file.name in media_files()


def test_submit_refuses_half_filled_rows_however_it_arrives(base_client, filing):
    # 临时保存 keeps half-filled rows; a submit that skips 保存 must still meet every rule.
    Course.objects.create(filing=filing, content="未填学时的课程", hours=None)
    Teacher.objects.create(filing=filing, name="钱老师")
    response = base_client.post(reverse("review:act", args=["prefiling", filing.pk, "submit"]), follow=True)
    assert "备案信息不完整或有误，请按提示修改。" in alerts(response)
    with pytest.raises(DomainError) as e:
        services.submit_pre_filing(filing, actor=filing.created_by)
    assert e.value.errors["courses"] == ["教学课程第3行：请填写学时数"]
    assert e.value.errors["teachers"] == ["师资情况第2行：请填写学历、专业、职称(职务)、讲授课程"]
    filing.refresh_from_db()
    assert filing.status == S.DRAFT and filing.submitted_at is None


# ---- a complete 申报表: 保存 and 提交 ----


@pytest.mark.date_sweep
def test_complete_new_filing_saves_with_rows_scope_and_attachments(base_client, base):
    data = complete_new_form(base_client)  # the class starts in 30 days (next year's, in late December)
    data["action"] = "save"
    response = base_client.post(NEW_URL, data, follow=True)
    filing = PreFiling.objects.get()
    assert response.redirect_chain[-1][0] == edit_url(filing)
    assert "保存成功。" in alerts(response)
    assert filing.status == S.DRAFT and filing.submitted_at is None
    start = clock.today() + dt.timedelta(days=30)
    assert (filing.year, filing.fill_date, filing.start_date) == (start.year, clock.today(), start)
    assert filing.class_name == "2026年水利行业专业技术人员继续教育培训班"
    assert filing.leader_mobile == "13899887766" and filing.contact_mobile == "13899887755"
    assert filing.total_hours == Decimal(40)
    assert list(filing.courses.values_list("content", "hours")) == [
        ("水利工程建设管理", Decimal(24)),
        ("水资源规划", Decimal(16)),
    ]
    assert filing.teachers.get().name == "赵老师"
    assert filing.textbooks.get().edition == "2024年版"
    assert sorted(str(i) for i in filing.scope_items.all()) == [
        "工程系列 > 水利专业 > 工程师",
        "工程系列 > 水利专业 > 高级工程师",
    ]
    assert sorted(filing.attachments.values_list("kind", flat=True)) == ["invitation", "notice", "plan"]
    assert services.completeness_errors(filing) == {}


@pytest.mark.date_sweep
def test_complete_new_filing_submits_to_the_department(base_client, base, department, department_user):
    data = complete_new_form(base_client)
    response = base_client.post(NEW_SUBMIT_URL, data, follow=True)
    filing = PreFiling.objects.get()
    assert response.redirect_chain[-1][0] == LIST_URL
    assert "提交成功。" in alerts(response)
    assert filing.status == S.DEPT_REVIEW
    assert filing.holder == department
    assert filing.submitted_at is not None
    listing = response.content.decode()
    assert "待主管部门审核" in listing and "自治区水利厅" in listing
    entries = list(audit.entries_for(filing).values_list("action", "state_before", "state_after"))
    assert ("create_filing", "", "") in entries
    assert ("submit", S.DRAFT, S.DEPT_REVIEW) in entries
    department_client = Client()
    department_client.force_login(department_user)
    assert filing.class_name in department_client.get(filing.get_absolute_url()).content.decode()


def test_existing_draft_submits_after_checks(base_client, filing, department):
    data = edit_form(base_client, filing)
    base_client.post(submit_url(filing), data)
    filing.refresh_from_db()
    assert filing.status == S.DEPT_REVIEW and filing.holder == department


def test_incomplete_draft_cannot_be_submitted_and_stays_a_draft(base_client, filing):
    data = edit_form(base_client, filing)
    data.update(fee_basis="")
    before = snapshot(filing)
    response = base_client.post(submit_url(filing), data)
    assert "培训费用及核算依据不能为空" in errors_of(response, "fee_basis")
    assert snapshot(filing) == before


def test_saved_but_refused_submit_says_so_and_keeps_the_saved_data(base_client, filing, monkeypatch):
    def refuse(filing, *, actor):
        raise DomainError("该基地已停用，不能提交。")

    monkeypatch.setattr(filing_views.services, "submit_pre_filing", refuse)
    data = edit_form(base_client, filing)
    data.update(class_name="保存了但未提交")
    response = base_client.post(submit_url(filing), data, follow=True)
    assert response.redirect_chain[-1][0] == edit_url(filing)
    assert any("该基地已停用，不能提交。" in a for a in alerts(response))
    filing.refresh_from_db()
    assert filing.class_name == "保存了但未提交" and filing.status == S.DRAFT
    assert PreFiling.objects.count() == 1


# ---- submitted data cannot change ----


def test_after_submit_the_edit_page_redirects_with_the_message(base_client, submitted):
    response = base_client.get(edit_url(submitted), follow=True)
    assert response.redirect_chain[-1][0] == reverse("filings:detail", args=[submitted.pk])
    assert NOT_EDITABLE in alerts(response)


@pytest.mark.parametrize("action", ["temp", "save", "submit"])
def test_a_crafted_post_to_a_submitted_filing_is_refused_and_changes_nothing(base_client, filing, action):
    data = edit_form(base_client, filing)  # the page as it was before the submit
    engine.perform(filing, "submit", actor=filing.created_by)
    data.update(class_name="提交后偷偷修改", total_hours="48", action=action)
    data["courses-0-DELETE"] = "on"
    add_row(data, "courses", content="偷加的课程", hours="8")
    data["remove_attachment"] = [str(a.pk) for a in filing.attachments.all()]
    data["upload_other"] = f.upload("附件1.pdf")
    before = snapshot(filing)
    response = base_client.post(post_url(filing, action), data)
    assert response.status_code == 409
    assert NOT_EDITABLE in response.content.decode()
    assert snapshot(filing) == before


def test_a_returned_filing_can_be_changed_and_submitted_again(base_client, submitted, department_user, department):
    engine.perform(submitted, "dept_return", actor=department_user, opinion="请补充师资情况")
    data = edit_form(base_client, submitted)
    add_row(data, "teachers", name="钱老师", education="硕士", major="水文", title="高级工程师", course="水文监测")
    base_client.post(submit_url(submitted), data)
    submitted.refresh_from_db()
    assert submitted.status == S.DEPT_REVIEW and submitted.teachers.count() == 2


# ---- rows: 修改 and 删除 in place ----


def test_rows_are_edited_added_and_deleted_through_the_tables(base_client, filing):
    data = edit_form(base_client, filing)
    first, second = filing.courses.all()
    assert data["courses-0-id"] == [str(first.pk)]
    data["courses-0-content"] = "水利工程建设管理（修订）"
    data["courses-1-DELETE"] = "on"
    add_row(data, "courses", content="水利法规", hours="16")
    data["textbooks-0-edition"] = "2025年版"
    data["action"] = "save"
    response = base_client.post(edit_url(filing), data, follow=True)
    assert "保存成功。" in alerts(response)
    assert list(filing.courses.values_list("content", "hours")) == [
        ("水利工程建设管理（修订）", Decimal(24)),
        ("水利法规", Decimal(16)),
    ]
    assert not Course.objects.filter(pk=second.pk).exists()
    assert filing.textbooks.get().edition == "2025年版"


def test_a_row_of_another_filing_cannot_be_edited_through_this_form(base_client, filing, base, base_user):
    other = f.complete_filing(base, base_user, class_name="另一个备案")
    foreign = other.courses.first()
    data = edit_form(base_client, filing)
    data["courses-0-id"] = str(foreign.pk)
    data["courses-0-content"] = "被改掉了"
    data["action"] = "temp"
    base_client.post(edit_url(filing), data)
    foreign.refresh_from_db()
    assert foreign.content == "水利工程建设管理" and foreign.filing == other


# ---- 删除 ----


def test_deleting_a_draft_removes_it_with_its_rows_and_files(base_client, filing, django_capture_on_commit_callbacks):
    files = [a.file.name for a in filing.attachments.all()]
    assert files and all(name in media_files() for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        response = base_client.post(reverse("filings:delete", args=[filing.pk]), follow=True)
    assert "备案已删除。" in alerts(response)
    assert not PreFiling.objects.filter(pk=filing.pk).exists()
    assert not Attachment.objects.exists() and not Course.objects.exists()
    assert media_files() == set()
    assert audit.entries_for(filing).filter(action="delete_filing").exists()


def test_deleting_a_submitted_filing_is_refused(base_client, submitted):
    before = snapshot(submitted)
    response = base_client.post(reverse("filings:delete", args=[submitted.pk]), follow=True)
    assert "只有从未提交过的草稿可以删除。" in alerts(response)
    assert snapshot(submitted) == before


def test_deleting_a_returned_filing_is_refused(base_client, submitted, department_user):
    engine.perform(submitted, "dept_return", actor=department_user, opinion="请修改")
    response = base_client.post(reverse("filings:delete", args=[submitted.pk]), follow=True)
    assert "只有从未提交过的草稿可以删除。" in alerts(response)
    assert PreFiling.objects.filter(pk=submitted.pk).exists()


def test_delete_needs_a_post(base_client, filing):
    assert base_client.get(reverse("filings:delete", args=[filing.pk])).status_code == 405
    assert PreFiling.objects.filter(pk=filing.pk).exists()


# ---- who may do what ----


@pytest.mark.parametrize("method, url_name", [("get", "detail"), ("get", "edit"), ("post", "edit"), ("post", "delete")])
def test_another_base_gets_not_found_for_this_bases_filing(client_for, other_base_user, filing, method, url_name):
    before = snapshot(filing)
    client = client_for(other_base_user)
    response = getattr(client, method)(reverse(f"filings:{url_name}", args=[filing.pk]), {"action": "temp"})
    assert response.status_code == 404
    assert snapshot(filing) == before


def test_another_base_does_not_see_this_bases_filing_in_its_list(client_for, other_base_user, filing):
    html = client_for(other_base_user).get(LIST_URL).content.decode()
    assert filing.class_name not in html and "暂无数据" in html


@pytest.mark.parametrize("role_user", ["department_user", "hr_region_user", "learner_user"])
@pytest.mark.parametrize("url", [NEW_URL, LIST_URL])
def test_only_bases_may_open_the_filing_pages(db, request, client_for, role_user, url):
    user = request.getfixturevalue(role_user)
    response = client_for(user).get(url)
    assert response.status_code == 403
    assert not PreFiling.objects.exists()


def test_department_cannot_create_a_filing_by_posting(client_for, department_user):
    response = client_for(department_user).post(NEW_URL, {"class_name": "主管部门的备案", "action": "temp"})
    assert response.status_code == 403
    assert not PreFiling.objects.exists()


@pytest.mark.parametrize("url_name", ["edit", "delete"])
def test_another_department_gets_not_found_and_the_own_department_forbidden(
    client_for, department_user, other_department_user, submitted, url_name
):
    url = reverse(f"filings:{url_name}", args=[submitted.pk])
    before = snapshot(submitted)
    assert client_for(other_department_user).post(url, {"action": "temp"}).status_code == 404
    assert client_for(department_user).post(url, {"action": "temp"}).status_code == 403
    assert snapshot(submitted) == before


def test_department_cannot_edit_its_bases_submitted_filing(client_for, department_user, submitted):
    before = snapshot(submitted)
    response = client_for(department_user).post(edit_url(submitted), {"class_name": "改", "action": "temp"})
    assert response.status_code == 403
    assert snapshot(submitted) == before


@pytest.mark.parametrize("url_name", ["list", "new"])
def test_anonymous_is_sent_to_login(db, url_name):
    response = Client().get(reverse(f"filings:{url_name}"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_same_new_page_sent_twice_makes_one_filing(base_client, department):
    """A double 提交 or a replay of the 新增 page: its form_key finds the filing the first one made."""
    page = base_client.get(NEW_URL)
    token = form_of(page)["form_key"]
    data = complete_new_form(base_client)
    data["form_key"] = token
    first = base_client.post(NEW_SUBMIT_URL, data)
    again = base_client.post(NEW_SUBMIT_URL, data, follow=True)
    filing = PreFiling.objects.get()
    assert first.status_code == 302 and filing.status == S.DEPT_REVIEW
    assert again.redirect_chain[-1][0] == reverse("filings:detail", args=[filing.pk])
    assert "该备案已经保存过，没有重复新建。" in alerts(again)


def test_a_page_without_its_number_still_saves(base_client):
    data = complete_new_form(base_client)
    data.pop("form_key", None)
    data["action"] = "temp"
    assert base_client.post(NEW_URL, data).status_code == 302
    assert PreFiling.objects.get().form_key == ""
