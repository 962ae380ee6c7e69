"""学时认定 (guide §五.3): 申报 straight to 人社厅专技处, then the same classes, registrations, score import
and certificates, ending with recognised hours in the learner's 学时档案."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jxjy.completions import scores
from jxjy.completions import services as completions
from jxjy.core.errors import DomainError
from jxjy.filings.models import AttachmentKind, Purpose
from jxjy.filings.models import PreFilingStatus as S
from jxjy.hours.models import Credit
from jxjy.review import engine
from jxjy.trainings import services as trainings

from . import factories as f


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


def test_whole_flow_ends_in_recognised_hours(recognition, prefecture_base_user, hr_region_user):
    user = prefecture_base_user
    end = timezone.localdate() - dt.timedelta(days=1)
    recognition.start_date, recognition.end_date = end - dt.timedelta(days=3), end
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


def test_base_declares_and_submits_through_the_pages(client_for, prefecture_base_user, hr_region_user):
    from jxjy.catalog.models import Level, Specialty
    from jxjy.filings.models import PreFiling

    client = client_for(prefecture_base_user)
    assert "学时认定" in client.get(reverse("core:home")).content.decode()
    page = client.get(reverse("filings:recognition_new")).content.decode()
    assert "继续教育学时认定申报" in page and "计划培训人数" in page
    specialty = Specialty.objects.get(series__name="工程系列", name="水利专业")
    level = Level.objects.get(series=specialty.series, name="工程师")
    start = timezone.localdate() + dt.timedelta(days=10)
    data = {
        "class_name": "水利工程师学时认定培训班", "start_date": start, "end_date": start + dt.timedelta(days=2),
        "venue": "乌鲁木齐市", "total_hours": "24", "subject_kind": "professional", "planned_count": "",
        "scope": [f"{specialty.pk}:{level.pk}"], "action": "submit",
    }  # fmt: skip
    refused = client.post(reverse("filings:recognition_new"), data).content.decode()
    assert "计划培训人数不能为空" in refused and "请上传附件：继续教育培训实施方案" in refused
    assert not PreFiling.objects.filter(purpose="recognition").exists()
    data.update(planned_count="30", upload_plan=f.upload("继续教育培训实施方案.pdf"))
    response = client.post(reverse("filings:recognition_new"), data)
    assert response["Location"] == reverse("filings:recognitions")
    filing = PreFiling.objects.get(purpose="recognition")
    assert filing.status == S.HR_REVIEW and filing.holder == hr_region_user.organisation
    listing = client.get(reverse("filings:recognitions")).content.decode()
    assert "水利工程师学时认定培训班" in listing and "待人社审核" in listing
    assert "水利工程师学时认定培训班" not in client.get(reverse("filings:list")).content.decode()
