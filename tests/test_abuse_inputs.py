"""Integers and JSON from the outside are bounded (jxjy/core/inputs.py): a number too large for the database, or
a JSON body nested 100,000 deep, is answered 400 in Chinese (or with nothing found), never 500."""

import json
import re

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import Organisation
from jxjy.core import inputs
from jxjy.core.inputs import BadInput, bounded_int, bounded_ints, load_json
from jxjy.trainings.models import TrainingClass

from .api.conftest import new_token
from .html_helpers import alerts, errors_next_to
from .prefiling_helpers import edit_url, form_of, snapshot
from .test_url_matrix import URLS, client_as, url_for
from .url_matrix_world import build_world

HUGE = "99999999999999999999"
DEEP = "[" * 100_000 + "]" * 100_000
NOT_AN_ID = "无效：应为正整数编号"
# The integer query parameters the pages read.
QUERY_INTEGERS = ("class", "page", "year", "pre_filing", "specialty", "level", "ids")


def bad_request_message(response) -> str:
    assert response.status_code == 400, response.status_code
    (message,) = alerts(response)
    return message


# ---- the pages ----


@pytest.mark.parametrize(
    "name, url, who",
    [
        ("class", "trainings:registration_review", "base_user"),
        ("class", "completions:new", "base_user"),
        ("pre_filing", "trainings:class_new", "base_user"),
        ("specialty", "trainings:register_classes", "learner_user"),
    ],
)
def test_a_huge_id_in_the_address_is_400_in_chinese(request, client_for, name, url, who):
    response = client_for(request.getfixturevalue(who)).get(f"{reverse(url)}?{name}={HUGE}")
    assert NOT_AN_ID in bad_request_message(response)


@pytest.mark.parametrize("value", [HUGE, "abc", "１２", "12.5", "-3", "1e3"])
def test_class_must_be_a_plain_positive_integer(client_for, base_user, value):
    response = client_for(base_user).get(reverse("trainings:registration_review"), {"class": value})
    assert bad_request_message(response) == "参数“培训班”无效：应为正整数编号。请从页面上的链接或菜单进入。"


def test_a_year_outside_the_systems_years_is_400(client_for, hr_region_user, base_user):
    client = client_for(hr_region_user)
    for url in (reverse("review:waiting", args=["prefiling"]), reverse("stats:index")):
        assert bad_request_message(client.get(url, {"year": HUGE})) == "参数“年度”无效：应为2000至2100之间的整数。"
    assert client.get(reverse("stats:index"), {"year": "2026"}).status_code == 200
    listing = client_for(base_user).get(reverse("certificates:list", args=["professional"]), {"year": "1"})
    assert "年度" in bad_request_message(listing)


def test_a_huge_page_number_is_400(client_for, base_user):
    response = client_for(base_user).get(reverse("trainings:registration_review"), {"page": HUGE})
    assert bad_request_message(response) == "参数“页码”无效：应为1至100000之间的整数。"
    assert client_for(base_user).get(reverse("trainings:registration_review"), {"page": "2"}).status_code == 200


def test_huge_ids_in_a_batch_are_400_and_change_nothing(client_for, base_user):
    response = client_for(base_user).post(reverse("trainings:registration_batch_approve"), {"ids": ["1", HUGE]})
    assert NOT_AN_ID in bad_request_message(response)


def test_a_huge_attachment_to_remove_is_400_and_changes_nothing(client_for, base_user, filing):
    client, before = client_for(base_user), snapshot(filing)
    data = form_of(client.get(edit_url(filing)))
    data.update(remove_attachment=[HUGE], action="temp")
    assert NOT_AN_ID in bad_request_message(client.post(edit_url(filing), data))
    assert snapshot(filing) == before


@pytest.fixture
def world(base, base_user, department_user, hr_region_user, learner_user, sysadmin_user):
    cache.clear()
    return build_world(
        base=base, base_user=base_user, department_user=department_user, hr_region_user=hr_region_user,
        learner_user=learner_user, sysadmin_user=sysadmin_user,
    )  # fmt: skip


def huge_url(route: str, world) -> str:
    """The route's URL with every integer in its path made huge."""
    url = url_for(route, world)
    if "<int:" not in route:
        return url
    values = iter(re.findall(r"[^/]+", url))
    parts = []
    for part in re.split(r"(<[^>]+>)", route):
        if part.startswith("<"):
            value = next(values)
            parts.append(HUGE if part.startswith("<int:") else value)
        else:
            parts.append(part)
            for _ in re.findall(r"[^/]+", part):
                next(values)
    return "/" + "".join(parts)


