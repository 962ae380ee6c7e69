"""学时认定 (guide §五.3): 申报 straight to 人社厅专技处, then the same classes, registrations, score import
and certificates, ending with recognised hours in the learner's 学时档案."""

import datetime as dt

import pytest
from django.urls import reverse

from demo import factories as f
from jxjy.attachments.models import AttachmentKind
from jxjy.completions import scores
from jxjy.completions import services as completions
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.filings.models import PreFilingStatus as S
from jxjy.filings.models import Purpose
from jxjy.hours.models import Credit
from jxjy.review import engine
from jxjy.trainings import services as trainings


@pytest.fixture
def recognition(prefecture_base, prefecture_base_user):
    """A complete 学时认定 申报 of a prefecture-level base (which would otherwise go to its bureau)."""
    filing = f.complete_filing(prefecture_base, prefecture_base_user, purpose=Purpose.RECOGNITION, planned_count=40)
    filing.teachers.all().delete()  # a 学时认定 needs no 申报表 tables
    return filing


def test_goes_straight_to_the_regional_hr_department(recognition, prefecture_base_user, hr_region_user):
    engine.perform(recognition, "submit", actor=prefecture_base_user)
    assert (recognition.status, recognition.holder) == (S.HR_REVIEW, hr_region_user.organisation)


def test_reviewer_lists(client_for, recognition, prefecture_base_user, hr_region_user, hr_prefecture_user,
                        department_user):  # fmt: skip
    engine.perform(recognition, "submit", actor=prefecture_base_user)
    rst = client_for(hr_region_user)
    assert recognition.class_name in rst.get(reverse("review:waiting", args=["recognition"])).content.decode()
    assert recognition.class_name not in rst.get(reverse("review:waiting", args=["prefiling"])).content.decode()
    for other in (hr_prefecture_user, department_user):
        assert client_for(other).get(reverse("filings:detail", args=[recognition.pk])).status_code == 404


def test_needs_its_class_details_and_the_plan(recognition, prefecture_base_user):
    recognition.planned_count = None
    recognition.save()
    recognition.attachments.filter(kind=AttachmentKind.PLAN).delete()
    with pytest.raises(DomainError) as refused:
        engine.perform(recognition, "submit", actor=prefecture_base_user)
    assert set(refused.value.errors) == {"planned_count", "attachments"}


@pytest.mark.date_sweep
def test_whole_flow_ends_in_recognised_hours(recognition, prefecture_base_user, hr_region_user):
    user = prefecture_base_user
    end = clock.today() - dt.timedelta(days=1)  # yesterday: last year's 31 December on 1 January
    recognition.start_date, recognition.end_date = end - dt.timedelta(days=3), end
    recognition.year = recognition.start_date.year
    recognition.save()
    engine.perform(recognition, "submit", actor=user)
    engine.perform(recognition, "hr_approve", actor=hr_region_user, opinion="同意认定")
    c = f.published_class(recognition, user, status="draft", published=False)
    engine.perform(c, "submit", actor=user)
    assert c.holder == hr_region_user.organisation
    engine.perform(c, "approve", actor=hr_region_user)
    c = trainings.set_published(c, actor=user, published=True)
    li = f.learner(777)
    specialty_id, level_id = f.scope_of(c)
    reg = trainings.start_registration(
        learner=li, training_class=c, specialty_id=specialty_id, level_id=level_id,
        details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
    )  # fmt: skip
    trainings.submit_registration(reg, actor=li.user)
    engine.perform(reg, "approve", actor=user)
    completion = completions.start(actor=user, training_class=c, name="学时认定结果报送", year=c.years[0])
    scores.import_scores(completion, f.score_file([[li.name, li.id_number, 88, "合格", ""]]), actor=user)
    completions.save_details(completion, actor=user, summary="完成")
    for kind in completions.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, user, kind)
    engine.perform(completion, "submit", actor=user)
    assert completion.holder == hr_region_user.organisation
    engine.perform(completion, "approve", actor=hr_region_user)
    credit = Credit.objects.get(learner=li)
    assert credit.source == "学时认定" and credit.hours == recognition.total_hours and credit.certificate
    assert (credit.year, credit.credited_on) == (recognition.year, clock.today())
    assert credit.certificate.number == f"{recognition.year}-ZY-000001"


