"""公需课 import from online platforms: checked whole before anything is written, idempotent by record ID,
certificates and ledger lines made by the certificate service."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from demo import factories as f
from jxjy.accounts.services import register_learner
from jxjy.api.models import HeldCompletion
from jxjy.audit.models import AuditEntry
from jxjy.certificates.models import Certificate
from jxjy.hours.models import Credit
from jxjy.hours.services import ledger
from tests.test_score_import import DAMAGES, valid_xlsx

# The records below are dated 2026 (their certificates are numbered 2026-GX-…): the tests start on a day of 2026.
pytestmark = pytest.mark.now("2026-06-15 10:00")

URL = "/api/v1/completions/import"


def record(n: int, **overrides) -> dict:
    return {"record_id": f"R-{n}", "id_number": "650102199001011239", "name": "张三", "course": f"公需课{n}",
            "hours": 6.5, "completed_on": "2026-03-01", **overrides}  # fmt: skip


def post(client, records):
    return client.post(URL, {"records": records}, content_type="application/json")


@pytest.fixture
def client(api, import_token, learner_user):
    return api(import_token)


def test_import_issues_public_certificates_and_ledger_lines(client, learner_user, platform):
    r = post(client, [record(1), record(2, hours=3)])
    assert r.status_code == 200
    data = r.json()
    assert (data["created"], data["existing"]) == (2, 0)
    assert [x["status"] for x in data["results"]] == ["created", "created"]
    certs = Certificate.objects.order_by("number")
    assert [c.number for c in certs] == ["2026-GX-000001", "2026-GX-000002"]
    assert {(c.kind, c.base, c.issuer, c.holder_name) for c in certs} == {("public", platform, f.hr_region(), "张三")}
    year = ledger(learner_user.learner)[0]
    assert (year.year, year.public, year.professional) == (2026, 9.5, 0)
    assert set(Credit.objects.values_list("source", flat=True)) == {"在线学习平台"}


def test_resending_a_record_creates_nothing_and_says_so(client):
    post(client, [record(1)])
    again = post(client, [record(1), record(2)]).json()
    assert (again["created"], again["existing"]) == (1, 1)
    assert again["results"][0] == {"record_id": "R-1", "status": "existing", "message": "此前已接收，未重复创建"}
    assert Certificate.objects.count() == Credit.objects.count() == 2


def test_same_record_id_from_another_platform_is_a_different_record(client, sysadmin_user, api):
    from jxjy.accounts.models import Organisation

    from .conftest import new_token

    other = Organisation.objects.create(name="另一在线学习平台", kind=Organisation.Kind.PLATFORM)
    post(client, [record(1)])
    assert post(api(new_token(other, ["completions:import"], sysadmin_user)), [record(1)]).json()["created"] == 1


def test_one_bad_record_stops_the_batch_with_errors_by_position(client):
    today = dt.date.today()
    r = post(client, [record(1), record(2, hours=0), record(3, completed_on=str(today + dt.timedelta(days=1))),
                      record(4, id_number="123")])  # fmt: skip
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    errors = r.json()["errors"]["records"]
    assert "0" not in errors
    assert errors["1"] == {"hours": ["请确保该值大于或者等于 0.5。"]}
    assert errors["2"] == {"completed_on": ["完成日期不能晚于今天。"]}
    assert "身份证号应为18位" in errors["3"]["id_number"][0]
    assert Certificate.objects.count() == 0


def test_the_answer_does_not_tell_who_is_registered(client):
    """A registered learner, a wrong name and an unregistered 身份证号 are answered alike: no identity is confirmed."""
    stranger = {"id_number": "650102198803150025", "name": "李娜"}
    r = post(client, [record(1), record(2, name="李四"), record(3, **stranger)])
    assert r.status_code == 200
    results = r.json()["results"]
    assert {(x["status"], x["message"]) for x in results} == {("created", "已接收")}
    assert all(set(x) == {"record_id", "status", "message"} for x in results)
    assert Certificate.objects.count() == 1 and HeldCompletion.objects.count() == 2


def test_a_held_record_is_issued_when_that_learner_registers(client, django_capture_on_commit_callbacks):
    post(client, [record(1, id_number="650102198803150025", name="李娜")])
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        register_learner(name="李娜", id_number="650102198803150025", mobile="13800138000", work_unit="某单位",
                         password="Shuili@2026x")  # fmt: skip
    cert = Certificate.objects.get()
    assert (cert.holder_name, cert.kind, cert.learner.name) == ("李娜", "public", "李娜")
    assert not HeldCompletion.objects.exists()
    assert post(client, [record(1, id_number="650102198803150025", name="李娜")]).json()["existing"] == 1


def test_duplicate_record_ids_in_one_batch_are_refused(client):
    r = post(client, [record(1), record(1)])
    assert r.status_code == 400 and r.json()["errors"] == {"records": ["记录编号 R-1 在本批中重复。"]}


def test_empty_and_oversized_batches_are_refused(client):
    assert post(client, []).status_code == 400
    assert post(client, [record(n) for n in range(501)]).status_code == 400


def test_only_the_import_scope_may_import(api, hours_token, documents_token, learner_user):
    assert post(api(), [record(1)]).status_code == 401
    assert post(api(hours_token), [record(1)]).status_code == 403
    assert post(api(documents_token), [record(1)]).status_code == 403


def test_import_is_audited(client, platform):
    post(client, [record(1)])
    entry = AuditEntry.objects.get(action="platform_import_hours")
    assert entry.organisation == platform and entry.detail["新建证书"] == ["2026-GX-000001"]


def test_imported_certificate_verifies_publicly(client, api):
    post(client, [record(1)])
    cert = Certificate.objects.get()
    data = api().get("/api/v1/certificates/verify", {"number": cert.number, "code": cert.code}).json()
    assert data["base_name"] == "新疆专技人员在线学习平台" and data["kind"] == "public"


def test_body_that_is_not_json_is_400(client):
    r = client.post(URL, "{not json", content_type="application/json")
    assert r.status_code == 400 and r.json() == {"code": "parse_error", "message": "请求内容不是有效的 JSON。"}


def test_values_of_the_wrong_json_type_are_refused(client):
    r = post(client, [record(1, hours="6.5", name=0)])
    assert r.json()["errors"]["records"]["0"] == {"name": ["应为字符串。"], "hours": ["应为数字。"]}


def test_form_encoded_body_is_415(client):
    r = client.post(URL, {"records": "x"})
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media_type"


def test_learner_sees_the_imported_certificate_and_hours(client, client_for, learner_user):
    post(client, [record(1)])
    learner = client_for(learner_user)
    cert = Certificate.objects.get()
    assert "新疆专技人员在线学习平台" in learner.get("/certificates/mine/").content.decode()
    assert "在线学习平台" in learner.get("/hours/").content.decode()
    pdf = learner.get(f"/certificates/{cert.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# The import takes JSON only (the API's one parser): an xlsx, damaged or not, is never opened, and however it
# is sent the answer is a JSON error in Chinese, not a 500, with nothing written.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SENT_AS = {
    "multipart-upload": (415, "unsupported_media_type"),
    "xlsx-body": (415, "unsupported_media_type"),
    "body-labelled-json": (400, "parse_error"),
}


@pytest.mark.parametrize("sent_as", SENT_AS)
@pytest.mark.parametrize("kind", [None, *DAMAGES])
def test_an_xlsx_damaged_or_not_is_refused_in_chinese_and_nothing_written(client, kind, sent_as):
    post(client, [record(1)])

    def written():
        imports = AuditEntry.objects.filter(action="platform_import_hours").count()
        return Certificate.objects.count(), Credit.objects.count(), imports

    before = written()
    data = valid_xlsx() if kind is None else DAMAGES[kind].build(valid_xlsx())
    if sent_as == "multipart-upload":
        r = client.post(URL, {"file": SimpleUploadedFile("公需课.xlsx", data, content_type=XLSX)})
    else:
        r = client.post(URL, data, content_type=XLSX if sent_as == "xlsx-body" else "application/json")
    assert (r.status_code, r.json()["code"]) == SENT_AS[sent_as]
    assert re.search(r"[\u4e00-\u9fff]", r.json()["message"]), r.json()
    assert written() == before == (1, 1, 1)


def test_a_name_with_markup_is_refused_and_nothing_is_imported(client):
    r = post(client, [record(1), record(2, name="张三<b>")])
    assert r.status_code == 400
    assert "姓名只能由汉字" in str(r.json()["errors"]) and not Certificate.objects.exists()
