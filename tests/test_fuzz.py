"""Fuzzing the two places that take arbitrary input from people: the 身份证号 validator and the xlsx score
import. Whatever comes in, the answer is the value or a clean Chinese validation error — never another
exception (which a view would turn into a 500)."""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from demo import factories as f
from jxjy.completions import scores
from jxjy.completions import services as completions
from jxjy.core.identity import id_check_char, normalize_id_number, normalize_mobile

from .hypothesis_profiles import profile_name
from .test_score_import import ZIP_FIELDS, with_zip_field

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Randomness and the example database come from the profile (tests/hypothesis_profiles.py): "ci" replays.
FUZZ = settings(max_examples=150, deadline=None)
FUZZ_DB = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_the_hypothesis_profile_follows_the_environment():
    assert profile_name({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}) == "ci"
    assert profile_name({"HYPOTHESIS_PROFILE": "ci"}) == "ci"
    assert profile_name({}) == profile_name({"CI": "false", "HYPOTHESIS_PROFILE": ""}) == "dev"
    assert settings.default.derandomize is (profile_name() == "ci")  # loaded, and not overridden below
    assert FUZZ.derandomize is FUZZ_DB.derandomize is settings.default.derandomize
    assert FUZZ.database == FUZZ_DB.database == settings.default.database


def assert_clean_refusal(error: ValidationError) -> None:
    assert error.messages and all(CHINESE.search(m) for m in error.messages), error.messages


# ---- 身份证号 ----


@FUZZ
@given(st.text(max_size=40))
def test_any_text_is_a_valid_id_or_a_chinese_refusal(text):
    try:
        value = normalize_id_number(text)
    except ValidationError as e:
        assert_clean_refusal(e)
    else:
        assert re.fullmatch(r"\d{17}[\dX]", value) and id_check_char(value[:17]) == value[17]


# Texts near the format: 18 characters of digits and x/X, the way a mistyped number looks.
near_ids = st.text(alphabet="0123456789xX０１２３４５６７８９ｘＸ -", min_size=15, max_size=20)


@FUZZ
@given(near_ids)
def test_near_misses_are_refused_in_chinese_or_accepted_correctly(text):
    test_any_text_is_a_valid_id_or_a_chinese_refusal.hypothesis.inner_test(text)


@FUZZ
@given(
    area=st.integers(110000, 659999),
    born=st.dates(dt.date(1900, 1, 1), dt.date.today()),
    seq=st.integers(0, 999),
    lower=st.booleans(),
)
def test_every_real_id_is_accepted_and_normalised(area, born, seq, lower):
    first17 = f"{area}{born:%Y%m%d}{seq:03d}"
    number = first17 + id_check_char(first17)
    typed = number.lower() if lower else number
    assert normalize_id_number(f" {typed} ") == number


@FUZZ
@given(st.text(max_size=30))
def test_any_text_is_a_mobile_or_a_chinese_refusal(text):
    try:
        value = normalize_mobile(text)
    except ValidationError as e:
        assert_clean_refusal(e)
    else:
        assert re.fullmatch(r"1[3-9]\d{9}", value)


# ---- xlsx score import ----

DAMAGED = "Excel文件已损坏"

cell_values = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(["合格", "不合格", "NaN", "sNaN", "Infinity", "-0", "1e5", "90.55", "=1+1", "650102199001011239"]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2100, 1, 1)),
)
HEADERS = list(scores.HEADERS)


@pytest.fixture
def completion(base, base_user):
    c = f.finished_class(base, base_user, learners=2)
    return completions.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])


def xlsx(rows) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("成绩.xlsx", out.getvalue())


