"""The 申报表 PDF (DESIGN §4.1 生成表格 / 下载表格), read back with poppler: the text is there and
selectable, every font is embedded, and long tables run onto further pages without losing rows."""

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from demo import factories as f
from jxjy.core.pdf.sheet import Sheet
from jxjy.core.pdf.text import NO_LINE_END, NO_LINE_START, break_lines
from jxjy.filings.models import Course, PreFiling, Teacher
from jxjy.filings.pdf import render_application_form


def poppler(tool: str, *args: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (Debian package poppler-utils)")
    return subprocess.run([path, *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def render(tmp_path):
    def write(filing: PreFiling):
        path = tmp_path / f"form-{filing.pk}.pdf"
        path.write_bytes(render_application_form(filing))
        return path

    return write


def text(path, *pages: int) -> str:
    """The extracted text with white space removed: a cell's text may wrap anywhere."""
    page_args = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return re.sub(r"\s+", "", poppler("pdftotext", *page_args, str(path), "-"))


def page_count(path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", str(path)), re.M).group(1))


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_form_carries_the_filing(filing, render):
    path = render(filing)
    assert path.read_bytes().startswith(b"%PDF-")
    content = text(path)

    assert f"自治区{filing.year}年度专业技术人员继续教育培训申报表" in content
    for value in (filing.class_name, filing.base_name, filing.department_name, filing.venue, filing.fee_basis):
        assert squeeze(value) in content
    assert "工程系列>水利专业>工程师" in content
    for course in filing.courses.all():
        assert course.content in content
    for teacher in filing.teachers.all():
        assert teacher.name in content
    for book in filing.textbooks.all():
        assert book.name in content
    for attachment in filing.attachments.all():
        assert attachment.original_name in content
    for label in ("填报日期", "培训费用及核算依据", "负责人手机号", "联系人手机号", "职称(职务)", "选用版本"):
        assert label in content
    assert "继续教育基地（盖章）" in content
    assert "主管部门（盖章）" in content
    pages = page_count(path)
    assert 1 <= pages <= 3
    assert f"第{pages}页共{pages}页" in content


def test_the_form_is_chinese_whatever_language_the_base_reads(filing, render):
    """The 申报表 is the official Chinese form: generated from a Uyghur page it is the same, catalogue names too."""
    with translation.override("ug"):
        content = text(render(filing))
    assert "工程系列>水利专业>工程师" in content and "培训费用及核算依据" in content
    assert not re.search(r"[\u0600-\u06ff]", content)


def test_every_font_is_embedded(filing, render, settings):
    report = poppler("pdffonts", str(render(filing))).splitlines()
    # Columns are found from the dashes under the header: the type column contains spaces.
    spans = [m.span() for m in re.finditer(r"-+", report[1])]
    rows = [line for line in report[2:] if line.strip()]
    assert rows
    emb = report[0].split().index("emb")
    assert {line[slice(*spans[emb])].strip() for line in rows} == {"yes"}
    if "NotoSerifCJK" in settings.JXJY_PDF_FONT:  # the collection's Simplified Chinese face, not the Japanese one
        assert all("NotoSerifCJKSC" in line[slice(*spans[0])] for line in rows)


def test_lines_follow_chinese_line_breaking_rules():
    measure = Sheet(title="测试").measure(10)
    text = "（含资料费、场地费），依据新发改收费〔2020〕1号文件核算；“专家授课”。" * 6
    for width in (26, 37, 53, 84):
        lines = break_lines(text, width, measure)
        assert "".join(lines) == text
        assert all(measure(line) <= width for line in lines)
        assert not any(line[0] in NO_LINE_START for line in lines)
        assert not any(line[-1] in NO_LINE_END for line in lines)


def test_long_text_wraps_without_losing_characters(base, base_user, render):
    fee = "每人1200元（含资料费、场地费），依据新发改收费〔2020〕1号文件核算；" * 8
    filing = f.complete_filing(base, base_user, fee_basis=fee[:300], venue="乌鲁木齐市水磨沟区南湖路1号" * 3)
    # A label beside a value of several lines is read in the middle of it: leave the labels out.
    content = text(render(filing)).replace("培训费用及核算依据", "").replace("开班地点", "")
    assert squeeze(fee[:300]) in content
    assert filing.venue in content


def test_many_rows_run_onto_further_pages(base, base_user, render):
    filing = f.complete_filing(base, base_user)
    Course.objects.bulk_create(
        Course(filing=filing, content=f"专题课程第{n:02d}讲", hours=Decimal(1)) for n in range(1, 41)
    )
    Teacher.objects.bulk_create(
        Teacher(filing=filing, name=f"讲师{n:02d}号", education="硕士", major="水利", title="高级工程师", course="专题")
        for n in range(1, 41)
    )
    path = render(filing)
    pages = page_count(path)
    assert pages >= 2
    content = text(path)
    for n in range(1, 41):
        assert content.count(f"专题课程第{n:02d}讲") == 1
        assert content.count(f"讲师{n:02d}号") == 1
    assert "合计80" in content  # 24 + 16 + 40 × 1
    # Continuation pages say which form they belong to and number themselves.
    last = text(path, pages)
    assert f"第{pages}页共{pages}页" in last
    assert "申报表（续）" in last
    # A table that runs onto a new page repeats its caption and headings there.
    second = text(path, 2)
    assert "序号" in second
    assert "教学课程" in second or "师资情况" in second


def test_a_draft_with_empty_tables_still_renders(base, base_user, render):
    filing = f.complete_filing(base, base_user, year=None, fill_date=None, training_form="")
    filing.courses.all().delete()
    filing.teachers.all().delete()
    content = text(render(filing))
    assert "自治区年度专业技术人员继续教育培训申报表" in content
    assert "教学课程序号课程内容学时数无" in content


def test_a_missing_font_is_a_clear_error(filing, settings, tmp_path):
    settings.JXJY_PDF_FONT = str(tmp_path / "no-such-font.ttc")
    with pytest.raises(ImproperlyConfigured, match="JXJY_PDF_FONT"):
        render_application_form(filing)
