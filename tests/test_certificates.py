"""电子证书: issued on approval for those marked 合格, idempotently; verifiable by anyone; revocable."""

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from demo import factories as f
from jxjy.audit.models import AuditEntry
from jxjy.certificates import services as cert_services
from jxjy.certificates import signing
from jxjy.certificates.models import Certificate, CertificateKind, CertificateSequence, CertificateStatus
from jxjy.completions import scores, services
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.hours.models import Credit
from jxjy.review import engine
from jxjy.trainings.models import Registration

from .job_helpers import job_file


def submitted_completion(base, base_user):
    c = f.finished_class(base, base_user, learners=3)
    completion = services.start(actor=base_user, training_class=c, name="水利培训班结业备案", year=c.years[0])
    rows = [[r.name, r.learner.id_number, 90, "合格", ""] for r in scores.approved_registrations(completion)]
    rows[-1][2:4] = [30, "不合格"]
    scores.import_scores(completion, f.score_file(rows), actor=base_user)
    services.save_details(completion, actor=base_user, summary="按计划完成。")
    for kind in services.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, base_user, kind)
    engine.perform(completion, "submit", actor=base_user)
    return completion


@pytest.fixture
def approved_completion(base, base_user, hr_region_user):
    completion = submitted_completion(base, base_user)
    engine.perform(completion, "approve", actor=hr_region_user)
    return completion


@pytest.mark.date_sweep
def test_approval_issues_a_certificate_per_passed_learner(approved_completion, hr_region_user):
    certs = Certificate.objects.order_by("number")
    assert certs.count() == 2
    year = approved_completion.training_class.years[0]  # the class's 年度 (last year's, early in January)
    assert [c.number for c in certs] == [f"{year}-ZY-000001", f"{year}-ZY-000002"]
    assert {(c.year, c.issued_on, c.credit.year, c.credit.credited_on) for c in certs} == {
        (year, clock.today(), year, clock.today())
    }
    assert all(c.issuer == hr_region_user.organisation and c.kind == "professional" for c in certs)
    assert len({c.code for c in certs}) == 2 and all(len(c.code) >= 16 for c in certs)
    assert Credit.objects.filter(is_void=False).count() == 2


def facts(key: str, learner, year: int, kind: str = CertificateKind.PROFESSIONAL) -> cert_services.Facts:
    issuer = f.hr_region()
    return cert_services.Facts(source_key=key, learner=learner, kind=kind, year=year, hours=Decimal(8),
                               class_name="培训班", base=None, base_name="基地", scope="", issuer=issuer,
                               source_label="培训后备案")  # fmt: skip


@pytest.mark.date_sweep
def test_numbers_run_per_year_and_kind(db):
    """2028-ZY-000001 …: each (年度, kind) has its own counter, reserved in one step for a batch."""
    this, learner = clock.this_year(), f.learner(950)
    first = cert_services.issue_many(
        [
            facts("a", learner, this),
            facts("b", learner, this - 1),
            facts("c", learner, this, CertificateKind.PUBLIC),
            facts("d", learner, this),
        ]
    )
    later = cert_services.issue_many([facts("e", learner, this), facts("f", learner, this - 1)])
    assert [c.number for c in first + later] == [
        f"{this}-ZY-000001", f"{this - 1}-ZY-000001", f"{this}-GX-000001", f"{this}-ZY-000002",
        f"{this}-ZY-000003", f"{this - 1}-ZY-000002",
    ]  # fmt: skip
    assert set(CertificateSequence.objects.values_list("year", "kind", "last")) == {
        (this, "professional", 3), (this - 1, "professional", 2), (this, "public", 1),
    }  # fmt: skip


def one_day_class(base, user, day: dt.date, n: int):
    """A class held on `day` alone (its 年度 is that day's year), with one approved learner."""
    c = f.published_class(f.approved_filing(base, user, start_date=day, end_date=day), user)
    specialty_id, level_id = f.scope_of(c)
    person = f.learner(n)
    Registration.objects.create(learner=person, training_class=c, specialty_id=specialty_id, level_id=level_id,
                                status="approved", submitted_at=clock.now(), name=person.name, work_unit="单位",
                                current_title="工程师", year=c.years[0])  # fmt: skip
    return c