def test_base_declares_and_submits_through_the_pages(client_for, prefecture_base_user, hr_region_user):
    from jxjy.catalog.models import Level, Specialty
    from jxjy.filings.models import PreFiling

    client = client_for(prefecture_base_user)
    assert "学时认定" in client.get(reverse("core:home")).content.decode()
    page = client.get(reverse("filings:recognition_new")).content.decode()
    assert "继续教育学时认定申报" in page and "计划培训人数" in page
    specialty = Specialty.objects.get(series__name="工程系列", name="水利专业")
    level = Level.objects.get(series=specialty.series, name="工程师")
    start = clock.today() + dt.timedelta(days=10)
    data = {
        "class_name": "水利工程师学时认定培训班", "start_date": start, "end_date": start + dt.timedelta(days=2),
        "venue": "乌鲁木齐市", "total_hours": "24", "subject_kind": "professional", "planned_count": "",
        "scope": [f"{specialty.pk}:{level.pk}"],
    }  # fmt: skip
    refused = client.post(reverse("filings:recognition_submit_new"), data).content.decode()
    assert "计划培训人数不能为空" in refused and "请上传附件：继续教育培训实施方案" in refused
    assert not PreFiling.objects.filter(purpose="recognition").exists()
    data.update(planned_count="30", upload_plan=f.upload("继续教育培训实施方案.pdf"))
    response = client.post(reverse("filings:recognition_submit_new"), data)
    assert response["Location"] == reverse("filings:recognitions")
    filing = PreFiling.objects.get(purpose="recognition")
    assert filing.status == S.HR_REVIEW and filing.holder == hr_region_user.organisation
    listing = client.get(reverse("filings:recognitions")).content.decode()
    assert "水利工程师学时认定培训班" in listing and "待人社审核" in listing
    assert "水利工程师学时认定培训班" not in client.get(reverse("filings:list")).content.decode()


def _approved_recognition(base, user, *, ended_days_ago=None):
    """An approved 学时认定 of `base` (its class ended `ended_days_ago` days ago, if given)."""
    overrides = {"purpose": Purpose.RECOGNITION, "planned_count": 40, "class_name": "水利工程师学时认定培训班"}
    if ended_days_ago is not None:
        end = clock.today() - dt.timedelta(days=ended_days_ago)
        overrides.update(start_date=end - dt.timedelta(days=2), end_date=end)
    return f.approved_filing(base, user, **overrides)


def _approved_registration(c, n: int):
    li = f.learner(n)
    specialty_id, level_id = f.scope_of(c)
    return c.registrations.create(
        learner=li,
        specialty_id=specialty_id,
        level_id=level_id,
        status="approved",
        submitted_at=clock.now(),
        name=li.name,
        work_unit="单位",
        current_title="工程师",
        year=c.years[0],
    )


@pytest.mark.date_sweep
def test_list_leads_the_base_from_approval_to_recognised_hours(client_for, base, base_user, hr_region_user):
    client = client_for(base_user)
    filing = _approved_recognition(base, base_user, ended_days_ago=1)
    page = client.get(reverse("filings:recognitions")).content.decode()
    assert "审核通过" in page and "待发布报名" in page
    assert f'href="{reverse("trainings:class_new")}?pre_filing={filing.pk}"' in page  # 发布报名
    c = f.published_class(filing, base_user)
    reg = _approved_registration(c, 778)
    li = reg.learner
    page = client.get(reverse("filings:recognitions")).content.decode()
    assert "培训已结束，1名学员待上传成绩" in page and f"{reverse('completions:new')}?class={c.pk}" in page
    completion = completions.start(actor=base_user, training_class=c, name="学员成绩", year=c.years[0])
    assert "学员成绩待报送" in client.get(reverse("filings:recognitions")).content.decode()
    scores.import_scores(completion, f.score_file([[reg.name, li.id_number, 90, "合格", ""]]), actor=base_user)
    completions.save_details(completion, actor=base_user, summary="完成")
    for kind in completions.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, base_user, kind)
    engine.perform(completion, "submit", actor=base_user)
    assert "学员成绩已报送，待专技处备案" in client.get(reverse("filings:recognitions")).content.decode()
    engine.perform(completion, "approve", actor=hr_region_user)
    assert "备案通过，已为1名学员认定学时" in client.get(reverse("filings:recognitions")).content.decode()


def test_upload_results_link_fills_in_step_one(client_for, base, base_user):
    filing = _approved_recognition(base, base_user, ended_days_ago=1)
    c = f.published_class(filing, base_user)
    form = client_for(base_user).get(f"{reverse('completions:new')}?class={c.pk}").context["form"]
    assert form.initial == {"name": "水利工程师学时认定培训班学员成绩", "year": c.years[0], "pre_filing": filing.pk,
                            "training_class": c.pk}  # fmt: skip


def test_publish_link_fills_in_the_class_form_with_the_whole_scope(client_for, base, base_user, other_base_user):
    filing = _approved_recognition(base, base_user)
    url = f"{reverse('trainings:class_new')}?pre_filing={filing.pk}"
    form = client_for(base_user).get(url).context["form"]
    assert form.initial["pre_filing"] == filing.pk
    assert form.initial["scope_items"] == list(filing.scope_items.values_list("pk", flat=True))
    assert client_for(other_base_user).get(url).context["form"].initial["scope_items"] == []  # not theirs


