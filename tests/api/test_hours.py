"""学时查询 for title-review systems: hours:read only, by 身份证号 and name, and no way to tell who is registered."""

from decimal import Decimal

import pytest

from demo import factories as f
from jxjy.audit.models import AuditEntry
from jxjy.certificates.models import Certificate, CertificateKind
from jxjy.certificates.services import Facts, issue_many
from jxjy.core import clock

from .conftest import new_token

URL = "/api/v1/hours/query"
ZHANG = {"id_number": "650102199001011239", "name": "张三"}


@pytest.fixture
def credited(learner_user, base):
    hr = f.hr_region()

    def facts(key, kind, hours, year):
        return Facts(source_key=key, learner=learner_user.learner, kind=kind, year=year, hours=Decimal(hours),
                     class_name=f"课程{key}", base=base, base_name=base.name, scope="", issuer=hr,
                     source_label="培训后备案")  # fmt: skip

    return issue_many([facts("a", CertificateKind.PROFESSIONAL, 60, 2025), facts("b", CertificateKind.PUBLIC, 30, 2025),
                       facts("c", CertificateKind.PUBLIC, 12, 2026)])  # fmt: skip


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_hours_per_year_newest_first(api, hours_token, credited):
    r = post(api(hours_token), ZHANG)
    assert r.status_code == 200
    data = r.json()
    assert data["id_number"] == "6501**********1239" and data["name"] == "张三"
    assert [y["year"] for y in data["years"]] == [2026, 2025]
    y2025 = data["years"][1]
    assert (y2025["public_hours"], y2025["professional_hours"], y2025["total_hours"]) == (30, 60, 90)
    assert y2025["met"] is True and y2025["required_hours"] == 90 and y2025["professional_required_hours"] == 60
    assert {c["certificate_number"] for c in y2025["credits"]} == {credited[0].number, credited[1].number}


def test_one_year_only(api, hours_token, credited):
    data = post(api(hours_token), {**ZHANG, "year": 2026}).json()
    assert [(y["year"], y["total_hours"], y["met"]) for y in data["years"]] == [(2026, 12, False)]


def test_revoked_certificate_hours_do_not_count(api, hours_token, credited, hr_region_user):
    from jxjy.certificates.services import revoke

    revoke(credited[0], actor=hr_region_user, reason="作废")
    y2025 = post(api(hours_token), {**ZHANG, "year": 2025}).json()["years"][0]
    assert y2025["professional_hours"] == 0 and y2025["met"] is False


@pytest.mark.parametrize("year", [None, 2025])
def test_unknown_person_wrong_name_and_no_hours_answer_alike(api, hours_token, learner_user, year):
    """Without credits, with a name that does not match, or for nobody registered: the same answer."""
    extra = {"year": year} if year else {}
    client = api(hours_token)
    no_hours = post(client, {**ZHANG, **extra}).json()
    nobody = f.learner(7).id_number  # registered, then asked about under Zhang's name
    wrong_name = post(client, {"id_number": nobody, "name": "张三", **extra}).json()
    unknown = post(client, {"id_number": "650102198001010012", "name": "张三", **extra}).json()
    for answer in (wrong_name, unknown):
        answer.pop("id_number")
    no_hours.pop("id_number")
    assert no_hours == wrong_name == unknown


def test_invalid_id_number_is_400_in_chinese(api, hours_token):
    r = post(api(hours_token), {"id_number": "650102199001011230", "name": "张三"})
    assert r.status_code == 400
    assert r.json()["errors"] == {"id_number": ["身份证号校验位不正确，请核对。"]}


def test_other_scopes_and_no_token_are_refused(api, import_token, documents_token, learner_user):
    assert post(api(), ZHANG).status_code == 401
    assert post(api(import_token), ZHANG).status_code == 403
    assert post(api(documents_token), ZHANG).status_code == 403


def test_every_lookup_is_audited_with_the_organisation(api, hours_token, credited, hr_region_user):
    post(api(hours_token), ZHANG)
    entry = AuditEntry.objects.get(action="api_query_hours")
    assert entry.organisation == hr_region_user.organisation and entry.actor is None
    assert entry.object_id == str(credited[0].learner.pk) and entry.detail["身份证号"] == "6501**********1239"


@pytest.mark.date_sweep
def test_a_record_completed_today_counts_in_this_year_of_asia_shanghai(api, hours_token, import_token, learner_user):
    """A 公需课 finished at 00:20 on 1 January is today's (not "later than today", as UTC's date would have it),
    is numbered in the new year and shows in the new year's hours."""
    today = clock.today()
    record = {"record_id": "R-1", **ZHANG, "course": "公需课", "hours": 6, "completed_on": f"{today:%Y-%m-%d}"}
    r = api(import_token).post("/api/v1/completions/import", {"records": [record]}, content_type="application/json")
    assert r.status_code == 200, r.json()
    cert = Certificate.objects.get()
    assert (cert.number, cert.year, cert.issued_on) == (f"{today.year}-GX-000001", today.year, today)
    years = post(api(hours_token), ZHANG).json()["years"]
    assert [(y["year"], y["public_hours"]) for y in years] == [(today.year, 6)]


@pytest.mark.parametrize(("reader", "reaches"), [("department", True), ("other_department", False),
                                                 ("prefecture", True), ("other_prefecture", False)])  # fmt: skip
def test_a_department_or_prefecture_token_reads_only_its_own_sector_or_prefecture(
    api, request, credited, sysadmin_user, reader, reaches
):
    """The certificates of `credited` are from a base of `department` in 乌鲁木齐市."""
    organisation = {
        "department": lambda: request.getfixturevalue("department"),
        "other_department": lambda: request.getfixturevalue("other_department"),
        "prefecture": lambda: request.getfixturevalue("hr_prefecture_user").organisation,
        "other_prefecture": lambda: request.getfixturevalue("other_hr_prefecture_user").organisation,
    }[reader]()
    token = new_token(organisation, ["hours:read"], sysadmin_user)
    years = post(api(token), ZHANG).json()["years"]
    assert bool(years) == reaches
