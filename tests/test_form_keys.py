"""One document per 新增 page (jxjy/core/form_keys.py): the 培训信息 and 培训后备案 pages sent twice — a double
click, a replay — make one document, and the second sending is led to it."""

from django.urls import reverse

from demo import factories as f
from jxjy.completions.models import CompletionFiling
from jxjy.trainings.models import TrainingClass

from .html_helpers import page
from .prefiling_helpers import form_of
from .test_training_classes import _post_data

ALREADY = "该页面的内容已经保存过，没有重复新建。"


def page_key(response, form_id: str) -> str:
    [key] = form_of(response, form_id)["form_key"]
    return key


def test_a_new_training_class_page_sent_twice_makes_one_class(client_for, base, base_user):
    client = client_for(base_user)
    filing = f.approved_filing(base, base_user)
    key = page_key(client.get(reverse("trainings:class_new")), "class-form")
    data = {**_post_data(filing), "form_key": key}
    assert client.post(reverse("trainings:class_new"), data).status_code == 302
    again = client.post(reverse("trainings:class_new"), data, follow=True)
    assert TrainingClass.objects.count() == 1 and TrainingClass.objects.get().form_key == key
    assert ALREADY in page(again).text()


def test_each_new_page_has_its_own_number(client_for, base_user):
    client = client_for(base_user)
    first = page_key(client.get(reverse("trainings:class_new")), "class-form")
    assert first != page_key(client.get(reverse("trainings:class_new")), "class-form")


def test_a_refused_new_page_keeps_its_number(client_for, base, base_user):
    client = client_for(base_user)
    filing = f.approved_filing(base, base_user)
    data = {**_post_data(filing, class_place=""), "form_key": "a" * 32}
    assert page_key(client.post(reverse("trainings:class_new"), data), "class-form") == "a" * 32


def test_a_new_completion_page_sent_twice_makes_one_and_leads_to_it(client_for, base, base_user):
    client = client_for(base_user)
    c = f.finished_class(base, base_user, learners=1)
    step1 = client.get(reverse("completions:new"))
    data = {"name": "结业备案", "year": c.years[0], "pre_filing": c.pre_filing_id, "training_class": c.pk,
            "form_key": form_of(step1, "completion-form")["form_key"][0]}  # fmt: skip
    first = client.post(reverse("completions:new"), data)
    completion = CompletionFiling.objects.get()
    again = client.post(reverse("completions:new"), data)
    assert first["Location"] == again["Location"] == reverse("completions:step2", args=[completion.pk])
    assert CompletionFiling.objects.count() == 1
