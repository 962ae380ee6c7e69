"""培训后备案: the four steps through the views, the 7-day window, what 提交 needs, and HR's review."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from demo import factories as f
from jxjy.attachments.models import AttachmentKind
from jxjy.completions import scores, services
from jxjy.completions.models import CompletionFiling
from jxjy.completions.models import CompletionStatus as S
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.review import engine
from jxjy.trainings.models import TrainingClass

from . import clock as test_clock
from .html_helpers import parse


@pytest.fixture
def finished(base, base_user):
    return f.finished_class(base, base_user, learners=3)


def _ready(completion, user):
    rows = [[r.name, r.learner.id_number, 88, "合格", ""] for r in scores.approved_registrations(completion)]
    rows[-1][2:4] = [40, "不合格"]
    scores.import_scores(completion, f.score_file(rows), actor=user)
    services.save_details(completion, actor=user, summary="培训按计划完成，学员反映良好。")
    for kind in services.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, user, kind)
    return completion


@pytest.mark.date_sweep
def test_four_steps_through_the_views(client_for, base_user, finished, hr_region_user):
    client = client_for(base_user)
    page = client.get(reverse("completions:new")).content.decode()
    assert "选择培训信息" in page and "这里只显示通过审核的" in page and finished.pre_filing.class_name in page
    response = client.post(
        reverse("completions:new"),
        {"name": "水利培训班结业备案", "year": finished.years[0], "pre_filing": finished.pre_filing_id,
         "training_class": finished.pk},
    )  # fmt: skip
    completion = CompletionFiling.objects.get()
    assert response["Location"] == reverse("completions:step2", args=[completion.pk])
    details = {"actual_start": completion.actual_start, "actual_end": completion.actual_end, "actual_hours": "40",
               "trained_count": "3", "summary": "培训按计划完成。"}  # fmt: skip
    assert client.post(reverse("completions:step2", args=[completion.pk]), details).status_code == 302
    template = client.get(reverse("completions:template", args=[completion.pk]))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = [[r.name, r.learner.id_number, 120, "合格", ""] for r in scores.approved_registrations(completion)]
    page = client.post(reverse("completions:step3", args=[completion.pk]), {"file": f.score_file(bad)})
    text = page.content.decode()
    assert "未写入任何成绩" in text and "第2行" in text and "0到100" in text
    assert not completion.scores.exists()
    good = [[r.name, r.learner.id_number, 90, "合格", ""] for r in scores.approved_registrations(completion)]
    client.post(reverse("completions:step3", args=[completion.pk]), {"file": f.score_file(good)})
    assert completion.scores.count() == 3
    for kind in services.REQUIRED_ATTACHMENTS:
        client.post(reverse("completions:step4", args=[completion.pk]),
                    {f"upload_{kind.value}": f.upload(f"{kind.label}.pdf")})  # fmt: skip
    client.post(reverse("completions:submit", args=[completion.pk]))
    completion.refresh_from_db()
    assert completion.status == S.HR_REVIEW and completion.holder == hr_region_user.organisation


@pytest.mark.date_sweep
def test_window_opens_at_the_class_end_and_closes_after_seven_days(base, base_user, settings):
    settings.JXJY_COMPLETION_FILING_DAYS = 7
    for days_ago, allowed in [(-1, False), (0, True), (7, True), (8, False)]:
        c = f.finished_class(base, base_user, learners=1, ended_days_ago=days_ago)
        if allowed:
            services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
        else:
            with pytest.raises(DomainError, match="培训后备案"):
                services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])


@pytest.mark.now("2028-01-07 23:50")
def test_the_window_of_a_class_ending_on_31_december_crosses_the_year(client_for, base, base_user, clock):
    """A class ending on 31 December may be filed until 7 January; at 00:20 on 8 January in Ürümqi (still the
    7th in UTC) the window has closed."""
    c = f.finished_class(base, base_user, learners=1, ended_days_ago=7)
    assert c.pre_filing.end_date == dt.date(2027, 12, 31) and c.years == [2027]
    assert services.window(c) == (dt.date(2027, 12, 31), dt.date(2028, 1, 7))
    services.check_window(c)
    clock.move_to(test_clock.parse("2028-01-08 00:20"))
    client = client_for(base_user)
    step1 = client.get(reverse("completions:new")).context["form"]
    assert [y for y, _ in step1.fields["year"].choices] == [2028, 2027, 2026]  # the class's 年度 is still offered
    response = client.post(
        reverse("completions:new"),
        {"name": "结业备案", "year": 2027, "pre_filing": c.pre_filing_id, "training_class": c.pk},
    )
    assert "培训后备案须在培训结束后7日内（2028-01-07前）办理，已超过期限。" in response.content.decode()
    assert not CompletionFiling.objects.exists()


def test_step_one_shows_the_registration_window_in_urumqi_dates(client_for, base, base_user):
    """Instants before 08:00 in Ürümqi fall on the day before in UTC: the list shows Ürümqi's dates."""
    c = f.finished_class(base, base_user, learners=1)
    opened = dt.datetime.combine(c.pre_filing.start_date - dt.timedelta(days=20), dt.time(0, 10), test_clock.SHANGHAI)
    closed = dt.datetime.combine(c.pre_filing.start_date - dt.timedelta(days=1), dt.time(7, 59), test_clock.SHANGHAI)
    TrainingClass.objects.filter(pk=c.pk).update(reg_start=opened, reg_end=closed, resubmit_deadline=closed)
    page = client_for(base_user).get(reverse("completions:new")).content.decode()
    assert f"{c.pre_filing.class_name}（报名 {opened:%Y-%m-%d} 至 {closed:%Y-%m-%d}）" in page