def frozen(data: bytes) -> bytes:
    """The workbook with fixed dates (in the zip headers and docProps/core.xml): the same bytes on every run,
    so that the byte positions hypothesis draws hit the same places, and a "ci" run or a failure replays."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", content)
            fixed = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            dst.writestr(fixed, content, compress_type=item.compress_type)
    return out.getvalue()


def parse_outcome(completion, upload):
    try:
        return scores.parse(completion, upload), None
    except scores.ImportRefused as refused:
        assert refused.errors and all(CHINESE.search(e.message) for e in refused.errors)
        return None, refused.errors


@FUZZ_DB
@given(rows=st.lists(st.lists(cell_values, max_size=7), max_size=6), with_header=st.booleans())
def test_any_sheet_is_imported_or_refused_row_by_row(completion, rows, with_header):
    upload = xlsx(([HEADERS] if with_header else []) + rows)
    _, errors = parse_outcome(completion, upload)
    if errors:  # a well-formed workbook is never called damaged: each problem is named where it is
        assert not any(DAMAGED in e.message for e in errors), errors


@FUZZ_DB
@given(data=st.data())
def test_the_template_with_any_cell_changed_is_handled(completion, data):
    rows = [[r.name, r.learner.id_number, 90, "合格", ""] for r in scores.approved_registrations(completion)]
    row = data.draw(st.integers(0, len(rows) - 1))
    col = data.draw(st.integers(0, len(HEADERS) - 1))
    rows[row][col] = data.draw(cell_values)
    parsed, errors = parse_outcome(completion, xlsx([HEADERS, *rows]))
    assert parsed is not None or not any(DAMAGED in e.message for e in errors)


@FUZZ_DB
@given(data=st.data())
def test_damaged_files_are_refused_in_chinese(completion, data):
    rows = [[r.name, r.learner.id_number, 90, "合格", ""] for r in scores.approved_registrations(completion)]
    content = bytearray(frozen(xlsx([HEADERS, *rows]).read()))
    for _ in range(data.draw(st.integers(1, 8))):
        # Positions drawn from a fixed range, not from the file's length: an example stays valid if it changes.
        content[data.draw(st.integers(0, 10**6)) % len(content)] = data.draw(st.integers(0, 255))
    parse_outcome(completion, SimpleUploadedFile("成绩.xlsx", bytes(content)))


PARTS = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
         "xl/worksheets/sheet1.xml", "xl/styles.xml", "docProps/core.xml"]  # fmt: skip


@FUZZ_DB
@given(
    field=st.sampled_from(sorted(ZIP_FIELDS)),
    value=st.integers(0, 0xFFFF),
    member=st.one_of(st.none(), st.sampled_from(PARTS)),
)
@example(field="version", value=64, member=None)  # "zip file version 6.4": zipfile's NotImplementedError was a 500
@example(field="method", value=99, member="xl/worksheets/sheet1.xml")  # 99: AES, which zipfile cannot read
@example(field="flags", value=1, member="xl/workbook.xml")  # encrypted
def test_any_zip_header_field_is_read_or_refused_in_chinese(completion, field, value, member):
    """The version needed, flags and compression method of the members' headers, set to anything."""
    rows = [[r.name, r.learner.id_number, 90, "合格", ""] for r in scores.approved_registrations(completion)]
    content = with_zip_field(frozen(xlsx([HEADERS, *rows]).read()), field, value, member)
    parse_outcome(completion, SimpleUploadedFile("成绩.xlsx", content))


@FUZZ_DB
@given(st.binary(max_size=2000))
def test_any_bytes_are_refused_in_chinese(completion, content):
    assume(not zipfile.is_zipfile(io.BytesIO(content)))
    parsed, _ = parse_outcome(completion, SimpleUploadedFile("成绩.xlsx", content))
    assert parsed is None


def test_the_import_page_answers_a_bad_file_with_its_errors(client_for, base_user, completion):
    url = reverse("completions:step3", args=[completion.pk])
    rows = [[r.name, r.learner.id_number, "NaN", "合格", ""] for r in scores.approved_registrations(completion)]
    response = client_for(base_user).post(url, {"file": xlsx([HEADERS, *rows])})
    assert response.status_code == 200 and "成绩应为数字" in response.content.decode()
