"""Permission matrix: every role × every action on a filing inside and outside their scope.

Outcomes: "ok" (the move happened), "refused" (redirect with a message, nothing changed),
403 (may see it, not theirs to do), 404 (outside their scope), "login" (anonymous).
"""

import pytest
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import Role
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as S

from .review_helpers import advance

ROLES = [
    "base_user", "prefecture_base_user", "other_base_user", "department_user", "other_department_user",
    "hr_region_user", "hr_prefecture_user", "other_hr_prefecture_user", "learner_user", "anonymous",
]  # fmt: skip


@pytest.fixture
def users(request, db):
    return {name: (None if name == "anonymous" else request.getfixturevalue(name)) for name in ROLES}


def _filing_in(state, users, *, prefecture=False):
    owner = users["prefecture_base_user" if prefecture else "base_user"]
    hr = users["hr_prefecture_user" if prefecture else "hr_region_user"]
    filing = f.complete_filing(owner.organisation, owner)
    return advance(filing, state, base_user=owner, department_user=users["department_user"], hr_user=hr)


def _request(client, user, method, url, data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.post(url, data or {}) if method == "post" else client.get(url)


def _outcome(response, filing, state_before):
    filing.refresh_from_db()
    if response.status_code in (403, 404):
        return response.status_code
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    assert response.status_code in (200, 302), response.status_code
    return "ok" if filing.status != state_before else ("refused" if response.status_code == 302 else 200)


# (state of the regional base's filing, view, expected per role; roles not listed expect 404)
VIEW = "detail"
MATRIX = [
    (S.DEPT_REVIEW, VIEW, {"base_user": 200, "department_user": 200, "anonymous": "login"}),
    (S.HR_REVIEW, VIEW, {"base_user": 200, "department_user": 200, "hr_region_user": 200, "anonymous": "login"}),
    (S.DRAFT, VIEW, {"base_user": 200, "anonymous": "login"}),
    (S.DEPT_REVIEW, "dept_approve", {"base_user": 403, "department_user": "ok", "anonymous": "login"}),
    (S.DEPT_REVIEW, "dept_return", {"base_user": 403, "department_user": "ok", "anonymous": "login"}),
    (S.DEPT_REVIEW, "hr_approve", {"base_user": 403, "department_user": 403, "anonymous": "login"}),
    (S.DEPT_APPROVED, "dept_approve", {"base_user": 403, "department_user": "refused", "anonymous": "login"}),
    (S.HR_REVIEW, "hr_approve",
     {"base_user": 403, "department_user": 403, "hr_region_user": "ok", "anonymous": "login"}),
    (S.HR_REVIEW, "hr_return",
     {"base_user": 403, "department_user": 403, "hr_region_user": "ok", "anonymous": "login"}),
    (S.DEPT_APPROVED, "forward", {"base_user": 403, "department_user": "ok", "anonymous": "login"}),
    (S.DRAFT, "dept_approve", {"base_user": 403, "anonymous": "login"}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("state", "action", "expected"), MATRIX)
def test_permission_matrix_regional_filing(client, users, role, state, action, expected):
    filing = _filing_in(state, users)
    if action == "forward":
        url = reverse("filings:forward", args=[filing.pk])
        data = {"stamped_form": f.upload("盖章申报表.pdf")}
    elif action == VIEW:
        url, data = reverse("filings:detail", args=[filing.pk]), None
    else:
        url, data = reverse("review:act", args=["prefiling", filing.pk, action]), {"opinion": "请修改"}
    method = "get" if action == VIEW else "post"
    response = _request(client, users[role], method, url, data)
    assert _outcome(response, filing, state) == expected.get(role, 404)


PREFECTURE_MATRIX = {
    "hr_prefecture_user": "ok",
    "hr_region_user": 404,
    "other_hr_prefecture_user": 404,
    "prefecture_base_user": 403,
    "base_user": 404,
    "department_user": 403,
    "anonymous": "login",
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_prefecture_filing_final_review(client, users, role):
    filing = _filing_in(S.HR_REVIEW, users, prefecture=True)
    url = reverse("review:act", args=["prefiling", filing.pk, "hr_approve"])
    response = _request(client, users[role], "post", url, {})
    assert _outcome(response, filing, S.HR_REVIEW) == PREFECTURE_MATRIX.get(role, 404)


@pytest.mark.parametrize("role", ROLES)
def test_reviewer_lists_are_for_reviewers_only(client, users, role):
    response = _request(client, users[role], "get", reverse("review:waiting", args=["prefiling"]))
    user = users[role]
    if user is None:
        assert response.status_code == 302
    elif user.role in (Role.DEPARTMENT, Role.HR_REGION, Role.HR_PREFECTURE):
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_department_cannot_see_other_departments_filings(client, users):
    filing = _filing_in(S.DEPT_REVIEW, users)
    client.force_login(users["other_department_user"])
    page = client.get(reverse("review:waiting", args=["prefiling"])).content.decode()
    assert filing.class_name not in page
    assert PreFiling.objects.filter(pk=filing.pk).exists()
