"""成绩导入: every error kind is reported by row and column, and nothing is written until all is valid."""

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import NamedTuple
from xml.etree.ElementTree import ParseError

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from demo import factories as f
from jxjy.audit.models import AuditEntry
from jxjy.completions import scores, services
from jxjy.completions.models import Score
from jxjy.core.excel import DAMAGED, NOT_XLSX


@pytest.fixture
def completion(base, base_user):
    c = f.finished_class(base, base_user, learners=3)
    return services.start(actor=base_user, training_class=c, name="2026年水利培训班结业备案", year=c.years[0])


def _rows(completion):
    return [[r.name, r.learner.id_number, 90, "合格", ""] for r in scores.approved_registrations(completion)]


def _errors(completion, upload):
    with pytest.raises(scores.ImportRefused) as refused:
        scores.import_scores(completion, upload, actor=completion.created_by)
    assert not Score.objects.exists()
    return [(e.row, e.column, e.message) for e in refused.value.errors]


def test_a_valid_file_is_written_and_a_second_upload_replaces_it(completion):
    rows = _rows(completion)
    assert scores.import_scores(completion, f.score_file(rows), actor=completion.created_by) == 3
    rows[0][2], rows[0][3] = 55, "不合格"
    scores.import_scores(completion, f.score_file(rows), actor=completion.created_by)
    assert Score.objects.count() == 3
    first = Score.objects.get(registration__name=rows[0][0])
    assert (first.score, first.passed) == (55, False)


def test_a_template_filled_in_uyghur_comes_back_whatever_the_language(completion):
    """The template's headers and 合格/不合格 are its file format (Chinese in every language); a base working in
    Uyghur may type the Uyghur words for them as well."""
    rows = _rows(completion)
    scores.import_scores(completion, f.score_file(rows), actor=completion.created_by)
    with translation.override("ug"):
        wb = openpyxl.load_workbook(io.BytesIO(scores.template(completion, actor=completion.created_by)))
        values = list(wb.active.values)
        assert values[0] == tuple(scores.HEADERS) and {v[3] for v in values[1:]} == {"合格"}
        rows[0][3] = translation.gettext("不合格")
        assert rows[0][3] != "不合格"
        scores.import_scores(completion, f.score_file(rows), actor=completion.created_by)
    assert Score.objects.get(registration__name=rows[0][0]).passed is False


def test_template_lists_the_approved_learners(completion):
    wb = openpyxl.load_workbook(io.BytesIO(scores.template(completion, actor=completion.created_by)))
    values = list(wb.active.values)
    assert values[0] == tuple(scores.HEADERS)
    assert sorted(v[1] for v in values[1:]) == sorted(r[1] for r in _rows(completion))


def test_template_writes_formula_like_names_as_text(completion):
    reg = scores.approved_registrations(completion).first()
    type(reg).objects.filter(pk=reg.pk).update(name='=HYPERLINK("http://x")')
    wb = openpyxl.load_workbook(io.BytesIO(scores.template(completion, actor=completion.created_by)))
    cell = next(c for c in wb.active["A"] if str(c.value).startswith("="))
    assert cell.data_type == "s"


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (lambda r: r.__setitem__(1, "650102199001011239"), "身份证号", "不在本班审核通过的学员名单中"),
        (lambda r: r.__setitem__(1, "650102199001011238"), "身份证号", "校验位"),
        (lambda r: r.__setitem__(2, 101), "成绩", "0到100"),
        (lambda r: r.__setitem__(2, -1), "成绩", "0到100"),
        (lambda r: r.__setitem__(2, "优秀"), "成绩", "应为数字"),
        (lambda r: r.__setitem__(3, "通过"), "是否合格", "合格"),
        (lambda r: r.__setitem__(0, None), "姓名", "不能为空"),
        (lambda r: r.__setitem__(3, None), "是否合格", "不能为空"),
        (lambda r: r.__setitem__(0, "王小明"), "姓名", "姓名与身份证号不符"),
    ],
)
def test_each_row_error_is_reported_with_row_and_column(completion, change, column, message):
    rows = _rows(completion)
    change(rows[1])
    errors = _errors(completion, f.score_file(rows))
    assert any(row == 3 and col == column and message in text for row, col, text in errors), errors


