"""The API's endpoints: thin views over the services; errors come out of errors.exception_handler."""

from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from jxjy.audit import trail as audit
from jxjy.certificates import selectors as certificate_selectors
from jxjy.certificates import verification
from jxjy.certificates.models import Certificate
from jxjy.core.identity import mask_id_number
from jxjy.review.registry import in_api

from . import serializers as s
from . import services
from .auth import AddressRateThrottle, TokenRateThrottle, needs_scope
from .errors import ErrorSerializer, body
from .models import Scope
from .selectors import documents_of

MAX_ID = 2**63 - 1  # the database's largest key: a bigger number in the URL finds nothing


def errors(*codes: int) -> dict:
    """The error answers an operation declares, each in the one error shape (500 on every operation)."""
    text = {400: _("请求有误"), 401: _("未提供令牌或令牌无效"), 403: _("令牌无此权限范围"), 404: _("未找到"),
            415: _("请求内容不是 JSON"), 429: _("请求过于频繁"), 500: _("服务器内部错误")}  # fmt: skip
    return {c: OpenApiResponse(ErrorSerializer, description=text[c]) for c in (*codes, 500)}


class ApiView(APIView):
    throttle_classes = [TokenRateThrottle, AddressRateThrottle]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"  # answers may carry personal data
        return response


# ---- 证书查验 (public) ------------------------------------------------------------------------


def _public_certificates():
    """Certificates as 证书查验 answers them, with those of a 换发 on either side."""
    return Certificate.objects.select_related("replaced_by", "replaces")


def _verify_answer(cert: Certificate | None) -> Response:
    if cert is None:
        raise Http404(_("未查到该证书，请核对证书编号或查验码。"))
    return Response(s.CertificateSerializer(cert).data)


class VerifyByNumber(ApiView):
    permission_classes = []

    @extend_schema(
        operation_id="verify_certificate_by_number",
        summary=gettext_lazy("按证书编号和查验码查验证书"),
        tags=[gettext_lazy("证书查验")],
        auth=[],
        parameters=[s.VerifyQuerySerializer],
        responses={200: s.CertificateSerializer, **errors(400, 401, 404, 429)},
    )
    def get(self, request):
        query = s.VerifyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return _verify_answer(certificate_selectors.for_verification(data["number"], data["code"]))


class VerifyByCode(ApiView):
    permission_classes = []

    @extend_schema(
        operation_id="verify_certificate_by_code",
        summary=gettext_lazy("按查验码（证书二维码中的链接）查验证书"),
        tags=[gettext_lazy("证书查验")],
        auth=[],
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description=gettext_lazy("查验码"))],
        responses={200: s.CertificateSerializer, **errors(401, 404, 429)},
    )
    def get(self, request, code: str):
        return _verify_answer(_public_certificates().filter(code=code).first())


class PdfParser(BaseParser):
    """A raw `application/pdf` body: its bytes, read no further than needed to tell it is too large."""

    media_type = "application/pdf"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return verification.read_limited(stream)


FILE_FORMATS = gettext_lazy("multipart/form-data（文件字段 file）或 application/pdf（请求体即文件）")


class VerifyFile(ApiView):
    permission_classes = []
    parser_classes = [MultiPartParser, PdfParser]

    @extend_schema(
        operation_id="verify_certificate_file",
        summary=gettext_lazy("上传 PDF 文件查验证书真伪"),
        description=format_lazy(
            gettext_lazy(
                "以 {formats}上传从本平台下载的电子证书或学时证明（不超过{mb}MB）。"
                "result 给出结论：valid 本平台签发、未被修改、证书当前有效；modified 本平台签发但签发后内容被修改；"
                "revoked 文件真实但证书已撤销（certificate 中有撤销日期、原因，已换发时有新证书编号）；"
                "foreign 不是本平台签发的文件；unreadable 无法读取；hours_proof 本平台签发且未被修改的学时证明。"
                "空文件、超过大小限制或不是 PDF 的文件返回 400，code 分别为 empty、too_large、not_pdf，"
                "未上传文件为 no_file。无需令牌，按来源地址限制频率。"
            ),
            formats=FILE_FORMATS,
            mb=verification.MAX_MB,
        ),
        tags=[gettext_lazy("证书查验")],
        auth=[],
        request={"multipart/form-data": s.VerifyFileSerializer, "application/pdf": OpenApiTypes.BINARY},
        responses={
            200: s.FileCheckSerializer,
            **errors(400, 401, 429),
            415: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("请求内容不是 multipart/form-data 或 application/pdf")
            ),
        },
    )
    def post(self, request):
        try:
            data = request.data
        except UnsupportedMediaType:
            detail = _("请以 %(file_formats)s上传文件。") % {"file_formats": FILE_FORMATS}
            raise UnsupportedMediaType(request.content_type, detail=detail) from None
        except ParseError:
            message = _("无法解析请求内容，请以 %(file_formats)s上传文件。") % {"file_formats": FILE_FORMATS}
            return Response(body("invalid", message), status=400)
        if isinstance(data, bytes):
            content = data
        elif request.content_type.startswith(PdfParser.media_type):
            content = b""  # an empty body is not parsed at all
        else:
            upload = request.FILES.get("file")
            content = verification.read_limited(upload) if upload else None
        try:
            check = verification.check_file(content)
        except verification.FileRefused as refused:
            return Response(body(refused.code, refused.message), status=400)
        return Response(s.FileCheckSerializer(check).data)


# ---- 学时查询 (hours:read) ---------------------------------------------------------------------


