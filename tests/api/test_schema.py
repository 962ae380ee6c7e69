"""The OpenAPI schema at /api/openapi.json, checked by schemathesis against the running app: every
operation, a few generated requests each, with valid tokens; no 5xx and no answer outside the schema."""

import datetime as dt
import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from jxjy.api import tokens
from jxjy.api.models import ApiToken

# A raw PDF body for the certificate file check: a PDF's header over bytes of any kind (truncated, garbage).
schemathesis.openapi.media_type("application/pdf", st.binary(max_size=2048).map(lambda tail: b"%PDF-1.7\n" + tail))

# Loaded when the tests are collected (building the schema reads no database); one test per operation.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


# A few generated requests per operation keep `make test` quick; API_FUZZ_EXAMPLES=300 searches harder.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", 20))

# Fixed secrets, so that schemathesis' auth provider can hand them out; the rows come with each test.
SECRETS = {
    "/api/v1/hours/": ("hours001", "hours:read"),
    "/api/v1/completions/": ("import01", "completions:import"),
    "/api/v1/documents": ("docs0001", "documents:read"),
}


def secret(prefix: str) -> str:
    return f"jxjy_{prefix}_{'s' * 43}"


@schema.auth(refresh_interval=None, retry_on=[])
class FixedTokens:
    """The token each operation needs, by its path; none for the public ones."""

    def get(self, case, context):
        return next((secret(prefix) for path, (prefix, _) in SECRETS.items() if case.path.startswith(path)), None)

    def set(self, case, data, context):
        if data:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, which would end the test's
    transaction on PostgreSQL; Django's own test client switches that off the same way."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def fixed_tokens(hr_region_user, platform, base, sysadmin_user, learner_user, settings):
    settings.JXJY_API_RATE_PER_IP = settings.JXJY_API_RATE_PER_TOKEN = "10000/m"  # 429s would hide the rest
    owners = {"hours:read": hr_region_user.organisation, "completions:import": platform, "documents:read": base}
    for prefix, scope in SECRETS.values():
        ApiToken.objects.create(organisation=owners[scope], name="schemathesis", prefix=prefix,
                                key_hash=tokens.digest(secret(prefix)), scopes=[scope],
                                expires_at=timezone.now() + dt.timedelta(days=1), created_by=sysadmin_user)  # fmt: skip


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_within_its_schema(case, fixed_tokens, keep_connection):
    # Every check but one: a schema cannot say that a 身份证号's check digit is right, that its birth date
    # exists, or that a learner is registered, so a schema-valid request may rightly be refused with a 400.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_schema_is_served_and_declares_every_endpoint(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and r["Content-Type"] == "application/vnd.oai.openapi+json"
    paths = json.loads(r.content)["paths"]
    assert set(paths) == {
        "/api/v1/certificates/verify", "/api/v1/certificates/verify/{code}", "/api/v1/certificates/verify/file",
        "/api/v1/hours/query",
        "/api/v1/completions/import", "/api/v1/documents", "/api/v1/documents/{kind}/{id}",
    }  # fmt: skip
    for operations in paths.values():
        for op in operations.values():
            assert {"401", "429", "500"} <= set(op["responses"])
            assert op["responses"]["500"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }


def test_docs_page_keeps_the_sites_csp(client):
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert page.status_code == 200 and "<style" not in html and "<script>" not in html
    csp = dict(d.strip().split(" ", 1) for d in page["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == csp["style-src"] == "'self'" and csp["default-src"] == "'self'"
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/openapi.json" in script.content.decode()