def test_duplicate_row(completion):
    rows = _rows(completion)
    rows[2] = list(rows[0])
    assert any("与第2行重复" in m for _, _, m in _errors(completion, f.score_file(rows)))


def test_more_rows_than_learners(completion):
    rows = [*_rows(completion), ["多余", "650102199001011239", 80, "合格", ""]]
    assert any("超过本班审核通过的学员人数" in m for _, _, m in _errors(completion, f.score_file(rows)))


def test_every_error_is_listed_not_just_the_first(completion):
    rows = _rows(completion)
    rows[0][2] = 120
    rows[2][3] = "良好"
    errors = _errors(completion, f.score_file(rows))
    assert {(r, c) for r, c, _ in errors} == {(2, "成绩"), (4, "是否合格")}


def test_a_file_that_is_not_xlsx(completion):
    fake = SimpleUploadedFile("成绩.xlsx", b"MZ\x90\x00not a spreadsheet")
    assert "不是有效的Excel" in _errors(completion, fake)[0][2]


def test_wrong_header(completion):
    errors = _errors(completion, f.score_file(_rows(completion), headers=("名字", "证件", "分数", "结果", "备注")))
    assert "表头应为" in errors[0][2]


def test_macros_are_refused(completion):
    data = f.score_file(_rows(completion)).read()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 64)
    errors = _errors(completion, SimpleUploadedFile("成绩.xlsx", buffer.getvalue()))
    assert "宏" in errors[0][2]


def test_a_zip_bomb_is_refused_before_it_is_opened(completion):
    data = f.score_file(_rows(completion)).read()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
        dst.writestr("xl/media/padding.bin", b"\x00" * (60 * 1024 * 1024))
    errors = _errors(completion, SimpleUploadedFile("成绩.xlsx", buffer.getvalue()))
    assert "解压后过大" in errors[0][2]


def test_entity_expansion_does_not_blow_up(completion):
    """A sheet declaring entities (a "billion laughs") is refused by defusedxml, with a message."""
    data = f.score_file(_rows(completion)).read()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                doctype = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
                content = b'<?xml version="1.0"?>' + doctype + content.replace(b"<v>", b"<v>&lol2;", 1)
            dst.writestr(item.filename, content)
    errors = _errors(completion, SimpleUploadedFile("成绩.xlsx", buffer.getvalue()))
    assert "损坏或格式不正确" in errors[0][2]


def test_too_large_a_file(completion):
    big = SimpleUploadedFile("成绩.xlsx", b"0" * (5 * 1024 * 1024 + 1))
    assert "超过5MB" in _errors(completion, big)[0][2]


# ---- damaged and hostile files: refused with a message at 培训后备案 ③, nothing written -----------------
# Built here from a valid openpyxl file, one way of breaking it each (no binary file is kept in the repository).
# The same catalogue is sent to the API import (tests/api/test_import.py) and fuzzed (tests/test_fuzz.py).

SHEET = "xl/worksheets/sheet1.xml"
# Offsets of three 2-byte fields in a member's local file header and in its central directory entry.
ZIP_FIELDS = {"version": (4, 6), "flags": (6, 8), "method": (8, 10)}


def with_zip_field(data: bytes, field: str, value: int, member: str | None = None) -> bytes:
    """`data` with a header field set to `value` in both headers of every member (or of `member` only)."""
    local, central = ZIP_FIELDS[field]
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entry = archive.start_dir
        for info in archive.infolist():  # central directory order
            if member in (None, info.filename):
                struct.pack_into("<H", out, info.header_offset + local, value)
                struct.pack_into("<H", out, entry + central, value)
            entry += 46 + sum(struct.unpack_from("<3H", data, entry + 28))  # + name, extra and comment lengths
    return bytes(out)


def with_part(data: bytes, name: str, change: Callable[[bytes], bytes | None]) -> bytes:
    """`data` zipped again with part `name`'s content replaced by change(content) (dropped if None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item) if item.filename != name else change(src.read(item))
            if content is not None:
                dst.writestr(item.filename, content)
    return out.getvalue()


def with_bad_deflate(data: bytes, member: str = SHEET) -> bytes:
    """The member's deflate stream starts with a block of the invalid type 3."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        start = archive.getinfo(member).header_offset
    start += 30 + sum(struct.unpack_from("<2H", data, start + 26))  # past the header, its name and extra
    return data[:start] + b"\xff\xff\xff\xff" + data[start + 4 :]


