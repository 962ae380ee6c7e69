"""学时上报 (guide §五.3): the scores a base 报送s after a 学时认定 wait for the 人社厅专技处 under 「学时认定审核」,
next to the 申报s; an ordinary 培训后备案 stays under 「培训后备案审核」. The API shows both as before."""

from django.apps import apps
from django.urls import reverse

from jxjy.completions.models import CompletionFiling
from jxjy.filings.models import Purpose
from jxjy.portal.menu import menu_for
from jxjy.review.registry import kind_of
from jxjy.review.templatetags.review import review_slug

from .completion_helpers import reported


def group(user, label: str):
    (item,) = [i for i in menu_for(user) if i.label == label]  # one group of that name
    return {c.label: c for c in item.children}


def test_reported_recognition_scores_wait_under_xueshi_rending_shenhe(client_for, base, base_user, hr_region_user):
    ours = reported(base, base_user, purpose=Purpose.RECOGNITION, name="水利学时认定培训班", n=881)
    ordinary = reported(base, base_user, purpose=Purpose.FILING, name="水利普通培训班", n=882)
    assert (ours.purpose, ordinary.purpose) == ("recognition", "filing")
    assert (kind_of(ours).slug, kind_of(ordinary).slug) == ("recognition_scores", "completion")
    assert ours.holder == hr_region_user.organisation == ordinary.holder

    rst = client_for(hr_region_user)
    scores_list = rst.get(reverse("review:waiting", args=["recognition_scores"])).content.decode()
    completion_list = rst.get(reverse("review:waiting", args=["completion"])).content.decode()
    assert "水利学时认定培训班成绩" in scores_list and "学时上报待审核" in scores_list
    assert "水利普通培训班成绩" not in scores_list
    assert "水利普通培训班成绩" in completion_list and "水利学时认定培训班成绩" not in completion_list

    recognition = group(hr_region_user, "学时认定审核")
    assert list(recognition) == ["待审核", "已审核", "学时上报待审核", "学时上报已审核"]
    assert recognition["学时上报待审核"].url == reverse("review:waiting", args=["recognition_scores"])
    assert (recognition["学时上报待审核"].badge, recognition["待审核"].badge) == (1, 0)
    completion = group(hr_region_user, "培训后备案审核")
    assert list(completion) == ["待审核", "已审核"] and completion["待审核"].badge == 1

    cards = {c.title: c.value for c in rst.get(reverse("core:home")).context["cards"]}
    assert (cards["学时上报待审核"], cards["培训后备案待审核"]) == ("1", "1")


def test_the_detail_page_approves_through_the_kinds_own_address(client_for, base, base_user, hr_region_user):
    ours = reported(base, base_user, purpose=Purpose.RECOGNITION, name="水利学时认定培训班", n=883)
    assert review_slug(ours) == "recognition_scores"
    rst = client_for(hr_region_user)
    approve = reverse("review:act", args=["recognition_scores", ours.pk, "approve"])
    assert f'formaction="{approve}"' in rst.get(reverse("completions:detail", args=[ours.pk])).content.decode()
    # Not a 培训后备案: its address does not reach it.
    assert rst.post(reverse("review:act", args=["completion", ours.pk, "approve"])).status_code == 404
    response = rst.post(approve)
    assert response["Location"] == reverse("review:waiting", args=["recognition_scores"])
    ours.refresh_from_db()
    assert ours.status == "approved"
    done = rst.get(reverse("review:done", args=["recognition_scores"])).content.decode()
    assert "水利学时认定培训班成绩" in done


def test_prefecture_bureau_never_sees_recognition_scores(base, base_user, hr_prefecture_user):
    reported(base, base_user, purpose=Purpose.RECOGNITION, name="水利学时认定培训班", n=884)
    assert [i for i in menu_for(hr_prefecture_user) if i.label == "学时认定审核"] == []


def test_the_migration_copies_the_purpose_of_existing_rows(base, base_user):
    from importlib import import_module

    ours = reported(base, base_user, purpose=Purpose.RECOGNITION, name="水利学时认定培训班", n=887)
    ordinary = reported(base, base_user, purpose=Purpose.FILING, name="水利普通培训班", n=888)
    CompletionFiling.objects.update(purpose=Purpose.FILING)  # as the new column left them
    import_module("jxjy.completions.migrations.0004_purpose").copy_purpose(apps, None)
    purposes = dict(CompletionFiling.objects.values_list("pk", "purpose"))
    assert purposes == {ours.pk: "recognition", ordinary.pk: "filing"}