def complete_and_approve(c, base_user, hr_user):
    """培训后备案 of a class with one approved learner, who passed: imported, submitted and approved."""
    completion = services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    reg = scores.approved_registrations(completion).get()
    scores.import_scores(completion, f.score_file([[reg.name, reg.learner.id_number, 90, "合格", ""]]),
                         actor=base_user)  # fmt: skip
    services.save_details(completion, actor=base_user, summary="完成。")
    for kind in services.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, base_user, kind)
    engine.perform(completion, "submit", actor=base_user)
    engine.perform(completion, "approve", actor=hr_user)
    return reg


@pytest.mark.now("2028-01-01 00:20")
def test_a_certificate_issued_at_0020_on_1_january_is_dated_in_the_new_year(client_for, base, base_user,
                                                                           hr_region_user):  # fmt: skip
    """At 00:20 in Ürümqi it is still 31 December 2027 in UTC: the certificate, its ledger line and its PDF say
    1 January 2028. A class held today is numbered in 2028; one held yesterday keeps 2027's numbers."""
    new_year = dt.date(2028, 1, 1)
    issued = []
    for n, day in enumerate((new_year, new_year - dt.timedelta(days=1))):
        reg = complete_and_approve(one_day_class(base, base_user, day, 951 + n), base_user, hr_region_user)
        issued.append(Certificate.objects.get(registration=reg))
    assert [(c.number, c.year, c.issued_on, c.credit.credited_on) for c in issued] == [
        ("2028-ZY-000001", 2028, new_year, new_year), ("2027-ZY-000001", 2027, new_year, new_year),
    ]  # fmt: skip
    if shutil.which("pdftotext"):
        cert = issued[0]
        pdf = client_for(cert.learner.user).get(reverse("certificates:pdf", args=[cert.pk])).content
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "2028年01月01日" in text and "2028-ZY-000001" in text and "2028年度" in text


def test_issuing_again_never_makes_a_second_certificate(approved_completion):
    cert_services.issue_for_completion(approved_completion)
    cert_services.issue_for_completion(approved_completion)
    assert Certificate.objects.count() == 2 and Credit.objects.count() == 2


def test_public_class_gives_public_certificates(base, base_user, hr_region_user):
    complete_and_approve(f.finished_class(base, base_user, learners=1, subject="public"), base_user, hr_region_user)
    cert = Certificate.objects.get()
    assert cert.kind == "public" and "-GX-" in cert.number and cert.credit.subject_kind == "public"


def test_revocation_keeps_number_and_page_and_voids_the_hours(client, client_for, approved_completion, hr_region_user):
    cert = Certificate.objects.first()
    response = client_for(hr_region_user).post(reverse("certificates:revoke", args=[cert.pk]), {"reason": ""},
                                                follow=True)  # fmt: skip
    assert "请填写撤销原因" in response.content.decode()
    client_for(hr_region_user).post(reverse("certificates:revoke", args=[cert.pk]), {"reason": "成绩造假"})
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED and cert.number
    assert Credit.objects.get(certificate=cert).is_void
    client.logout()
    page = client.get(reverse("certificates:verify_code", args=[cert.code])).content.decode()
    assert "证书已撤销" in page and "成绩造假" in page


