"""A base's own systems read its documents and their states (documents:read); other bases' stay invisible."""

import pytest

from demo import factories as f
from jxjy.completions import services as completions
from jxjy.filings.models import PreFilingStatus as S
from jxjy.filings.models import Purpose
from tests.completion_helpers import reported
from tests.review_helpers import advance

URL = "/api/v1/documents"


@pytest.fixture
def documents(base, base_user, department_user, hr_region_user, other_base, other_base_user):
    returned = advance(f.complete_filing(base, base_user), S.RETURNED, base_user=base_user,
                       department_user=department_user, hr_user=hr_region_user)  # fmt: skip
    finished = f.finished_class(base, base_user, learners=1)
    completion = completions.start(actor=base_user, training_class=finished, name="结业备案", year=finished.years[0])
    theirs = f.complete_filing(other_base, other_base_user, class_name="别的基地的培训班")
    return {"returned": returned, "class": finished, "completion": completion, "theirs": theirs}


def test_lists_the_bases_own_documents_with_states(api, documents_token, documents):
    data = api(documents_token).get(URL).json()
    seen = {(d["kind"], d["id"]): d for d in data["results"]}
    assert data["count"] == 4  # the returned filing, the class's approved filing, the class, the completion
    returned = seen[("pre_filing", documents["returned"].pk)]
    assert (returned["status"], returned["status_label"]) == ("returned", "已退回")
    assert returned["kind_label"] == "培训前备案"
    assert seen[("training_class", documents["class"].pk)]["status_label"] == "审核通过"
    assert seen[("completion", documents["completion"].pk)]["title"] == "结业备案"
    assert ("pre_filing", documents["theirs"].pk) not in seen


def test_filters_by_kind_and_status_and_pages(api, documents_token, documents):
    client = api(documents_token)
    only = client.get(URL, {"kind": "pre_filing", "status": "returned"}).json()
    assert [d["id"] for d in only["results"]] == [documents["returned"].pk]
    page = client.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 4 and len(page["results"]) == 1


def test_bad_filter_is_400(api, documents_token):
    r = api(documents_token).get(URL, {"kind": "registration", "limit": 0})
    assert r.status_code == 400 and set(r.json()["errors"]) == {"kind", "limit"}


def test_unknown_empty_or_repeated_parameters_are_400(api, documents_token):
    r = api(documents_token).get(f"{URL}?staus=draft&offset=&limit=1&limit=2")
    assert r.status_code == 400
    assert r.json()["errors"] == {"staus": ["不支持该查询参数。"], "offset": ["不能为空。"],
                                  "limit": ["该查询参数只能出现一次。"]}  # fmt: skip


def test_detail_has_the_review_log_with_opinions(api, documents_token, documents, department_user):
    r = api(documents_token).get(f"{URL}/pre_filing/{documents['returned'].pk}")
    assert r.status_code == 200
    log = r.json()["log"]
    assert [e["state_after"] for e in log][-2:] == ["dept_review", "returned"]
    assert log[-1]["opinion"] == "请补充师资情况" and log[-1]["organisation"] == department_user.organisation.name
    # The words the base saw, and the code that tells the department's 退回 from 人社's.
    assert (log[-1]["action"], log[-1]["action_code"]) == ("退回", "dept_return")


@pytest.mark.parametrize("path", ["pre_filing/{theirs}", "pre_filing/999999", "registration/1",
                                  "completion/{theirs}", "pre_filing/99999999999999999999"])  # fmt: skip
def test_other_bases_missing_and_unknown_kinds_are_404(api, documents_token, documents, path):
    r = api(documents_token).get(f"{URL}/{path.format(theirs=documents['theirs'].pk)}")
    assert r.status_code == 404 and r.json() == {"code": "not_found", "message": "未找到该单据。"}


def test_other_scopes_are_refused(api, hours_token, import_token):
    assert api(hours_token).get(URL).status_code == 403
    assert api(import_token).get(f"{URL}/pre_filing/1").status_code == 403


def test_reported_recognition_scores_are_still_completions(api, documents_token, base, base_user):
    ours = reported(base, base_user, purpose=Purpose.RECOGNITION, name="水利学时认定培训班", n=885)
    ordinary = reported(base, base_user, purpose=Purpose.FILING, name="水利普通培训班", n=886)
    client = api(documents_token)
    listed = client.get(URL, {"kind": "completion"}).json()
    assert {d["id"] for d in listed["results"]} == {ours.pk, ordinary.pk}
    assert {d["kind_label"] for d in listed["results"]} == {"培训后备案"}
    detail = client.get(f"{URL}/completion/{ours.pk}")
    assert detail.status_code == 200 and detail.json()["kind"] == "completion"
    assert client.get(URL, {"kind": "recognition_scores"}).status_code == 400  # no new code
