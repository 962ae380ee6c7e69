"""What reaches learners outside the platform: 报名审核通过/退回, certificates issued and hours recognised are
written as 站内消息 and, per 消息设置, SMS and e-mail rows, in the transaction of the move that caused them."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from demo import factories as f
from jxjy.completions import scores, services
from jxjy.filings.models import PreFiling
from jxjy.notify import delivery
from jxjy.notify.inbox import unread_count
from jxjy.notify.models import Channel, Notification, Outbox, Preference
from jxjy.notify.outbox import Message, tell, tell_each
from jxjy.review import engine
from jxjy.trainings import services as trainings


@pytest.fixture
def submitted(base, base_user, learner_user):
    c = f.published_class(f.approved_filing(base, base_user), base_user)
    specialty_id, level_id = f.scope_of(c)
    reg = trainings.start_registration(
        learner=learner_user.learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
        details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
    )  # fmt: skip
    engine.perform(reg, "submit", actor=learner_user)
    return reg


def test_an_approved_registration_reaches_the_learner_by_sms_in_the_moves_transaction(
    submitted, base_user, learner_user, sms_sent
):
    engine.perform(submitted, "approve", actor=base_user)  # no commit: the rows are there already
    [row] = Outbox.objects.all()
    assert (row.channel, row.recipient, row.address, row.event) == (
        Channel.SMS, learner_user, "13899110001", "registration_approved"
    )  # fmt: skip
    assert row.params == [submitted.training_class.pre_filing.class_name]
    assert learner_user.notifications.get().title == row.body
    delivery.deliver_due()
    assert sms_sent[-1]["mobile"] == "13899110001" and "通过" in sms_sent[-1]["text"]


def test_a_returned_registration_goes_by_email_when_the_learner_chose_it(submitted, base_user, learner_user):
    Preference.objects.create(user=learner_user, sms=False, email=True, email_address="zhangsan@example.com")
    engine.perform(submitted, "return", actor=base_user, opinion="请补充工作单位证明")
    [row] = Outbox.objects.all()
    assert (row.channel, row.event) == (Channel.EMAIL, "registration_returned")
    delivery.deliver_due()
    [sent] = mail.outbox
    assert sent.to == ["zhangsan@example.com"]
    assert "退回" in sent.subject and "审核意见：请补充工作单位证明" in sent.body
    assert f"http://testserver{reverse('trainings:registration_detail', args=[submitted.pk])}" in sent.body


def test_a_learner_who_turned_everything_off_still_gets_the_inbox_message(submitted, base_user, learner_user):
    Preference.objects.create(user=learner_user, sms=False, email=False, email_address="zhangsan@example.com")
    engine.perform(submitted, "approve", actor=base_user)
    assert not Outbox.objects.exists()
    assert learner_user.notifications.count() == 1


def test_staff_are_told_in_the_inbox_only(base, base_user, learner_user):
    c = f.published_class(f.approved_filing(base, base_user), base_user)
    specialty_id, level_id = f.scope_of(c)
    reg = trainings.start_registration(
        learner=learner_user.learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
        details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
    )  # fmt: skip
    engine.perform(reg, "submit", actor=learner_user)
    assert Notification.objects.filter(recipient=base_user).exists()
    assert not Outbox.objects.exists()


def test_only_external_events_leave_the_platform(learner_user):
    tell([learner_user], title="某单据：提交", event="move:filings.prefiling:submit")
    assert learner_user.notifications.count() == 1 and not Outbox.objects.exists()
    tell([learner_user.pk], title="您已从候补转为正式报名", event="waiting_promoted")
    assert Outbox.objects.get().params == ["您已从候补转为正式报名"]


def test_the_cached_unread_count_follows_a_message(learner_user):
    assert unread_count(learner_user) == 0  # now cached
    tell([learner_user], title="您的学时已认定", event="hours_recognised")
    assert unread_count(learner_user) == 1


def test_telling_a_class_of_hundreds_takes_the_same_few_queries(learner_user):
    def queries(n: int) -> int:
        people = [f.learner(9000 + n * 1000 + i).user for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            tell_each(
                [Message(p, f"您的电子证书已签发：班{i}") for i, p in enumerate(people)], event="certificate_issued"
            )
        return len(ctx.captured_queries)

    assert queries(3) == queries(40)
    assert Outbox.objects.filter(event="certificate_issued").count() == 43


def approve_completion(base, base_user, hr_region_user, *, learners: int, recognition: bool = False, language=""):
    c = f.finished_class(base, base_user, learners=learners)
    if recognition:
        PreFiling.objects.filter(pk=c.pre_filing_id).update(purpose="recognition")
    completion = services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    regs = list(scores.approved_registrations(completion))
    type(base_user).objects.filter(pk__in=[r.learner.user_id for r in regs]).update(language=language)
    rows = [[r.name, r.learner.id_number, 90, "合格", ""] for r in regs]
    scores.import_scores(completion, f.score_file(rows), actor=base_user)
    services.save_details(completion, actor=base_user, summary="完成")
    for kind in services.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, base_user, kind)
    engine.perform(completion, "submit", actor=base_user)
    Outbox.objects.all().delete()
    engine.perform(completion, "approve", actor=hr_region_user)
    return c, [r.learner.user for r in regs]


def test_issued_certificates_tell_each_learner_once_with_a_link_to_my_certificates(
    base, base_user, hr_region_user, sms_sent
):
    c, people = approve_completion(base, base_user, hr_region_user, learners=3)
    for person in people:
        [note] = person.notifications.all()
        assert note.title.startswith(f"您的电子证书已签发：{c.pre_filing.class_name}（证书编号 ")
        assert note.url == reverse("certificates:mine")
    rows = Outbox.objects.filter(event="certificate_issued")
    assert sorted(r.recipient_id for r in rows) == sorted(p.pk for p in people)
    assert {tuple(r.params) for r in rows} == {(c.pre_filing.class_name,)}


def test_issued_certificates_are_told_in_each_learners_language(base, base_user, hr_region_user):
    c, people = approve_completion(base, base_user, hr_region_user, learners=2, language="ug")
    with translation.override("ug"):
        opening = translation.gettext("您的电子证书已签发：%(names)s（证书编号 %(numbers)s）").split("%")[0]
    for person in people:
        [note] = person.notifications.all()
        assert opening and opening in note.title and c.pre_filing.class_name in note.title


def test_recognised_hours_tell_each_learner_with_a_link_to_the_ledger(base, base_user, hr_region_user):
    c, people = approve_completion(base, base_user, hr_region_user, learners=2, recognition=True)
    hours = f"{c.pre_filing.total_hours:f}".rstrip("0").rstrip(".")
    for person in people:
        [note] = person.notifications.all()
        assert note.title == f"您的学时已认定：{c.pre_filing.class_name}，{hours}学时"
        assert note.url == reverse("hours:ledger")
    assert {tuple(r.params) for r in Outbox.objects.all()} == {(c.pre_filing.class_name, hours)}
    assert set(Outbox.objects.values_list("event", flat=True)) == {"hours_recognised"}


def test_a_move_is_told_in_the_learners_language_not_the_reviewers(submitted, base_user, learner_user):
    """A base reading the site in Uyghur approves: the learner, who reads it in Chinese, is told in Chinese."""
    base_user.language = "ug"
    with translation.override("ug"):
        engine.perform(submitted, "approve", actor=base_user)
    told = learner_user.notifications.get()
    assert "：通过，当前状态「审核通过」" in told.title and Outbox.objects.get().body == told.title


def test_a_learner_who_chose_uyghur_is_told_in_uyghur(submitted, base_user, learner_user):
    learner_user.language = "ug"
    learner_user.save(update_fields=["language"])
    engine.perform(submitted, "return", actor=base_user, opinion="请补充工作单位证明")
    told = learner_user.notifications.get()
    with translation.override("ug"):
        opinion = translation.gettext("审核意见：%(opinion)s") % {"opinion": "请补充工作单位证明"}
    interface = told.title.replace(str(submitted), "")  # the registration's own name is data
    assert not re.search(r"[\u4e00-\u9fff]", interface) and re.search(r"[\u0600-\u06ff]", interface)
    assert told.body == opinion