class HoursQuery(ApiView):
    permission_classes = [needs_scope(Scope.HOURS_READ)]

    @extend_schema(
        operation_id="query_hours",
        summary=gettext_lazy("查询学员年度学时（职称评审系统）"),
        description=(
            gettext_lazy(
                "按身份证号和姓名查询。人社厅的令牌可查全区学员；地州人社局的令牌只查在本地州基地、主管部门的令牌只查在"
                "本系统（行业）基地取得过证书的学员。查无此人、姓名不符、不在查询范围与没有学时的回答完全相同。"
                "需要权限范围 hours:read。"
            )
        ),
        tags=[gettext_lazy("学时")],
        request=s.HoursQuerySerializer,
        responses={200: s.HoursAnswerSerializer, **errors(400, 401, 403, 415, 429)},
    )
    def post(self, request):
        query = s.HoursQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        years = services.hours_of(
            client=request.user, id_number=data["id_number"], name=data["name"], year=data.get("year")
        )
        answer = {"id_number": mask_id_number(data["id_number"]), "name": data["name"], "years": years}
        return Response(s.HoursAnswerSerializer(answer).data)


# ---- 公需课导入 (completions:import) -----------------------------------------------------------


class CompletionImport(ApiView):
    permission_classes = [needs_scope(Scope.COMPLETIONS_IMPORT)]

    @extend_schema(
        operation_id="import_completions",
        summary=gettext_lazy("导入公需课学习记录（在线学习平台）"),
        description=(
            gettext_lazy(
                "先逐条校验格式，任何一条有误则整批不导入，errors 按记录序号（从0起）列出中文原因；全部无误时，"
                "每条新记录为身份证号与姓名相符的已注册学员颁发公需课电子证书并记入学时档案，其他记录保留到该学员注册后"
                "自动入账。两种情况的回答相同（接口不透露谁已注册），证书编号由学员在“我的证书”中查看。"
                "同一平台记录编号再次发送不会重复创建，结果中 status 为 existing。需要权限范围 completions:import。"
            )
        ),
        tags=[gettext_lazy("公需课导入")],
        request=s.ImportSerializer,
        responses={200: s.ImportAnswerSerializer, **errors(400, 401, 403, 415, 429)},
    )
    def post(self, request):
        batch = s.ImportSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        records = [services.Record(**r) for r in batch.validated_data["records"]]
        outcomes = services.import_completions(client=request.user, records=records)
        results = [
            {"record_id": o.record_id, "status": "created" if o.created else "existing",
             "message": _("已接收") if o.created else _("此前已接收，未重复创建")}
            for o in outcomes
        ]  # fmt: skip
        created = sum(o.created for o in outcomes)
        return Response(s.ImportAnswerSerializer({"created": created, "existing": len(outcomes) - created,
                                                  "results": results}).data)  # fmt: skip


# ---- 基地单据 (documents:read) -----------------------------------------------------------------


def _document(kind, doc) -> dict:
    return {
        "kind": kind.api_slug,
        "kind_label": kind.label,
        "id": doc.pk,
        "title": str(doc),
        "status": doc.status,
        "status_label": doc.get_status_display(),
        "holder": doc.holder.name if doc.holder_id else None,
        "submitted_at": doc.submitted_at,
        "updated_at": doc.updated_at,
    }


class DocumentList(ApiView):
    permission_classes = [needs_scope(Scope.DOCUMENTS_READ)]

    @extend_schema(
        operation_id="list_documents",
        summary=gettext_lazy("本基地的单据及其状态"),
        description=gettext_lazy(
            "培训前备案、学时认定、培训信息、培训后备案，按更新时间倒序。需要权限范围 documents:read。"
        ),
        tags=[gettext_lazy("基地单据")],
        parameters=[s.DocumentQuerySerializer],
        responses={200: s.DocumentPageSerializer, **errors(400, 401, 403, 429)},
    )
    def get(self, request):
        query = s.DocumentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        kinds = [in_api()[q["kind"]]] if q.get("kind") else in_api().values()
        docs = []
        for kind in kinds:
            qs = documents_of(request.user.organisation, kind)
            if q.get("status"):
                qs = qs.filter(status=q["status"])
            docs += [(kind, d) for d in qs]
        docs.sort(key=lambda kd: (kd[1].updated_at, kd[1].pk), reverse=True)
        page = docs[q["offset"] : q["offset"] + q["limit"]]
        return Response({"count": len(docs), "results": [_document(k, d) for k, d in page]})


class DocumentDetail(ApiView):
    permission_classes = [needs_scope(Scope.DOCUMENTS_READ)]

    @extend_schema(
        operation_id="get_document",
        summary=gettext_lazy("本基地一张单据的状态和审核日志"),
        tags=[gettext_lazy("基地单据")],
        parameters=[
            OpenApiParameter(
                "kind", str, OpenApiParameter.PATH, enum=list(in_api()), description=gettext_lazy("单据类别代码")
            ),
            OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("单据编号")),
        ],
        responses={200: s.DocumentDetailSerializer, **errors(401, 403, 404, 429)},
    )
    def get(self, request, kind: str, id: int):
        doc_kind = in_api().get(kind)
        found = doc_kind is not None and id <= MAX_ID
        doc = documents_of(request.user.organisation, doc_kind).filter(pk=id).first() if found else None
        if doc is None:  # missing and another base's answer alike
            raise Http404(_("未找到该单据。"))
        log = [
            {
                "time": e.created_at,
                "action": e.action_label,
                "action_code": e.action,
                "organisation": e.organisation.name if e.organisation_id else None,
                "state_before": e.state_before,
                "state_after": e.state_after,
                "opinion": e.opinion,
            }
            for e in audit.entries_for(doc)
        ]
        return Response({**_document(doc_kind, doc), "log": log})
