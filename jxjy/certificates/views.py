"""电子证书: lists for the base, the learner and HR, the PDF, revocation, and the public 证书查验."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from jxjy.audit import trail as audit
from jxjy.core.errors import DomainError
from jxjy.core.paging import page_of
from jxjy.core.permissions import require
from jxjy.jobs.models import JobKind
from jxjy.jobs.services import start_job

from . import selectors, services, verification
from .audit_actions import CertificateAction
from .exports import class_certificates
from .models import Certificate, CertificateKind
from .selectors import access_certificate, certificates_visible_to, search

KIND_SLUGS = {"public": CertificateKind.PUBLIC, "professional": CertificateKind.PROFESSIONAL}


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def certificate_list(request, kind: str):
    """公需课电子证书 / 专业课电子证书 (base and HR), with search."""
    require(request.user, "certificates.list")
    cert_kind = KIND_SLUGS.get(kind)
    if cert_kind is None:
        return redirect("certificates:list", kind="professional")
    # The search form posts, so that a 身份证号 searched for stays out of URLs, server logs and history.
    params = request.POST if request.method == "POST" else request.GET
    qs = search(certificates_visible_to(request.user).filter(kind=cert_kind), params)
    qs = qs.annotate(class_id=F("registration__training_class_id")).order_by("-issued_on", "-id")
    page = page_of(qs, request, 30)
    # The classes of the certificates shown: HR sees thousands of classes, too many to list them all.
    classes = sorted({(c.class_id, c.class_name) for c in page if c.class_id})
    return render(
        request,
        "certificates/list.html",
        {"page": page, "kind": cert_kind, "slug": kind, "query": params, "classes": classes},
    )


@login_required
def my_certificates(request):
    """我的证书 (the learner)."""
    require(request.user, "certificates.mine")
    certs = certificates_visible_to(request.user).order_by("-year", "-issued_on")
    return render(request, "certificates/mine.html", {"certificates": certs})


@login_required
def certificate_pdf(request, pk: int):
    cert = access_certificate(request.user, pk)
    audit.record(actor=request.user, action=CertificateAction.DOWNLOAD, obj=cert)
    return _pdf_response(services.signed_pdf(cert), f"{cert.number}.pdf")


@login_required
@require_POST
def class_zip(request, class_id: int):
    """下载证书（zip）: all certificates of one class, packed by the task worker (base and HR)."""
    if not class_certificates(request.user, class_id=class_id).exists():
        messages.error(request, _("该培训班没有可下载的证书。"))
        return redirect("certificates:list", kind="professional")
    params = {"class_id": class_id}
    return redirect(start_job(kind=JobKind.CERTIFICATES_ZIP, actor=request.user, params=params))


@login_required
@require_POST
def revoke(request, pk: int):
    cert = access_certificate(request.user, pk)
    try:
        services.revoke(cert, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, (_("证书 %(number)s 已撤销。") % {"number": cert.number}))
    return _back(request, cert)


@login_required
@require_POST
def reissue(request, pk: int):
    """换发 (the issuer): a new certificate in place of this one."""
    cert = access_certificate(request.user, pk)
    try:
        new = services.reissue(cert, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            (
                _("证书 %(number)s 已换发为 %(number2)s，原证书已撤销。")
                % {"number": cert.number, "number2": new.number}
            ),
        )
    return _back(request, cert)


def _back(request, cert: Certificate):
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("certificates:list", kind=cert.kind)


def _rate_limited(request) -> HttpResponse:
    return render(request, "certificates/verify.html", {"limited": True}, status=429)


def _public(queryset):
    """Certificates as the public page shows them, with those of a 换发 on either side."""
    return queryset.select_related("replaced_by", "replaces")


@ratelimit(key="ip", rate="30/m", block=False)
def verify(request):
    """证书查验 (no login): by number, or (POST) by uploading the file; the holder's masked name, the class,
    hours, issuer and status. Uploads count against the same limit as lookups by number."""
    if getattr(request, "limited", False):
        return _rate_limited(request)
    if request.method == "POST":
        return verify_file(request)
    number, code = request.GET.get("number", "")[:20].strip(), request.GET.get("code", "")[:32].strip()
    context = {"number": number, "code": code, "searched": bool(number or code)}
    if context["searched"] and not (number and code):
        context["missing"] = _("请同时输入证书编号和查验码（印在证书编号旁），或扫描证书上的二维码。")
    cert = selectors.for_verification(number, code)
    return render(request, "certificates/verify.html", {**context, "cert": cert})


def verify_file(request) -> HttpResponse:
    """证书查验 of an uploaded PDF (the verify page's second form): genuine, changed, revoked or not ours."""
    upload = request.FILES.get("file")
    try:
        check = verification.check_file(verification.read_limited(upload) if upload else None)
    except verification.FileRefused as refused:
        context = {"file_error": refused.message, "file_name": upload.name if upload else ""}
        return render(request, "certificates/verify.html", context, status=400)
    context = {"check": check, "file_name": upload.name}
    return render(request, "certificates/verify.html", context)


@ratelimit(key="ip", rate="30/m", block=False)
def verify_code(request, code: str):
    """The QR code's link: the certificate with this verification code."""
    if getattr(request, "limited", False):
        return _rate_limited(request)
    cert = _public(Certificate.objects.filter(code=code)).first()
    return render(request, "certificates/verify.html", {"cert": cert, "searched": True, "number": ""})
