"""站内消息: every kind of move of every registered workflow tells the people who must act next, and the
owner what happened. One table says who hears of each move; a test checks the table covers every move."""

import pytest

from demo import factories as f
from jxjy.completions import scores, services
from jxjy.filings.application_form import upload_stamped_form
from jxjy.filings.models import Purpose
from jxjy.notify.models import Notification
from jxjy.review import engine
from jxjy.review.registry import KINDS
from jxjy.trainings import services as trainings

from .completion_helpers import reported
from .review_helpers import advance

LEARNER = "learner"  # stands for the learner_user's username, which the factory makes up
# kind slug -> move -> who gets a message (the mover and their colleagues never do).
RECIPIENTS = {
    "prefiling": {
        "submit": {"slt"},
        "dept_return": {"jd_sl"},
        "dept_approve": {"jd_sl"},
        "forward": {"rst_zjc", "jd_sl"},
        "hr_return": {"jd_sl", "slt"},
        "hr_approve": {"jd_sl", "slt"},
    },
    # 学时认定 goes from the base straight to 专技处: the department hears nothing of it.
    "recognition": {"submit": {"rst_zjc"}, "hr_return": {"jd_sl"}, "hr_approve": {"jd_sl"}},
    "training": {
        "submit": {"rst_zjc"},
        "return": {"jd_sl"},
        "approve": {"jd_sl"},
        "request_change": {"rst_zjc"},
        "agree_change": {"jd_sl"},
        "refuse_change": {"jd_sl"},
    },
    # The base hears of a withdrawn registration it was waiting to review.
    # 候补: joining and leaving the line tell nobody; a promotion tells the base here (the learner is told by
    # the waiting list itself, in its own words: tests/test_waiting_list.py).
    "registration": {
        "submit": {"jd_sl"},
        "return": {LEARNER},
        "approve": {LEARNER},
        "withdraw": {"jd_sl"},
        "wait": set(),
        "leave_waiting": set(),
        "promote": {"jd_sl"},
    },
    "completion": {"submit": {"rst_zjc"}, "return": {"jd_sl"}, "approve": {"jd_sl"}},
    "recognition_scores": {"submit": {"rst_zjc"}, "return": {"jd_sl"}, "approve": {"jd_sl"}},
}


def test_the_table_covers_every_move_of_every_kind():
    assert {slug: set(kind.workflow.transitions) for slug, kind in KINDS.items()} == {
        slug: set(moves) for slug, moves in RECIPIENTS.items()
    }


@pytest.fixture
def run(django_capture_on_commit_callbacks, learner_user):
    """Make a move, check who got a message about it against the table, and remember the move."""
    made: dict[str, set[str]] = {}

    def move(slug, doc, action, actor, opinion="意见", *, expected=None, told_besides=frozenset()):
        """`told_besides`: people told of what the move did for them (a certificate), not of the move."""
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            engine.perform(doc, action, actor=actor, opinion=opinion)
        got = set(Notification.objects.values_list("recipient__username", flat=True))
        if expected is None:
            expected = {learner_user.username if u == LEARNER else u for u in RECIPIENTS[slug][action]}
            made.setdefault(slug, set()).add(action)
        assert got == expected | set(told_besides), f"{slug}.{action}"

    move.made = made
    return move


def walked_all(run, slug) -> bool:
    return run.made.get(slug) == set(RECIPIENTS[slug])


def test_pre_filing_moves(run, filing, base_user, department_user, hr_region_user):
    run("prefiling", filing, "submit", base_user)
    run("prefiling", filing, "dept_return", department_user)
    run("prefiling", filing, "submit", base_user)
    run("prefiling", filing, "dept_approve", department_user)
    upload_stamped_form(filing, actor=department_user, upload=f.upload("盖章申报表.pdf"))
    run("prefiling", filing, "forward", department_user)
    run("prefiling", filing, "hr_return", hr_region_user)
    run("prefiling", filing, "submit", base_user)
    advance(filing, "hr_review", base_user=base_user, department_user=department_user, hr_user=hr_region_user)
    run("prefiling", filing, "hr_approve", hr_region_user)
    assert walked_all(run, "prefiling")


