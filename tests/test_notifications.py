"""站内消息: every kind of move tells the people who must act next, and the owner what happened."""

import pytest

from jxjy.completions import scores, services
from jxjy.review import engine
from jxjy.review.models import Notification
from jxjy.trainings import services as trainings

from . import factories as f
from .review_helpers import advance


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Make a move and return who got a message about it."""

    def move(doc, action, actor, opinion="意见"):
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            engine.perform(doc, action, actor=actor, opinion=opinion)
        return set(Notification.objects.values_list("recipient__username", flat=True))

    return move


def test_pre_filing_moves(run, filing, base_user, department_user, hr_region_user):
    assert run(filing, "submit", base_user) == {"slt"}
    assert run(filing, "dept_return", department_user) == {"jd_sl"}
    assert run(filing, "submit", base_user) == {"slt"}
    assert run(filing, "dept_approve", department_user) == {"jd_sl"}
    advance(filing, "hr_review", base_user=base_user, department_user=department_user, hr_user=hr_region_user)
    assert run(filing, "hr_approve", hr_region_user) == {"jd_sl", "slt"}


def test_class_moves(run, base, base_user, hr_region_user):
    c = f.published_class(f.approved_filing(base, base_user), base_user, status="draft", published=False)
    c.holder = base
    c.save()
    assert run(c, "submit", base_user) == {"rst_zjc"}
    assert run(c, "return", hr_region_user) == {"jd_sl"}
    assert run(c, "submit", base_user) == {"rst_zjc"}
    assert run(c, "approve", hr_region_user) == {"jd_sl"}
    assert run(c, "request_change", base_user) == {"rst_zjc"}
    assert run(c, "agree_change", hr_region_user) == {"jd_sl"}


def test_registration_moves(run, base, base_user, learner_user, django_capture_on_commit_callbacks):
    c = f.published_class(f.approved_filing(base, base_user), base_user)
    specialty_id, level_id = f.scope_of(c)
    reg = trainings.start_registration(
        learner=learner_user.learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
        details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
    )  # fmt: skip
    assert run(reg, "submit", learner_user) == {"jd_sl"}
    assert run(reg, "return", base_user) == {learner_user.username}
    assert run(reg, "submit", learner_user) == {"jd_sl"}
    assert run(reg, "approve", base_user) == {learner_user.username}


def test_completion_moves(run, base, base_user, hr_region_user):
    c = f.finished_class(base, base_user, learners=1)
    completion = services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    reg = scores.approved_registrations(completion).get()
    scores.import_scores(completion, f.score_file([[reg.name, reg.learner.id_number, 90, "合格", ""]]),
                         actor=base_user)  # fmt: skip
    services.save_details(completion, actor=base_user, summary="完成")
    for kind in services.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, base_user, kind)
    assert run(completion, "submit", base_user) == {"rst_zjc"}
    assert run(completion, "approve", hr_region_user) == {"jd_sl"}
