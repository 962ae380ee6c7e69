"""Excel exports: a cell that starts with = + - @ (or their full-width forms) is text, never a formula,
in every export — statistics, the audit log, the score template — because all of them leave through
`workbook_bytes`, which makes every cell safe."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from demo import factories as f
from jxjy.audit import trail as audit
from jxjy.catalog.models import Series
from jxjy.completions import scores
from jxjy.completions import services as completion_services
from jxjy.core.excel import FORMULA_STARTS, workbook_bytes

from .job_helpers import job_file
from .test_stats import region, year  # noqa: F401 - the fixtures

DANGEROUS = [f'{start}HYPERLINK("http://x","点我")' for start in FORMULA_STARTS]


def formula_safe(cell) -> bool:
    return cell.data_type == "s" and cell.quotePrefix


def load(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_every_workbook_leaves_through_workbook_bytes():
    """A new export that saved its workbook itself would go around the escaping."""
    root = Path(settings.BASE_DIR) / "jxjy"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "excel.py" or path.name == "demo.py" or "openpyxl" not in text:
            continue  # demo.py builds score files to import, not exports
        assert not re.search(r"\.save\(", text) or "workbook_bytes(" in text, path
        if "Workbook(" in text:
            assert "workbook_bytes(" in text, f"{path} builds a workbook without workbook_bytes"


def test_workbook_bytes_makes_every_dangerous_cell_text():
    wb = openpyxl.Workbook()
    wb.active.append([*DANGEROUS, -5, 3.5, "普通文字", "a=b"])
    row = next(load(workbook_bytes(wb)).active.iter_rows())
    assert [c.value for c in row[: len(DANGEROUS)]] == DANGEROUS
    assert all(formula_safe(c) for c in row[: len(DANGEROUS)])
    assert [c.value for c in row[len(DANGEROUS) :]] == [-5, 3.5, "普通文字", "a=b"]
    assert not any(c.quotePrefix for c in row[len(DANGEROUS) :])


@pytest.mark.date_sweep("new-year", "ordinary")  # on 1 January the region's classes are last year's
def test_statistics_export(client_for, region, year, hr_region_user):  # noqa: F811
    for series, name in zip(Series.objects.all(), DANGEROUS * 20, strict=False):
        Series.objects.filter(pk=series.pk).update(name=f"{name}{series.pk}")
    client = client_for(hr_region_user)
    wb = load(job_file(client, client.post(reverse("stats:export") + f"?year={year}")))
    labels = [row[0] for row in wb["按系列(学员报名专业)"].iter_rows(min_row=2)]
    assert labels and all(c.value.startswith(FORMULA_STARTS) and formula_safe(c) for c in labels)


@pytest.mark.parametrize("opinion", DANGEROUS)
def test_audit_log_export(client_for, auditor_user, base_user, opinion):
    audit.record(actor=base_user, action="退回", opinion=opinion, detail={})
    client = client_for(auditor_user)
    wb = load(job_file(client, client.post(reverse("core:audit_export") + "?action=退回")))
    (row,) = wb.active.iter_rows(min_row=2)
    cell = row[11]
    assert cell.value == opinion and formula_safe(cell)


def test_score_template(base, base_user):
    c = f.finished_class(base, base_user, learners=len(DANGEROUS))
    completion = completion_services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    regs = list(scores.approved_registrations(completion))
    for reg, name in zip(regs, DANGEROUS, strict=True):
        type(reg).objects.filter(pk=reg.pk).update(name=name)
    wb = load(scores.template(completion, actor=base_user))
    names = [row[0] for row in wb.active.iter_rows(min_row=2)]
    assert sorted(c.value for c in names) == sorted(DANGEROUS)
    assert all(formula_safe(c) for c in names)