def test_recognition_moves(run, base, base_user, hr_region_user, department_user):
    recognition = f.complete_filing(base, base_user, purpose="recognition", planned_count=30)
    run("recognition", recognition, "submit", base_user)
    run("recognition", recognition, "hr_return", hr_region_user)
    run("recognition", recognition, "submit", base_user)
    run("recognition", recognition, "hr_approve", hr_region_user)
    assert walked_all(run, "recognition")


def test_class_moves(run, base, base_user, hr_region_user):
    c = f.published_class(f.approved_filing(base, base_user), base_user, status="draft", published=False)
    c.holder = base
    c.save()
    run("training", c, "submit", base_user)
    run("training", c, "return", hr_region_user)
    run("training", c, "submit", base_user)
    run("training", c, "approve", hr_region_user)
    run("training", c, "request_change", base_user)
    run("training", c, "refuse_change", hr_region_user)
    run("training", c, "request_change", base_user)
    run("training", c, "agree_change", hr_region_user)
    assert walked_all(run, "training")


def test_registration_moves(run, base, base_user, learner_user):
    c = f.published_class(f.approved_filing(base, base_user), base_user)
    specialty_id, level_id = f.scope_of(c)
    reg = trainings.start_registration(
        learner=learner_user.learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
        details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
    )  # fmt: skip
    run("registration", reg, "submit", learner_user)
    run("registration", reg, "return", base_user)
    run("registration", reg, "submit", learner_user)
    run("registration", reg, "approve", base_user)
    other = f.learner(801)
    again = trainings.start_registration(
        learner=other, training_class=c, specialty_id=specialty_id, level_id=level_id,
        details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
    )  # fmt: skip
    trainings.submit_registration(again, actor=other.user)
    run("registration", again, "withdraw", other.user)
    type(c).objects.filter(pk=c.pk).update(seat_limit=1)  # full: the next ones join the line
    in_line = []
    for n in (802, 803):
        learner = f.learner(n)
        in_line.append(trainings.start_registration(
            learner=learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
            details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
        ))  # fmt: skip
        run("registration", in_line[-1], "wait", learner.user)
    run("registration", in_line[0], "leave_waiting", in_line[0].learner.user)
    type(c).objects.filter(pk=c.pk).update(seat_limit=2)
    run("registration", in_line[1], "promote", engine.SystemActor("系统（候补递补）"))
    assert walked_all(run, "registration")


def test_completion_moves(run, base, base_user, hr_region_user):
    c = f.finished_class(base, base_user, learners=1)
    completion = services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    reg = scores.approved_registrations(completion).get()
    scores.import_scores(completion, f.score_file([[reg.name, reg.learner.id_number, 90, "合格", ""]]),
                         actor=base_user)  # fmt: skip
    services.save_details(completion, actor=base_user, summary="完成")
    for kind in services.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, base_user, kind)
    run("completion", completion, "submit", base_user)
    run("completion", completion, "return", hr_region_user)
    run("completion", completion, "submit", base_user)
    # The class's learner hears of the certificate the approval issued (tests/test_notify_events.py).
    run("completion", completion, "approve", hr_region_user, told_besides={reg.learner.user.username})
    assert Notification.objects.get(recipient=reg.learner.user).title.startswith("您的电子证书已签发：")
    assert walked_all(run, "completion")


def test_recognition_scores_moves(run, base, base_user, hr_region_user):
    """学时上报: the scores of a 学时认定 class, reviewed by the 专技处 under 学时认定审核."""
    reported_scores = reported(base, base_user, purpose=Purpose.RECOGNITION, name="学时认定培训班", n=804)
    run("recognition_scores", reported_scores, "return", hr_region_user)
    run("recognition_scores", reported_scores, "submit", base_user)
    learner = reported_scores.training_class.registrations.get().learner.user.username
    run("recognition_scores", reported_scores, "approve", hr_region_user, told_besides={learner})
    assert walked_all(run, "recognition_scores")