def test_submit_needs_every_score_and_attachment(base_user, finished):
    completion = services.start(actor=base_user, training_class=finished, name="结业备案", year=finished.years[0])
    with pytest.raises(DomainError) as refused:
        engine.perform(completion, "submit", actor=base_user)
    assert "scores" in refused.value.errors and "attachments" in refused.value.errors
    completion.refresh_from_db()
    assert completion.status == S.DRAFT


def test_one_score_can_be_edited_in_the_table(client_for, base_user, finished):
    completion = _ready(services.start(actor=base_user, training_class=finished, name="结业备案",
                                       year=finished.years[0]), base_user)  # fmt: skip
    score = completion.scores.first()
    client_for(base_user).post(reverse("completions:score_edit", args=[completion.pk, score.pk]),
                               {"score": "66.5", "passed": "1", "remark": "补考"})  # fmt: skip
    score.refresh_from_db()
    assert (score.score, score.passed, score.remark) == (66.5, True, "补考")


def test_submitted_filing_cannot_change(client_for, base_user, finished):
    completion = _ready(services.start(actor=base_user, training_class=finished, name="结业备案",
                                       year=finished.years[0]), base_user)  # fmt: skip
    engine.perform(completion, "submit", actor=base_user)
    rows = [[r.name, r.learner.id_number, 10, "不合格", ""] for r in scores.approved_registrations(completion)]
    with pytest.raises(scores.ImportRefused):
        scores.import_scores(completion, f.score_file(rows), actor=base_user)
    assert not completion.scores.filter(score=10).exists()


def test_other_base_cannot_open_the_completion(client_for, other_base_user, base_user, finished):
    completion = services.start(actor=base_user, training_class=finished, name="结业备案", year=finished.years[0])
    client = client_for(other_base_user)
    for name in ("completions:detail", "completions:step2", "completions:step3", "completions:template"):
        assert client.get(reverse(name, args=[completion.pk])).status_code == 404


def test_hr_returns_with_opinion_and_base_resubmits(base_user, hr_region_user, finished):
    completion = _ready(services.start(actor=base_user, training_class=finished, name="结业备案",
                                       year=finished.years[0]), base_user)  # fmt: skip
    engine.perform(completion, "submit", actor=base_user)
    engine.perform(completion, "return", actor=hr_region_user, opinion="签到表不清晰")
    assert completion.is_editable
    f.add_attachment(completion, base_user, AttachmentKind.SIGN_IN)
    engine.perform(completion, "submit", actor=base_user)
    engine.perform(completion, "approve", actor=hr_region_user)
    assert completion.status == S.APPROVED
    assert [e.action_label for e in engine.log_for(completion)] == ["提交", "退回", "提交", "通过"]