def test_reissue_gives_a_new_signed_certificate_with_the_current_name_and_revokes_the_old(
    client_for, approved_completion, hr_region_user, django_capture_on_commit_callbacks
):
    old = Certificate.objects.first()
    learner = old.learner
    learner.name = "张三丰"  # the correction that prompts a 换发
    learner.save()
    hr = client_for(hr_region_user)
    answer = hr.post(reverse("certificates:reissue", args=[old.pk]), {"reason": ""}, follow=True).content.decode()
    assert (
        "请填写换发原因" in answer
        and Certificate.objects.count() == approved_completion.scores.filter(passed=True).count()
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer = hr.post(reverse("certificates:reissue", args=[old.pk]), {"reason": "姓名有误"}, follow=True)
    old.refresh_from_db()
    new = old.replaced_by
    assert f"证书 {old.number} 已换发为 {new.number}" in answer.content.decode()
    assert old.status == CertificateStatus.REVOKED and old.revoked_reason == "换发：姓名有误"
    assert (new.holder_name, new.hours, new.year, new.class_name) == ("张三丰", old.hours, old.year, old.class_name)
    assert new.number != old.number and new.code != old.code and new.is_valid
    # The hours move to the new certificate: counted once.
    assert list(
        Credit.objects.filter(learner=learner, year=old.year, is_void=False).values_list("certificate", flat=True)
    ) == [new.pk]
    # The new one was signed and stored when it was issued, and carries the corrected name.
    new.refresh_from_db()
    assert signing.verify(new.pdf.read()).keywords == signing.document_keywords("certificate", new.code)
    download = client_for(learner.user).get(reverse("certificates:pdf", args=[new.pk])).content
    assert signing.verify(download).valid
    text = subprocess.run(["pdftotext", "-", "-"], input=download, capture_output=True, check=True).stdout.decode()
    assert "张三丰" in text and new.number in text
    with pytest.raises(DomainError, match="该证书已撤销"):
        cert_services.reissue(old, actor=hr_region_user, reason="再次")
    assert AuditEntry.objects.filter(action="reissue_certificate", object_id=str(old.pk)).exists()


def test_only_the_issuer_reissues(client_for, approved_completion, base_user, hr_prefecture_user):
    cert = Certificate.objects.first()
    for user in (base_user, hr_prefecture_user):
        client_for(user).post(reverse("certificates:reissue", args=[cert.pk]), {"reason": "x"})
    cert.refresh_from_db()
    assert cert.is_valid and cert.replaced_by is None


def test_a_certificate_is_signed_and_stored_when_issued(
    base, base_user, hr_region_user, django_capture_on_commit_callbacks
):
    """Issuing queues the signing once the approval commits; the worker (immediate in the tests) stores
    each signed file."""
    completion = submitted_completion(base, base_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        engine.perform(completion, "approve", actor=hr_region_user)
        assert not Certificate.objects.exclude(pdf="").exists()  # nothing is signed before the commit
    assert callbacks and Certificate.objects.count() == 2
    for cert in Certificate.objects.all():
        assert cert.pdf.name == f"certificates/{cert.year}/{cert.number}.pdf"
        verdict = signing.verify(cert.pdf.read())
        assert verdict.valid and verdict.keywords == signing.document_keywords("certificate", cert.code)


def test_a_download_before_the_worker_is_signed_on_the_spot_and_the_worker_stores_once(client_for, approved_completion):
    cert = Certificate.objects.first()
    assert not cert.pdf  # the approval's commit (and with it the worker's task) has not happened here
    early = client_for(cert.learner.user).get(reverse("certificates:pdf", args=[cert.pk])).content
    cert.refresh_from_db()
    assert signing.verify(early).valid and not cert.pdf  # a download writes nothing
    assert cert_services.store_signed([cert.pk]) == 1
    assert cert_services.store_signed([cert.pk]) == 0  # stored once
    cert.refresh_from_db()
    assert client_for(cert.learner.user).get(reverse("certificates:pdf", args=[cert.pk])).content == cert.pdf.read()


def test_of_two_signers_at_once_the_first_to_record_keeps_its_file(approved_completion, monkeypatch):
    cert = Certificate.objects.first()
    sealed = cert_services.sealed_pdf

    def another_worker_records_first(c):
        Certificate.objects.filter(pk=c.pk).update(pdf="certificates/theirs.pdf")
        return sealed(c)

    monkeypatch.setattr(cert_services, "sealed_pdf", another_worker_records_first)
    assert cert_services.store_signed([cert.pk]) == 0
    cert.refresh_from_db()
    assert cert.pdf.name == "certificates/theirs.pdf"
    assert not cert.pdf.storage.exists(f"certificates/{cert.year}/{cert.number}.pdf")  # ours removed


def test_a_batch_that_cannot_be_recorded_leaves_no_file(approved_completion, monkeypatch, settings):
    from django.db import DatabaseError
    from django.db.models import QuerySet

    def database_gone(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(QuerySet, "update", database_gone)
    with pytest.raises(DatabaseError):
        cert_services.store_signed(list(Certificate.objects.values_list("pk", flat=True)))
    written = settings.MEDIA_ROOT / "certificates"
    assert written.is_dir() and not list(written.rglob("*.pdf"))  # the files were written, then removed


def test_sign_certificates_stores_the_missing_files_and_can_be_run_again(approved_completion):
    certs = list(Certificate.objects.all())
    assert certs and not any(c.pdf for c in certs)  # as if issued before signing existed
    out = io.StringIO()
    call_command("sign_certificates", "--batch", "1", stdout=out)
    assert f"完成：签章并存储 {len(certs)} 张证书。" in out.getvalue()
    assert all(signing.verify(c.pdf.read()).valid for c in Certificate.objects.all())
    call_command("sign_certificates", stdout=(out := io.StringIO()))
    assert "完成：签章并存储 0 张证书。" in out.getvalue()


def test_only_the_issuer_revokes(client_for, approved_completion, base_user):
    cert = Certificate.objects.first()
    client_for(base_user).post(reverse("certificates:revoke", args=[cert.pk]), {"reason": "x"})
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID


def test_public_verification_by_number_and_code_and_by_link(client, approved_completion):
    cache.clear()
    cert = Certificate.objects.first()
    page = client.get(reverse("certificates:verify"), {"number": cert.number, "code": cert.code}).content.decode()
    assert "证书有效" in page and cert.class_name in page and cert.issuer_name in page
    masked = cert.holder_name[0] + "*" * (len(cert.holder_name) - 1)
    assert masked in page and cert.holder_id_number not in page
    assert "证书有效" in client.get(reverse("certificates:verify_code", args=[cert.code])).content.decode()
    unknown = f"{cert.year}-ZY-999999"
    answer = client.get(reverse("certificates:verify"), {"number": unknown, "code": cert.code}).content.decode()
    assert "未查到该证书，请核对证书编号和查验码。" in answer


def test_a_number_alone_or_with_a_wrong_code_reveals_nothing(client, approved_completion):
    """Numbers are sequential: without the 查验码 printed beside it, a number tells nobody whose it is."""
    cache.clear()
    cert = Certificate.objects.first()
    alone = client.get(reverse("certificates:verify"), {"number": cert.number}).content.decode()
    assert "请同时输入证书编号和查验码" in alone
    other_last = "A" if cert.code[-1] != "A" else "B"  # the code is random: its last character may be any
    wrong = client.get(reverse("certificates:verify"), {"number": cert.number, "code": cert.code[:-1] + other_last})
    for page in (alone, wrong.content.decode()):
        assert "证书有效" not in page and cert.class_name not in page and cert.holder_name[0] + "*" not in page


def test_verification_is_rate_limited(client, db):
    cache.clear()
    codes = [client.get(reverse("certificates:verify"), {"number": "X"}).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30 and codes[30] == 429
    cache.clear()


def test_learner_sees_and_downloads_own_certificates_only(client_for, approved_completion):
    cert = Certificate.objects.first()
    client = client_for(cert.learner.user)
    assert cert.number in client.get(reverse("certificates:mine")).content.decode()
    response = client.get(reverse("certificates:pdf", args=[cert.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    other = Certificate.objects.exclude(pk=cert.pk).first()
    assert client.get(reverse("certificates:pdf", args=[other.pk])).status_code == 404


def test_base_searches_its_certificates_and_downloads_a_class_zip(client_for, base_user, other_base_user,
                                                                  approved_completion):  # fmt: skip
    cert = Certificate.objects.first()
    client = client_for(base_user)
    page = client.get(reverse("certificates:list", args=["professional"]), {"id_number": cert.holder_id_number})
    assert cert.number in page.content.decode()
    page = client.get(reverse("certificates:list", args=["professional"]), {"name": "没有这个人"})
    assert cert.number not in page.content.decode()
    response = client.post(reverse("certificates:class_zip", args=[approved_completion.training_class_id]))
    assert len(zipfile.ZipFile(io.BytesIO(job_file(client, response))).namelist()) == 2
    outsider = client_for(other_base_user).get(reverse("certificates:list", args=["professional"]))
    assert cert.number not in outsider.content.decode()


needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")


@needs_poppler
def test_pdf_text_fonts_and_qr_code(client_for, approved_completion, tmp_path):
    import zxingcpp
    from PIL import Image

    cert = Certificate.objects.first()
    content = client_for(cert.learner.user).get(reverse("certificates:pdf", args=[cert.pk])).content
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert cert.holder_name in text and cert.number in text and "6501**********" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [f"http://testserver{reverse('certificates:verify_code', args=[cert.code])}"]


@needs_poppler
def test_certificates_rendered_one_after_another_each_carry_their_own_text_and_qr_code(approved_completion, tmp_path):
    """The font, its checked path and the measuring are kept per process: the second certificate still
    says only what is its own, beside the same title, and both verify."""
    import zxingcpp
    from PIL import Image

    certs = list(Certificate.objects.order_by("pk")[:2])
    assert len(certs) == 2 and certs[0].holder_name != certs[1].holder_name
    for n, cert in enumerate(certs):
        data = cert_services.sealed_pdf(cert)
        assert signing.verify(data).valid
        pdf = tmp_path / f"cert{n}.pdf"
        pdf.write_bytes(data)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        other = certs[1 - n]
        assert "专业技术人员继续教育证书" in text and cert.number in text and cert.holder_name in text
        assert other.number not in text and other.holder_name not in text
        subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / f"page{n}")], check=True)
        image = Image.open(next(tmp_path.glob(f"page{n}*.png")))
        assert [r.text for r in zxingcpp.read_barcodes(image)] == [cert_services.verify_url(cert)]


def test_the_qr_code_path_is_what_reportlabs_path_object_writes():
    """The runs are formatted directly, for speed; the page's operators stay those of one rect call per run."""
    import segno
    from reportlab.pdfgen.pathobject import PDFPathObject

    from jxjy.core.pdf import draw

    matrix = segno.make("http://testserver/v/Abc-123_xyz/", error="m", mask=0, boost_error=False).matrix
    x, y, size = 671.89, 62, 110
    module = size / (len(matrix) + 4)
    path = PDFPathObject()
    for row_index, row in enumerate(matrix):
        for start, end in _runs(row):
            path.rect(x + (2 + start) * module, y + size - (2 + row_index + 1) * module, (end - start) * module, module)
    assert PDFPathObject(code=["n", *draw._run_rects(matrix, x, y, size)]).getCode() == path.getCode()


def _runs(row) -> list[tuple[int, int]]:
    runs, start = [], None
    for col, dark in enumerate([*row, 0]):
        if dark and start is None:
            start = col
        elif not dark and start is not None:
            runs.append((start, col))
            start = None
    return runs


def test_the_font_is_checked_again_when_its_setting_changes(db, settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    from jxjy.core.pdf import fonts

    working, path = fonts.chinese(), settings.JXJY_PDF_FONT
    settings.JXJY_PDF_FONT = str(tmp_path / "gone.ttf")
    with pytest.raises(ImproperlyConfigured, match="JXJY_PDF_FONT"):
        fonts.chinese()
    settings.JXJY_PDF_FONT = path
    assert fonts.chinese() == working


def test_qr_matrices_are_segnos_before_and_after_the_length_has_a_basis(monkeypatch):
    """`qr.matrix` XORs precomputed bit patterns once a length is common; it must stay segno's code."""
    import random
    import secrets

    import segno

    from jxjy.core.pdf import qr

    def segnos(text: str) -> tuple[bytes, ...]:
        return tuple(bytes(r) for r in segno.make(text, error="m", mask=0, boost_error=False, micro=False).matrix)

    monkeypatch.setattr(qr, "WORTH_A_BASIS", 2)
    monkeypatch.setattr(qr, "_asked", qr.collections.Counter())
    qr._basis.cache_clear()
    texts = [f"{site}/verify/{secrets.token_urlsafe(12)}/" for site in ("http://testserver", "https://jxjy.example.cn")
             for _ in range(30)]  # fmt: skip
    rng = random.Random(7)
    texts += ["".join(rng.choice("abcXYZ019_-/:.?&= ") for _ in range(rng.choice((1, 9, 30)))) for _ in range(60)]
    texts += ["a", "1", "2", "12345", "HTTP://X/V/ABC", "证书"]
    for text in [*texts, *texts, "x" * 150]:
        assert qr.matrix(text) == segnos(text), text
    assert qr._basis.cache_info().currsize > 0  # the fast path was taken
    qr._basis.cache_clear()
