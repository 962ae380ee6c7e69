"""显示完整: pages show 身份证号 and 手机号 masked; the learner, the base that reviews their registration and
the HR office that reviews the class may reveal one value with a POST, which is audited; nobody else."""

import pytest
from django.urls import reverse

from demo import factories as f
from jxjy.audit.models import AuditEntry
from jxjy.completions import scores, services
from jxjy.trainings.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(base, base_user):
    """An approved registration in a class of the regional base (reviewed by 人社厅)."""
    c = f.finished_class(base, base_user, learners=1)
    return Registration.objects.get(training_class=c)


def reveal(client, learner, field="id_number", **headers):
    return client.post(reverse("accounts:reveal", args=[learner.pk, field]), {"next": "/"}, headers=headers)


def reveals():
    return AuditEntry.objects.filter(action="reveal_personal_data")


@pytest.mark.parametrize("who", ["base_user", "hr_region_user"])
def test_reviewers_may_reveal_and_each_reveal_is_audited(request, client_for, registration, who):
    user = request.getfixturevalue(who)
    learner = registration.learner
    response = reveal(client_for(user), learner)
    assert learner.id_number in response.content.decode() and "本次查看已记入审计日志" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    mobile = reveal(client_for(user), learner, "mobile", X_Requested_With="fetch").json()
    assert mobile == {"value": learner.mobile}
    entries = list(reveals().order_by("id"))
    assert [(e.actor, e.object_id, e.detail) for e in entries] == [
        (user, str(learner.pk), {"字段": "身份证号"}),
        (user, str(learner.pk), {"字段": "手机号"}),
    ]


def test_learner_may_reveal_their_own_only(client_for, registration, learner_user):
    own = learner_user.learner
    assert reveal(client_for(learner_user), own).status_code == 200
    assert reveal(client_for(learner_user), registration.learner).status_code == 404
    assert reveals().count() == 1


@pytest.mark.parametrize("who", ["other_base_user", "hr_prefecture_user"])
def test_offices_without_the_learner_in_scope_get_404(request, client_for, registration, who):
    assert reveal(client_for(request.getfixturevalue(who)), registration.learner).status_code == 404
    assert not reveals().exists()


@pytest.mark.parametrize("who", ["department_user", "sysadmin_user", "auditor_user"])
def test_roles_that_never_see_full_values_get_403(request, client_for, registration, who):
    response = reveal(client_for(request.getfixturevalue(who)), registration.learner)
    assert response.status_code == 403 and registration.learner.id_number not in response.content.decode()
    assert not reveals().exists()


def test_reveal_needs_login_a_post_and_a_known_field(client, client_for, registration, base_user):
    url = reverse("accounts:reveal", args=[registration.learner.pk, "id_number"])
    assert client.post(url).status_code == 302  # to the login page
    assert client_for(base_user).get(url).status_code == 405
    assert reveal(client_for(base_user), registration.learner, "password").status_code == 404
    assert not reveals().exists()


def test_base_sees_the_registration_masked_with_a_reveal_button(client_for, registration, base_user):
    learner = registration.learner
    page = client_for(base_user).get(reverse("trainings:registration_detail", args=[registration.pk])).content.decode()
    assert learner.id_number not in page and learner.mobile not in page
    assert learner.id_number[:4] + "**********" + learner.id_number[-4:] in page
    assert learner.mobile[:3] + "****" + learner.mobile[-4:] in page
    assert reverse("accounts:reveal", args=[learner.pk, "id_number"]) in page


def test_learner_sees_their_own_registration_masked_too(client_for, learner_user, open_registration):
    page = client_for(learner_user).get(reverse("trainings:registration_detail", args=[open_registration.pk]))
    assert "650102199001011239" not in page.content.decode() and "6501**********1239" in page.content.decode()
    assert "显示完整" in page.content.decode()


@pytest.fixture
def open_registration(base, base_user, learner_user):
    c = f.published_class(f.approved_filing(base, base_user), base_user)
    specialty_id, level_id = f.scope_of(c)
    return Registration.objects.create(
        learner=learner_user.learner, training_class=c, specialty_id=specialty_id, level_id=level_id, status="draft",
        name="张三", work_unit="测试单位", current_title="工程师", year=c.years[0],
    )  # fmt: skip


def test_base_sees_scores_masked_with_a_reveal_button(client_for, base_user, registration):
    completion = services.start(
        actor=base_user, training_class=registration.training_class, name="结业", year=registration.year
    )
    learner = registration.learner
    scores.import_scores(completion, f.score_file([[registration.name, learner.id_number, 90, "合格", ""]]),
                         actor=base_user)  # fmt: skip
    url = reverse("completions:detail", args=[completion.pk])
    page = client_for(base_user).get(url).content.decode()
    assert learner.id_number not in page and reverse("accounts:reveal", args=[learner.pk, "id_number"]) in page


def test_score_template_export_carries_full_ids_and_is_audited(client_for, base_user, registration):
    completion = services.start(
        actor=base_user, training_class=registration.training_class, name="结业", year=registration.year
    )
    response = client_for(base_user).get(reverse("completions:template", args=[completion.pk]))
    rows = list(f_rows(response.content))
    assert rows[1][1] == registration.learner.id_number
    entry = AuditEntry.objects.get(action="export_score_template")
    assert entry.actor == base_user and entry.detail["个人信息"] == "姓名、完整身份证号"


def f_rows(content: bytes):
    import io

    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