def test_results_are_reported_with_the_button_baosong(client_for, base, base_user, hr_region_user):
    filing = _approved_recognition(base, base_user, ended_days_ago=1)
    c = f.published_class(filing, base_user)
    completion = completions.start(actor=base_user, training_class=c, name="学员成绩", year=c.years[0])
    client = client_for(base_user)
    page = client.get(reverse("completions:step4", args=[completion.pk])).content.decode()
    assert ">报送</button>" in page and ">提交</button>" not in page and "报送前还需" in page
    li = _approved_registration(c, 779).learner
    scores.import_scores(completion, f.score_file([[li.name, li.id_number, 90, "合格", ""]]), actor=base_user)
    # 李四 was approved after the 备案 was started: the 培训人数 proposed then (0) is corrected to the one scored.
    completions.save_details(completion, actor=base_user, summary="完成", trained_count=1)
    for kind in completions.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, base_user, kind)
    response = client.post(reverse("completions:submit", args=[completion.pk]), follow=True)
    assert "学员成绩已报送至人社厅专技处，请等待备案。" in response.content.decode()
    completion.refresh_from_db()
    assert completion.status == "hr_review" and completion.holder == hr_region_user.organisation


def test_detail_shows_the_declaration_not_the_application_form(client_for, recognition, prefecture_base_user):
    client = client_for(prefecture_base_user)
    page = client.get(reverse("filings:detail", args=[recognition.pk])).content.decode()
    assert "计划培训人数" in page and "申报内容" in page and "师资情况" not in page
    assert f'href="{reverse("filings:recognition_edit", args=[recognition.pk])}"' in page
    # The 申报表's edit address sends a 学时认定 to its own form.
    edit = client.get(reverse("filings:edit", args=[recognition.pk]))
    assert edit["Location"] == reverse("filings:recognition_edit", args=[recognition.pk])


@pytest.mark.date_sweep
def test_progress_says_whether_registration_is_open(base, base_user):
    from jxjy.filings.recognition import progress

    filing = _approved_recognition(base, base_user)  # the class starts in 30 days
    c = f.published_class(filing, base_user)
    assert progress(filing).text == "报名中，已报名0人，审核通过0人"
    c.reg_end = clock.now() - dt.timedelta(hours=1)
    c.save()
    assert progress(filing).text == "报名已结束，已报名0人，审核通过0人"
    c.is_published = False
    c.save()
    assert progress(filing).text == "报名未开启，已报名0人，审核通过0人"


def test_an_approved_recognition_reads_shenhe_tongguo_everywhere(
    client_for, recognition, prefecture_base_user, hr_region_user, django_capture_on_commit_callbacks
):
    from jxjy.notify.models import Notification

    engine.perform(recognition, "submit", actor=prefecture_base_user)
    with django_capture_on_commit_callbacks(execute=True):
        engine.perform(recognition, "hr_approve", actor=hr_region_user)
    assert recognition.get_status_display() == "审核通过"
    assert "当前状态「审核通过」" in Notification.objects.get(recipient=prefecture_base_user).title
    assert engine.log_for(recognition)[-1].state_label_after == "审核通过"
    done = client_for(hr_region_user).get(reverse("review:done", args=["recognition"])).content.decode()
    assert "审核通过" in done and "备案通过" not in done


def test_results_detail_names_the_recognition(client_for, base, base_user):
    filing = _approved_recognition(base, base_user, ended_days_ago=1)
    c = f.published_class(filing, base_user)
    completion = completions.start(actor=base_user, training_class=c, name="学员成绩", year=c.years[0])
    page = client_for(base_user).get(reverse("completions:detail", args=[completion.pk])).content.decode()
    assert '<th scope="row">学时认定</th>' in page and "备案通过后，合格学员认定相应学时" in page


def test_zhuanjichu_follows_the_progress_without_the_bases_links(client_for, base, base_user, hr_region_user):
    filing = f.complete_filing(base, base_user, purpose=Purpose.RECOGNITION, planned_count=40)
    engine.perform(filing, "submit", actor=base_user)
    engine.perform(filing, "hr_approve", actor=hr_region_user)
    publish = f"{reverse('trainings:class_new')}?pre_filing={filing.pk}"
    detail = reverse("filings:detail", args=[filing.pk])
    own = client_for(base_user).get(detail).content.decode()
    assert "待发布报名" in own and publish in own
    theirs = client_for(hr_region_user).get(detail).content.decode()
    assert "待发布报名" in theirs and publish not in theirs
