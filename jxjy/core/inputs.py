"""Integers and JSON from the outside, bounded before they reach a query or a parser.

A number read from the address or a form (?class=, ?page=, ?year=, the ids of a batch) is an ASCII integer
within its bounds, else `BadInput`, which the site answers with 400 and the Chinese message
(`BadInputMiddleware`): 99999999999999999999 never reaches the database (SQLite cannot even take it).
A JSON body is read only up to a size and nested only so deep (`load_json`): a body nested 100,000 deep
is refused before the parser recurses into it.

    class_id = bounded_int(request.GET, "class")                      # None when absent or empty
    year = bounded_int(request.GET, "year", low=2000, high=2100, default=this_year)
    ids = bounded_ints(request.POST, "ids")
    payload = load_json(request.body, max_bytes=64 * 1024)
"""

import json
import re

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .error_views import back_url

# The largest id a row can have (a bigint); page numbers nobody reaches; the years the system deals in.
MAX_ID = 2**63 - 1
MAX_PAGE = 100_000
YEARS = (2000, 2100)
# How many ids one request may name (a page of 50 rows with room to spare).
MAX_IDS = 1000
JSON_MAX_BYTES = 1024 * 1024
JSON_MAX_DEPTH = 32

# ASCII digits only: int() would also take "１２" and "٣"; 19 digits hold every bigint.
_INTEGER = re.compile(r"-?[0-9]{1,19}", re.ASCII)
# What may name a parameter in a message: its label where the pages have one.
LABELS = {
    "class": gettext_lazy("培训班"),
    "page": gettext_lazy("页码"),
    "year": gettext_lazy("年度"),
    "pre_filing": gettext_lazy("备案"),
    "specialty": gettext_lazy("专业"),
    "level": gettext_lazy("级别"),
    "ids": gettext_lazy("所选记录"),
    "remove_attachment": gettext_lazy("要删除的附件"),
}
NOT_JSON = gettext_lazy("提交的内容不是有效的 JSON。")


class BadInput(BadRequest):
    """An input outside its bounds; `message` says so in Chinese. Answered 400 (BadInputMiddleware)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _refusal(name: str, low: int, high: int, label: str | None) -> BadInput:
    label = label or LABELS.get(name, name)
    if high == MAX_ID and low >= 0:
        return BadInput(
            (_("参数“%(label)s”无效：应为正整数编号。请从页面上的链接或菜单进入。") % {"label": label}), field=name
        )
    return BadInput(
        (_("参数“%(label)s”无效：应为%(low)s至%(high)s之间的整数。") % {"label": label, "low": low, "high": high}),
        field=name,
    )


def parse_int(raw, *, name: str, low: int = 1, high: int = MAX_ID, label: str | None = None) -> int:
    """`raw` as an integer within [low, high], else BadInput."""
    text = str(raw).strip()
    if not _INTEGER.fullmatch(text) or not low <= int(text) <= high:
        raise _refusal(name, low, high, label)
    return int(text)


def bounded_int(params, name: str, *, default=None, low: int = 1, high: int = MAX_ID, label: str | None = None):
    """The integer `params[name]` (a QueryDict or dict), `default` when absent or empty, else BadInput."""
    raw = params.get(name)
    if raw is None or str(raw).strip() == "":
        return default
    return parse_int(raw, name=name, low=low, high=high, label=label)


def bounded_ints(params, name: str, *, low: int = 1, high: int = MAX_ID, limit: int = MAX_IDS) -> list[int]:
    """Every value of `name` (QueryDict.getlist) as an integer; empty ones are skipped; BadInput otherwise."""
    values = [v for v in params.getlist(name) if str(v).strip()]
    if len(values) > limit:
        raise BadInput((_("一次最多选择%(limit)s项，请分批操作。") % {"limit": limit}), field=name)
    return [parse_int(v, name=name, low=low, high=high) for v in values]


def is_id(value) -> bool:
    text = str(value).strip()
    return bool(_INTEGER.fullmatch(text)) and 1 <= int(text) <= MAX_ID


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, its values checked to be ids before the query: `pk__in` with
    99999999999999999999 fails in SQLite instead of matching nothing."""

    def _check_values(self, value):
        for pk in value:
            if not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


# ---- JSON ----

# A string (skipped whole, brackets inside it do not count) or a bracket.
_OPENING, _CLOSING = {"[", "{"}, {"]", "}"}
_JSON_TOKENS = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]', re.DOTALL)


def json_depth_over(text: str, limit: int) -> bool:
    """Whether `text` nests arrays and objects more than `limit` deep (read without recursion)."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        bracket = match.group()
        if bracket in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif bracket in _CLOSING:
            depth -= 1
    return False


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


def load_json(body: bytes | str, *, max_bytes: int = JSON_MAX_BYTES, max_depth: int = JSON_MAX_DEPTH):
    """The JSON value of `body` (UTF-8), or BadInput: too large, too deep, or not JSON (NaN included)."""
    if len(body) > max_bytes:
        raise BadInput(_("提交的内容超过%(max)sKB，无法处理。") % {"max": max(1, max_bytes // 1024)})
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise BadInput(NOT_JSON) from None
    if json_depth_over(text, max_depth):
        raise BadInput(_("提交的 JSON 嵌套超过%(max_depth)s层，无法处理。") % {"max_depth": max_depth})
    try:
        return json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        raise BadInput(NOT_JSON) from None


# ---- the answer ----


def wants_json(request) -> bool:
    return request.content_type == "application/json" or "application/json" in request.headers.get("Accept", "")


class BadInputMiddleware:
    """A view's BadInput answered 400: the site's error page with the message, or JSON to a script."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BadInput):
            return None
        if wants_json(request):
            return JsonResponse({"ok": False, "error": exception.message}, status=400)
        context = {"message": exception.message, "back": back_url(request)}
        return HttpResponse(loader.render_to_string("errors/bad_input.html", context, request), status=400)
