"""Fill in and post the 申报表 the way a browser does, and take snapshots to prove nothing changed."""

import datetime as dt
import io
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from PIL import Image

from demo import factories as f
from jxjy.audit import trail as audit
from jxjy.catalog.models import Level, Specialty
from jxjy.core import clock
from jxjy.filings.models import PreFiling

from .html_helpers import Node, page

NEW_URL = reverse("filings:new")
NEW_SUBMIT_URL = reverse("filings:submit_new")  # 提交 of a new filing: the form posted to its own URL
PLAN, NOTICE, INVITATION = "继续教育培训实施方案", "继续教育培训工作通知", "继续教育培训开班邀请函"


def edit_url(filing) -> str:
    return reverse("filings:edit", args=[filing.pk])


def submit_url(filing) -> str:
    """提交 from the edit page: the same form, posted to its own URL."""
    return reverse("filings:submit", args=[filing.pk])


def post_url(filing, action: str) -> str:
    """Where the edit page's button `action` (temp / save / submit) posts the form."""
    return submit_url(filing) if action == "submit" else edit_url(filing)


# ---- file contents ----


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=fmt)
    return buffer.getvalue()


JPG = image_bytes("JPEG")
PNG = image_bytes("PNG")
PDF = f.PDF
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 120


def pdf_of_size(size: int) -> bytes:
    return PDF + b"%" * (size - len(PDF))


def required_uploads() -> dict:
    """One correctly named file for each of the three required kinds."""
    return {
        "upload_plan": f.upload(f"{PLAN}.pdf"),
        "upload_notice": f.upload(f"{NOTICE}.pdf"),
        "upload_invitation": f.upload(f"{INVITATION}.pdf"),
    }


# ---- the form as a browser sends it ----


def _inside_template(node: Node) -> bool:
    while node is not None:
        if node.tag == "template":
            return True
        node = node.parent
    return False


def form_of(response, form_id: str = "filing-form") -> dict[str, list[str]]:
    """Every value the page's form would submit (no files, no button), keyed by name."""
    forms = page(response).find_all(lambda n: n.tag == "form" and n.attrs.get("id") == form_id)
    assert len(forms) == 1, f"no form #{form_id} on the page"
    data: dict[str, list[str]] = {}
    for node in forms[0].walk():
        name = node.attrs.get("name")
        if not name or "disabled" in node.attrs or _inside_template(node):
            continue
        if node.tag == "input":
            kind = node.attrs.get("type", "text")
            if kind in ("file", "submit", "button", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and "checked" not in node.attrs:
                continue
            data.setdefault(name, []).append(node.attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif node.tag == "textarea":
            text = "".join(c for c in node.children if isinstance(c, str))
            data.setdefault(name, []).append(text[1:] if text.startswith("\n") else text)
        elif node.tag == "select":
            options = node.find_all(lambda n: n.tag == "option")
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            data.setdefault(name, []).extend(o.attrs.get("value", o.text()) for o in chosen)
    return data


def add_row(data: dict, prefix: str, **cells) -> int:
    """添加: a new row at the end of table `prefix`, as the page's script does; returns its index."""
    index = int(data[f"{prefix}-TOTAL_FORMS"][0])
    for name, value in cells.items():
        data[f"{prefix}-{index}-{name}"] = [str(value)]
    data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
    return index


def scope_value(specialty: str = "水利专业", level: str = "工程师", series: str = "工程系列") -> str:
    sp = Specialty.objects.get(series__name=series, name=specialty)
    return f"{sp.pk}:{Level.objects.get(series=sp.series, name=level).pk}"


def valid_fields(start: dt.date | None = None) -> dict[str, str]:
    start = start or clock.today() + dt.timedelta(days=30)
    return {
        "year": str(start.year),
        "fill_date": f"{clock.today():%Y-%m-%d}",
        "class_name": "2026年水利行业专业技术人员继续教育培训班",
        "start_date": f"{start:%Y-%m-%d}",
        "end_date": f"{start + dt.timedelta(days=4):%Y-%m-%d}",
        "venue": "乌鲁木齐市水磨沟区南湖路1号",
        "total_hours": "40",
        "training_form": "offline",
        "subject_kind": "professional",
        "fee_basis": "每人1200元，依据新发改收费〔2020〕1号",
        "office_phone": "0991-1234567",
        "fax": "0991-1234568",
        "email": "jd@example.cn",
        "address": "乌鲁木齐市南湖路1号",
        "postcode": "830000",
        "leader_name": "王强",
        "leader_title": "主任",
        "leader_mobile": "+86 138-9988-7766",
        "contact_name": "李敏",
        "contact_title": "干事",
        "contact_mobile": "138 9988 7755",
    }


def complete_new_form(client, *, start: dt.date | None = None) -> dict:
    """The 新增备案 page filled in completely, with rows, scope and the three required files."""
    data = form_of(client.get(NEW_URL))
    data.update(valid_fields(start))
    data["scope"] = [scope_value(), scope_value(level="高级工程师")]
    add_row(data, "courses", content="水利工程建设管理", hours="24")
    add_row(data, "courses", content="水资源规划", hours="16")
    add_row(data, "teachers", name="赵老师", education="博士", major="水利工程", title="教授", course="水资源规划")
    add_row(data, "textbooks", name="水利工程管理", edition="2024年版")
    data.update(required_uploads())
    return data


# ---- proving that nothing changed ----


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def snapshot(filing: PreFiling) -> dict:
    """Everything stored about a filing: fields, scope, rows, attachments, audit trail and files."""
    filing = PreFiling.objects.get(pk=filing.pk)
    fields = {fld.attname: getattr(filing, fld.attname) for fld in PreFiling._meta.concrete_fields}
    return {
        "fields": fields,
        "scope": list(filing.scope_items.values_list("specialty_id", "level_id")),
        "courses": list(filing.courses.values_list("id", "content", "hours")),
        "teachers": list(filing.teachers.values_list("id", "name", "education", "major", "title", "course")),
        "textbooks": list(filing.textbooks.values_list("id", "name", "edition")),
        "attachments": list(filing.attachments.values_list("id", "kind", "original_name", "file", "size")),
        "audit": list(audit.entries_for(filing).values_list("id", flat=True)),
        "files": media_files(),
    }
