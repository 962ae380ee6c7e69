"""Every long form keeps what is typed, through one mechanism: each carries the {% autosave %} mark under its
own draft key, and the server keeps a draft only for a user who may fill that form in."""

import json

import pytest
from django.urls import reverse

from demo import factories as f
from jxjy.core.drafts import may_keep
from jxjy.review import engine
from jxjy.review.workflows import Action
from jxjy.trainings import services as trainings

from .html_helpers import page


def draft_keys(response) -> list[str]:
    return [n.attrs["value"] for n in page(response).find_all(lambda n: n.attrs.get("name") == "_draft_key")]


@pytest.fixture
def open_class(base, base_user):
    return f.published_class(f.approved_filing(base, base_user), base_user)


def test_the_base_forms_keep_what_is_typed(client_for, base, base_user):
    client = client_for(base_user)
    filing = f.complete_filing(base, base_user)
    c = f.published_class(f.approved_filing(base, base_user), base_user, status="draft", published=False)
    finished = f.finished_class(base, base_user, learners=1)
    forms = {
        reverse("filings:new"): "prefiling:new",
        reverse("filings:edit", args=[filing.pk]): f"prefiling:{filing.pk}",
        reverse("filings:recognition_new"): "recognition:new",
        reverse("trainings:class_new"): "training:new",
        reverse("trainings:class_edit", args=[c.pk]): f"training:{c.pk}",
        reverse("completions:new"): "completion:new",
    }
    for url, key in forms.items():
        assert draft_keys(client.get(url)) == [key], url
        assert may_keep(base_user, key), key
    step1 = {"name": "结业备案", "year": finished.years[0], "pre_filing": finished.pre_filing_id,
             "training_class": finished.pk}  # fmt: skip
    client.post(reverse("completions:new"), step1)
    completion = finished.completions.get()
    assert draft_keys(client.get(reverse("completions:step2", args=[completion.pk]))) == [f"completion:{completion.pk}"]


def test_the_learner_forms_keep_what_is_typed(client_for, learner_user, open_class):
    client = client_for(learner_user)
    specialty_id, level_id = f.scope_of(open_class)
    url = reverse("trainings:register_form", args=[open_class.pk]) + f"?specialty={specialty_id}&level={level_id}"
    assert draft_keys(client.get(url)) == [f"register:{open_class.pk}"]
    learner = learner_user.learner
    reg = trainings.start_registration(
        learner=learner, training_class=open_class, specialty_id=specialty_id, level_id=level_id,
        details={"work_unit": "测试单位", "current_title": "工程师", "year": open_class.years[0]},
        package_course_ids=[],
    )  # fmt: skip
    assert draft_keys(client.get(reverse("trainings:registration_edit", args=[reg.pk]))) == [f"registration:{reg.pk}"]
    assert may_keep(learner_user, f"registration:{reg.pk}") and may_keep(learner_user, f"register:{open_class.pk}")


def test_the_review_opinion_keeps_what_is_typed_for_the_reviewer_only(client_for, filing, base_user, department_user):
    engine.perform(filing, Action.SUBMIT, actor=base_user)
    response = client_for(department_user).get(reverse("filings:detail", args=[filing.pk]))
    assert draft_keys(response) == [f"prefiling_opinion:{filing.pk}"]
    assert may_keep(department_user, f"prefiling_opinion:{filing.pk}")
    assert not may_keep(base_user, f"prefiling_opinion:{filing.pk}")  # the base does not decide it
    assert not may_keep(department_user, f"nosuchkind_opinion:{filing.pk}")
    assert draft_keys(client_for(base_user).get(reverse("filings:detail", args=[filing.pk]))) == []


def test_a_reviewers_opinion_draft_is_offered_back(client_for, filing, base_user, department_user):
    engine.perform(filing, Action.SUBMIT, actor=base_user)
    client = client_for(department_user)
    body = json.dumps({"key": f"prefiling_opinion:{filing.pk}", "pairs": [["opinion", "请补充师资情况"]]})
    assert client.post(reverse("core:autosave"), body, content_type="application/json").status_code == 200
    response = client.get(reverse("filings:detail", args=[filing.pk]))
    [script] = page(response).find_all(lambda n: n.tag == "script" and n.attrs.get("id") == "draft-data")
    assert json.loads(script.text())["pairs"] == [["opinion", "请补充师资情况"]]
