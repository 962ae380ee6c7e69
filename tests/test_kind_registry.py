"""One more document kind, declared once here, shows up in the reviewer's lists, menu and home and in the API."""

import pytest
from django.apps import apps
from django.db.models import Q
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import Role
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as S
from jxjy.review import engine, registry
from tests.api.conftest import new_token

WORKSHOP = engine.Workflow(
    name="研修项目",
    states=S,
    editable_states=frozenset({S.DRAFT}),
    initial=S.DRAFT,
    transitions={
        "submit": engine.Transition("submit", "提交", frozenset({S.DRAFT}), S.HR_REVIEW, "owner"),
        "hr_approve": engine.Transition("hr_approve", "通过", frozenset({S.HR_REVIEW}), S.APPROVED, "holder"),
    },
    owner=lambda doc: doc.base,
    holder_for=lambda doc, state: f.hr_region() if state == S.HR_REVIEW else doc.base,
)


def seen_by(user) -> Q:
    return Q(submitted_at__isnull=False) if user.role == Role.HR_REGION else Q(base_id=user.organisation_id)


@pytest.fixture
def workshop(db):
    """研修项目: a base files it, 人社厅专技处 passes it (a proxy of PreFiling, so that it needs no table)."""
    meta = type("Meta", (), {"proxy": True, "app_label": "filings"})
    model = type("Workshop", (PreFiling,), {"__module__": __name__, "Meta": meta})
    registry.register(registry.DocumentKind(
        slug="workshop", label="研修项目", model=model, workflow=WORKSHOP,
        visible_to=lambda user: model.objects.filter(seen_by(user)),
        filters={"class_name": "水利研修项目"}, reviewers=frozenset({Role.HR_REGION}), api_slug="workshop",
    ))  # fmt: skip
    yield model
    registry.unregister("workshop")
    del apps.all_models["filings"]["workshop"]
    apps.clear_cache()


def test_a_sixth_kind_declared_once_is_listed_shown_and_served(
    workshop, base, base_user, hr_region_user, sysadmin_user, client_for
):
    """Nothing outside the fixture above names the kind: the registry is the only declaration."""
    doc = workshop.objects.get(pk=f.complete_filing(base, base_user, class_name="水利研修项目").pk)
    engine.perform(doc, "submit", actor=base_user)  # the engine finds the kind's own route
    reviewer = client_for(hr_region_user)
    home = reviewer.get(reverse("core:home")).content.decode()
    assert "研修项目审核" in home and "研修项目待审核" in home  # the menu group and the dashboard card
    waiting = reviewer.get(reverse("review:waiting", args=["workshop"])).content.decode()
    assert "水利研修项目" in waiting
    reviewer.post(reverse("review:act", args=["workshop", doc.pk, "hr_approve"]))
    assert PreFiling.objects.get(pk=doc.pk).status == S.APPROVED
    token = new_token(base, ["documents:read"], sysadmin_user)
    api = reviewer.__class__(headers={"Authorization": f"Bearer {token}"})
    listed = api.get("/api/v1/documents", {"kind": "workshop"}).json()["results"]
    assert [(d["kind"], d["id"], d["status_label"]) for d in listed] == [("workshop", doc.pk, "备案通过")]


def test_the_kind_goes_with_its_declaration(base_user, hr_region_user, client_for):
    reviewer = client_for(hr_region_user)
    assert reviewer.get(reverse("review:waiting", args=["workshop"])).status_code == 404
    assert "研修项目审核" not in reviewer.get(reverse("core:home")).content.decode()