@pytest.mark.parametrize("role", ["anonymous", "base", "department", "hr_region", "learner", "sysadmin", "auditor"])
def test_no_page_answers_500_to_a_huge_integer(request, world, role, auditor_user):
    """Every URL of the project, as each role: its integers in the path made huge, and every integer parameter."""
    client = client_as(request, role, raise_request_exception=False)
    query = "&".join(f"{name}={HUGE}" for name in QUERY_INTEGERS)
    failed = []
    for route in URLS:
        if route.startswith("admin/"):
            continue
        for url in {huge_url(route, world), f"{url_for(route, world)}?{query}"}:
            status = client.get(url).status_code
            if status >= 500:
                failed.append(f"{url}: {status}")
    assert failed == [], "\n".join(failed)


# ---- JSON bodies ----


def test_a_deep_json_body_to_autosave_is_400_in_chinese(client_for, base_user):
    response = client_for(base_user).post(reverse("core:autosave"), DEEP, content_type="application/json")
    assert response.status_code == 400 and response.json() == {"ok": False, "error": "自动保存的数据格式不正确。"}


@pytest.fixture
def importer(db, sysadmin_user):
    platform = Organisation.objects.create(name="在线学习平台", kind=Organisation.Kind.PLATFORM)
    return Client(headers={"Authorization": f"Bearer {new_token(platform, ['completions:import'], sysadmin_user)}"})


IMPORT = "/api/v1/completions/import"


def test_a_deep_json_body_to_the_api_is_400_in_chinese(importer):
    response = importer.post(IMPORT, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "parse_error", "message": "请求内容不是有效的 JSON。"}


def test_a_json_body_over_two_megabytes_to_the_api_is_400(importer):
    body = json.dumps({"records": [{"course": "课" * 1000}] * 800}, ensure_ascii=False)
    assert len(body.encode()) > 2 * 1024 * 1024
    response = importer.post(IMPORT, body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_the_api_still_reads_an_ordinary_body(importer):
    response = importer.post(IMPORT, {"records": []}, content_type="application/json")
    assert response.status_code == 400 and "records" in response.json()["errors"]  # read, then refused as empty


# ---- the helper itself ----


def test_bounded_int_reads_plain_integers_within_bounds():
    params = {"a": " 12 ", "b": "", "c": "2100", "d": "0"}
    assert bounded_int(params, "a") == 12 and bounded_int(params, "b", default=7) == 7
    assert bounded_int(params, "missing") is None and bounded_int(params, "c", low=2000, high=2100) == 2100
    with pytest.raises(BadInput) as refused:
        bounded_int(params, "d")
    assert refused.value.field == "d" and "正整数编号" in refused.value.message
    with pytest.raises(BadInput):
        bounded_int({"x": str(inputs.MAX_ID + 1)}, "x")
    assert bounded_int({"x": str(inputs.MAX_ID)}, "x") == inputs.MAX_ID


def test_bounded_ints_bounds_each_value_and_their_number():
    assert bounded_ints(QueryDict("ids=1&ids=&ids=3"), "ids") == [1, 3]
    with pytest.raises(BadInput):
        bounded_ints(QueryDict(f"ids=1&ids={HUGE}"), "ids")
    with pytest.raises(BadInput) as refused:
        bounded_ints(QueryDict("&".join(["ids=1"] * 3)), "ids", limit=2)
    assert refused.value.message == "一次最多选择2项，请分批操作。"


@pytest.mark.parametrize(
    "body, message",
    [
        (DEEP, "提交的 JSON 嵌套超过32层，无法处理。"),
        ('{"a": NaN}', "提交的内容不是有效的 JSON。"),
        (b"\xff\xfe", "提交的内容不是有效的 JSON。"),
        ("x" * 2000, "提交的内容超过1KB，无法处理。"),
    ],
)
def test_load_json_refuses_deep_large_and_malformed_bodies(body, message):
    with pytest.raises(BadInput) as refused:
        load_json(body, max_bytes=1024 if len(body) == 2000 else inputs.JSON_MAX_BYTES)
    assert refused.value.message == message


def test_load_json_counts_only_real_nesting():
    shallow = json.dumps({"text": "[[[[{{{{" * 100, "list": [[1, 2], {"b": "]]"}]})
    assert load_json(shallow)["list"] == [[1, 2], {"b": "]]"}]
    assert load_json("[" * 32 + "]" * 32) and not inputs.json_depth_over('"\\"[[["', 1)


def test_a_script_gets_the_400_as_json(client_for, base_user):
    client = client_for(base_user)
    response = client.get(reverse("trainings:registration_review"), {"class": HUGE}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and NOT_AN_ID in response.json()["error"]


def test_a_huge_id_in_a_form_is_refused_next_to_its_field(client_for, base, base_user):
    approved = f.approved_filing(base, base_user)
    data = {"pre_filing": approved.pk, "scope_items": [approved.scope_items.first().pk, HUGE]}
    response = client_for(base_user).post(reverse("trainings:class_new"), data)
    assert response.status_code == 200 and not TrainingClass.objects.exists()
    assert errors_next_to(response, "scope_items") == [f"“{HUGE}”不是一个有效的值"]