def test_classes_that_have_a_completion_are_not_offered_again(client_for, base_user, finished):
    services.start(actor=base_user, training_class=finished, name="结业备案", year=finished.years[0])
    page = client_for(base_user).get(reverse("completions:new")).content.decode()
    assert f"{finished.pre_filing.class_name}（报名" not in page


@pytest.mark.date_sweep
def test_old_class_window_message_is_clear(client_for, base_user, base):
    c = f.finished_class(base, base_user, learners=1, ended_days_ago=30)
    response = client_for(base_user).post(
        reverse("completions:new"),
        {"name": "结业备案", "year": c.years[0], "pre_filing": c.pre_filing_id, "training_class": c.pk},
    )
    last = c.pre_filing.end_date + dt.timedelta(days=7)
    assert f"培训后备案须在培训结束后7日内（{last:%Y-%m-%d}前）办理，已超过期限。" in response.content.decode()
    assert clock.today() - c.pre_filing.end_date > dt.timedelta(days=7)


@pytest.mark.parametrize(
    ("hours", "count", "field", "message"),
    [
        ("9999.9", "3", "actual_hours", "不超过培训前备案批准的总学时（40学时）"),
        ("-50", "3", "actual_hours", "实际学时应大于0"),
        ("0", "3", "actual_hours", "实际学时应大于0"),
        ("40.5", "3", "actual_hours", "不超过培训前备案批准的总学时（40学时）"),
        ("40", "100000", "trained_count", "培训人数不能超过本班审核通过的学员人数（3人）"),
        ("40", "4", "trained_count", "培训人数不能超过本班审核通过的学员人数（3人）"),
    ],
)
def test_official_figures_are_bounded_by_what_was_approved(client_for, base, base_user, hours, count, field, message):
    """实际学时 becomes every learner's certificate hours: it cannot exceed the filing's approved 总学时."""
    c = f.finished_class(base, base_user, learners=3)
    completion = services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    before = (completion.actual_hours, completion.trained_count)
    data = {"actual_start": completion.actual_start, "actual_end": completion.actual_end, "actual_hours": hours,
            "trained_count": count, "summary": "培训按计划完成。"}  # fmt: skip
    response = client_for(base_user).post(reverse("completions:step2", args=[completion.pk]), data)
    assert response.status_code == 200
    field_errors = parse(response.content).find_all(lambda n: n.attrs.get("data-field") == field)[0]
    assert message in field_errors.text()
    completion.refresh_from_db()
    assert (completion.actual_hours, completion.trained_count) == before and completion.step == 2


def test_a_draft_with_figures_beyond_the_approval_cannot_be_submitted(base, base_user):
    c = f.finished_class(base, base_user, learners=1)
    completion = services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    CompletionFiling.objects.filter(pk=completion.pk).update(actual_hours=Decimal("9999.9"))  # saved before the bound
    completion.refresh_from_db()
    errors = services.incomplete_errors(completion)["details"]
    assert any("不超过培训前备案批准的总学时（40学时）" in e for e in errors)


def test_the_trained_count_submitted_is_the_number_of_learners_scored(base, base_user):
    c = f.finished_class(base, base_user, learners=2)
    completion = services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    regs = list(scores.approved_registrations(completion))
    scores.import_scores(completion, f.score_file([[r.name, r.learner.id_number, 90, "合格", ""] for r in regs]),
                         actor=base_user)  # fmt: skip
    completion = services.save_details(completion, actor=base_user, trained_count=1, summary="完成。")
    assert "培训人数（1人）应等于导入成绩的学员人数（2人）" in services.incomplete_errors(completion)["details"]
    completion = services.save_details(completion, actor=base_user, trained_count=2)
    assert "details" not in services.incomplete_errors(completion)


def test_step_two_and_the_detail_show_what_the_filing_approved(client_for, base, base_user):
    c = f.finished_class(base, base_user, learners=3)
    completion = services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    client = client_for(base_user)
    step2 = client.get(reverse("completions:step2", args=[completion.pk])).content.decode()
    assert "不超过培训前备案批准的总学时 40 学时" in step2 and "本班审核通过的学员 3 人" in step2
    detail = client.get(completion.get_absolute_url()).content.decode()
    assert "备案批准 40 学时" in detail and "已录入成绩 0 人" in detail
