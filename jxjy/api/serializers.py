"""What the API takes and gives; field help is Chinese, as the docs page shows it."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from jxjy.catalog.models import SubjectKind
from jxjy.certificates.verification import MAX_MB, RESULTS
from jxjy.core import clock
from jxjy.core.identity import normalize_id_number, validate_person_name
from jxjy.review.registry import in_api

ID_PATTERN = r"^\d{17}[\dXx]$"
RECORD_ID_PATTERN = r"^[A-Za-z0-9_.:\-]{1,64}$"
MAX_BATCH = 500


class JsonTyped:
    """A JSON body field that takes only its own JSON type: 0 is not a name, "6" is not a number of hours."""

    json_types: tuple[type, ...] = (str,)
    type_message = gettext_lazy("类型不正确。")

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, self.json_types):
            raise serializers.ValidationError(self.type_message)
        return super().to_internal_value(data)


class Text(JsonTyped, serializers.CharField):
    type_message = gettext_lazy("应为字符串。")


class Pattern(JsonTyped, serializers.RegexField):
    type_message = gettext_lazy("应为字符串。")


class Number(JsonTyped, serializers.DecimalField):
    json_types = (int, float)
    type_message = gettext_lazy("应为数字。")


class Date(JsonTyped, serializers.DateField):
    type_message = gettext_lazy("应为 YYYY-MM-DD 格式的日期。")


class Integer(JsonTyped, serializers.IntegerField):
    json_types = (int,)
    type_message = gettext_lazy("应为整数。")


def Hours(**kwargs) -> serializers.DecimalField:
    """学时 out (a JSON number, one decimal)."""
    return serializers.DecimalField(max_digits=6, decimal_places=1, coerce_to_string=False, **kwargs)


def HoursIn(**kwargs) -> Number:
    """学时 in: a JSON number with at most one decimal."""
    return Number(max_digits=6, decimal_places=1, coerce_to_string=False, **kwargs)


class IdNumberField(Pattern):
    """An 18-digit 身份证号, checked like everywhere else (check digit, real birth date); `x` becomes `X`."""

    def __init__(self, **kwargs):
        super().__init__(ID_PATTERN, max_length=18, min_length=18, help_text=_("18位身份证号"), **kwargs)
        self.error_messages["invalid"] = _("身份证号应为18位，前17位为数字，最后一位为数字或X。")

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data)
        try:
            return normalize_id_number(value)
        except DjangoValidationError as e:
            raise serializers.ValidationError(e.messages) from None


class QuerySerializer(serializers.Serializer):
    """Query parameters; one this endpoint does not know is an error (a misspelt filter would filter nothing)."""

    def validate(self, data):
        params = self.initial_data
        errors = {name: [_("不支持该查询参数。")] for name in sorted(set(params) - set(self.fields))}
        for name, field in self.fields.items():
            if len(params.getlist(name)) > 1:
                errors[name] = [_("该查询参数只能出现一次。")]
            elif params.get(name) == "" and not getattr(field, "allow_blank", False):
                errors[name] = [_("不能为空。")]  # the REST framework would take an empty value for "not given"
        if errors:
            raise serializers.ValidationError(errors)
        return data


# ---- 证书查验 ---------------------------------------------------------------------------------


class CertificateSerializer(serializers.Serializer):
    number = serializers.CharField(help_text=gettext_lazy("证书编号"))
    kind = serializers.CharField(help_text=gettext_lazy("professional 专业课 / public 公需课"))
    kind_label = serializers.CharField(source="get_kind_display", help_text=gettext_lazy("证书类别"))
    status = serializers.CharField(help_text=gettext_lazy("valid 有效 / revoked 已撤销"))
    status_label = serializers.CharField(source="get_status_display", help_text=gettext_lazy("状态"))
    holder_name = serializers.SerializerMethodField(help_text=gettext_lazy("持证人（只显示姓）"))
    class_name = serializers.CharField(help_text=gettext_lazy("培训项目"))
    base_name = serializers.CharField(help_text=gettext_lazy("培训机构"))
    hours = Hours(help_text=gettext_lazy("学时"))
    year = serializers.IntegerField(help_text=gettext_lazy("年度"))
    issuer_name = serializers.CharField(help_text=gettext_lazy("发证机关"))
    issued_on = serializers.DateField(help_text=gettext_lazy("发证日期"))
    revoked_on = serializers.SerializerMethodField(help_text=gettext_lazy("撤销日期"))
    revoked_reason = serializers.CharField(help_text=gettext_lazy("撤销原因"))
    replaced_by_number = serializers.CharField(
        source="replaced_by.number",
        allow_null=True,
        default=None,
        help_text=gettext_lazy("已换发时：换发后的新证书编号"),
    )
    replaces_number = serializers.CharField(
        source="replaces.number", allow_null=True, default=None, help_text=gettext_lazy("换发而来时：原证书编号")
    )

    def get_holder_name(self, cert) -> str:
        return cert.holder_name[:1] + "*" * (len(cert.holder_name) - 1)

    def get_revoked_on(self, cert) -> dt.date | None:
        return timezone.localdate(cert.revoked_at) if cert.revoked_at else None


class VerifyQuerySerializer(QuerySerializer):
    number = serializers.CharField(max_length=20, help_text=gettext_lazy("证书编号，如 2026-GX-000001"))
    code = serializers.CharField(
        max_length=32, help_text=gettext_lazy("查验码：印在证书上证书编号旁（证书编号是连续的，单凭编号不能查验）")
    )


class VerifyFileSerializer(serializers.Serializer):
    # The multipart form of a file check, for the schema: the view reads the file itself. (No docstring:
    # the docs page would show it.)
    file = serializers.FileField(
        help_text=format_lazy(
            gettext_lazy("要查验的 PDF 文件（本平台下载的电子证书或学时证明），不超过{mb}MB"), mb=MAX_MB
        )
    )


class FileCheckSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=list(RESULTS.items()), help_text=gettext_lazy("查验结论"))
    message = serializers.CharField(help_text=gettext_lazy("中文结论，可直接展示给用户"))
    signed_at = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("本平台签章的时间（文件由本平台签发且未被修改时）")
    )
    certificate = CertificateSerializer(
        allow_null=True, help_text=gettext_lazy("文件所载的证书（文件由本平台签发且未被修改时），字段同按编号查验")
    )


# ---- 学时查询 ---------------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            gettext_lazy("按年度查询"),
            value={"id_number": "650102199001011239", "name": gettext_lazy("张三"), "year": 2026},
        )
    ]
)
class HoursQuerySerializer(serializers.Serializer):
    id_number = IdNumberField()
    name = Text(max_length=50, help_text=gettext_lazy("姓名，须与身份证号相符"))
    year = Integer(
        min_value=2000, max_value=2100, required=False, help_text=gettext_lazy("只查这一年度；不填则返回有学时的各年度")
    )


class CreditSerializer(serializers.Serializer):
    title = serializers.CharField(help_text=gettext_lazy("培训项目"))
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices, help_text=gettext_lazy("科目类别"))
    hours = Hours(help_text=gettext_lazy("学时"))
    source = serializers.CharField(help_text=gettext_lazy("来源：培训后备案 / 学时认定 / 在线学习平台"))
    certificate_number = serializers.CharField(source="certificate.number", allow_null=True, default=None)
    credited_on = serializers.DateField(help_text=gettext_lazy("认定日期"))


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    public_hours = Hours(source="public", help_text=gettext_lazy("公需科目学时"))
    professional_hours = Hours(source="professional", help_text=gettext_lazy("专业科目学时"))
    total_hours = Hours(source="total", help_text=gettext_lazy("合计学时"))
    required_hours = Hours(source="required", help_text=gettext_lazy("年度应完成学时"))
    professional_required_hours = Hours(
        source="professional_required", help_text=gettext_lazy("其中专业科目应完成学时")
    )
    met = serializers.BooleanField(help_text=gettext_lazy("是否达标"))
    credits = CreditSerializer(many=True)


class HoursAnswerSerializer(serializers.Serializer):
    id_number = serializers.CharField(help_text=gettext_lazy("身份证号（脱敏）"))
    name = serializers.CharField(help_text=gettext_lazy("查询时提供的姓名"))
    years = YearSerializer(many=True, help_text=gettext_lazy("各年度学时，新的在前；查无此人与没有学时的回答相同"))


# ---- 公需课导入 -------------------------------------------------------------------------------


class RecordSerializer(serializers.Serializer):
    record_id = Pattern(
        RECORD_ID_PATTERN, max_length=64, help_text=gettext_lazy("平台的学习记录编号（同一编号只导入一次）")
    )
    id_number = IdNumberField()
    name = Text(max_length=50, validators=[validate_person_name], help_text=gettext_lazy("姓名"))
    course = Text(max_length=100, help_text=gettext_lazy("课程名称"))
    hours = HoursIn(
        min_value=Decimal("0.5"), max_value=Decimal(200), help_text=gettext_lazy("学时（0.5–200，一位小数）")
    )
    completed_on = Date(help_text=gettext_lazy("完成日期（年度按此日期计）"))

    def validate_completed_on(self, value: dt.date) -> dt.date:
        if value > clock.today():
            raise serializers.ValidationError(_("完成日期不能晚于今天。"))
        if value.year < 2000:
            raise serializers.ValidationError(_("完成日期不能早于2000年。"))
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            gettext_lazy("一条学习记录"),
            value={
                "records": [
                    {
                        "record_id": "XJZJ-2026-000123",
                        "id_number": "650102199001011239",
                        "name": gettext_lazy("张三"),
                        "course": gettext_lazy("专业技术人员职业道德与诚信建设"),
                        "hours": 6,
                        "completed_on": "2026-03-01",
                    }
                ]
            },
        )
    ]
)
class ImportSerializer(serializers.Serializer):
    records = RecordSerializer(
        many=True,
        min_length=1,
        max_length=MAX_BATCH,
        help_text=format_lazy(gettext_lazy("每批1–{most}条"), most=MAX_BATCH),
    )

    def validate_records(self, records: list[dict]) -> list[dict]:
        seen: set[str] = set()
        for r in records:
            if r["record_id"] in seen:
                raise serializers.ValidationError(
                    _("记录编号 %(record_id)s 在本批中重复。") % {"record_id": r["record_id"]}
                )
            seen.add(r["record_id"])
        return records


class OutcomeSerializer(serializers.Serializer):
    record_id = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[("created", gettext_lazy("已接收")), ("existing", gettext_lazy("此前已接收，未重复创建"))]
    )
    message = serializers.CharField()


class ImportAnswerSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=gettext_lazy("本次新接收的记录数"))
    existing = serializers.IntegerField(help_text=gettext_lazy("此前已接收、本次未重复创建的记录数"))
    results = OutcomeSerializer(many=True)


# ---- 基地单据 ---------------------------------------------------------------------------------


class DocumentQuerySerializer(QuerySerializer):
    kind = serializers.ChoiceField(
        choices=[],  # the registry's kinds, read when a query is checked (__init__)
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("单据类别；不填则全部"),
    )
    status = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text=gettext_lazy("状态代码，如 hr_review")
    )
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)
    offset = serializers.IntegerField(min_value=0, max_value=100000, default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(code, k.label) for code, k in in_api().items()]


class DocumentSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=gettext_lazy("单据类别代码"))
    kind_label = serializers.CharField(help_text=gettext_lazy("单据类别"))
    id = serializers.IntegerField()
    title = serializers.CharField(help_text=gettext_lazy("名称"))
    status = serializers.CharField(help_text=gettext_lazy("状态代码"))
    status_label = serializers.CharField(help_text=gettext_lazy("状态"))
    holder = serializers.CharField(allow_null=True, help_text=gettext_lazy("当前办理单位"))
    submitted_at = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy("提交时间"))
    updated_at = serializers.DateTimeField(help_text=gettext_lazy("更新时间"))


class DocumentPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = DocumentSerializer(many=True)


class LogEntrySerializer(serializers.Serializer):
    time = serializers.DateTimeField()
    action = serializers.CharField(help_text=gettext_lazy("操作"))
    action_code = serializers.CharField(
        help_text=gettext_lazy("操作代码（如 dept_approve、hr_approve：同为「通过」的两步）")
    )
    organisation = serializers.CharField(allow_null=True, help_text=gettext_lazy("操作单位"))
    state_before = serializers.CharField(help_text=gettext_lazy("操作前状态"))
    state_after = serializers.CharField(help_text=gettext_lazy("操作后状态"))
    opinion = serializers.CharField(help_text=gettext_lazy("审核意见"))


class DocumentDetailSerializer(DocumentSerializer):
    log = LogEntrySerializer(many=True, help_text=gettext_lazy("审核日志"))