class Damage(NamedTuple):
    stage: str  # where the readers fail: "zip" (the archive's directory), "load" (the workbook), "rows"
    raises: type[Exception]  # what they raise there, left to themselves
    message: str  # what the user is told
    build: Callable[[bytes], bytes]  # a valid file in, the damaged one out


def in_sheet(change: Callable[[bytes], bytes | None]) -> Callable[[bytes], bytes]:
    return lambda data: with_part(data, SHEET, change)


DAMAGES = {
    # "zip file version 6.4": zipfile raised NotImplementedError in check_xlsx, a 500 (found by hypothesis).
    "zip-version-6.4": Damage("zip", NotImplementedError, NOT_XLSX, lambda d: with_zip_field(d, "version", 64)),
    "truncated": Damage("zip", zipfile.BadZipFile, NOT_XLSX, lambda d: d[: len(d) // 2]),
    "compression-method": Damage("load", NotImplementedError, DAMAGED, lambda d: with_zip_field(d, "method", 6, SHEET)),
    "encrypted-member": Damage("load", RuntimeError, DAMAGED, lambda d: with_zip_field(d, "flags", 1, SHEET)),
    "corrupt-deflate": Damage("load", zlib.error, DAMAGED, with_bad_deflate),
    "sheet-relationship-missing": Damage(
        "load", KeyError, DAMAGED, lambda d: with_part(d, "xl/workbook.xml", lambda x: x.replace(b"rId1", b"rId9"))
    ),
    "sheet-part-missing": Damage("rows", IndexError, DAMAGED, in_sheet(lambda x: None)),
    "malformed-sheet-xml": Damage("rows", ParseError, DAMAGED, in_sheet(lambda x: x[: len(x) // 2])),
    # openpyxl passes a tag's attributes to its classes as keywords: an unknown one is a TypeError.
    "unknown-sheet-attribute": Damage(
        "rows", TypeError, DAMAGED, in_sheet(lambda x: x.replace(b"<outlinePr ", b'<outlinePr bogus="1" '))
    ),
}


def failure_reading(data: bytes) -> tuple[str, Exception | None]:
    """Read `data` as the import does but unguarded: the stage that failed and its exception."""
    stage = "zip"
    try:
        zipfile.ZipFile(io.BytesIO(data)).infolist()
        stage = "load"
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        stage = "rows"
        list(wb.worksheets[0].iter_rows(values_only=True))
    except Exception as e:
        return stage, e
    return "", None


def valid_xlsx(rows=(("张三", "650102199001011239", 90, "合格", ""),)) -> bytes:
    return f.score_file([list(r) for r in rows]).read()


@pytest.mark.parametrize("kind", DAMAGES)
def test_each_damaged_file_breaks_the_readers_as_described(kind):
    """The catalogue is what it says: left to themselves, zipfile or openpyxl raise that, at that stage."""
    damage = DAMAGES[kind]
    assert failure_reading(valid_xlsx()) == ("", None)
    stage, error = failure_reading(damage.build(valid_xlsx()))
    assert stage == damage.stage and isinstance(error, damage.raises), (stage, error)


@pytest.mark.parametrize("kind", DAMAGES)
def test_a_damaged_file_is_refused_at_step3_and_nothing_changes(client_for, base_user, completion, kind):
    url = reverse("completions:step3", args=[completion.pk])
    client = client_for(base_user)
    assert client.post(url, {"file": f.score_file(_rows(completion))}).status_code == 302  # scores to keep

    def written():
        return (list(Score.objects.order_by("pk").values_list("pk", "registration_id", "score", "passed")),
                AuditEntry.objects.filter(action="import_scores").count())  # fmt: skip

    before = written()
    rows = [[name, id_number, 60, "不合格", "改过"] for name, id_number, *_ in _rows(completion)]
    damaged = SimpleUploadedFile("成绩.xlsx", DAMAGES[kind].build(f.score_file(rows).read()))
    response = client.post(url, {"file": damaged})
    assert response.status_code == 200 and str(DAMAGES[kind].message) in response.content.decode()
    assert written() == before and len(before[0]) == 3
