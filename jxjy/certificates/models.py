"""电子证书 (DESIGN §4.5): a readable number, a random verification code that never changes, and a
status instead of deletion — a revoked certificate keeps its number and its public page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

from jxjy.core import pii
from jxjy.core.fields import EncryptedCharField, LookupHashField, PersonalDataModel, PersonalDataQuerySet
from jxjy.core.identity import normalize_id_number, validate_person_name


class CertificateKind(models.TextChoices):
    PROFESSIONAL = "professional", gettext_lazy("专业课电子证书")
    PUBLIC = "public", gettext_lazy("公需课电子证书")


# The number's middle part, by kind: 2026-ZY-000001 / 2026-GX-000001.
KIND_CODES: dict[str, str] = {CertificateKind.PROFESSIONAL: "ZY", CertificateKind.PUBLIC: "GX"}


class CertificateStatus(models.TextChoices):
    VALID = "valid", gettext_lazy("有效")
    REVOKED = "revoked", gettext_lazy("已撤销")


class CertificateQuerySet(PersonalDataQuerySet):
    def by_holder_id_number(self, value: str) -> "CertificateQuerySet":
        """Certificates of this 身份证号, found by its keyed hash."""
        try:
            value = normalize_id_number(value)
        except ValidationError:
            return self.none()
        return self.filter(holder_id_number_hash__in=pii.lookup_hashes(pii.ID_NUMBER, value))


def _pdf_path(cert: "Certificate", filename: str) -> str:
    return f"certificates/{cert.year}/{cert.number}.pdf"


class Certificate(PersonalDataModel):
    number = models.CharField(gettext_lazy("证书编号"), max_length=20, unique=True)
    code = models.CharField(gettext_lazy("查验码"), max_length=32, unique=True)
    kind = models.CharField(gettext_lazy("证书类别"), max_length=20, choices=CertificateKind.choices)
    status = models.CharField(
        gettext_lazy("状态"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    # What the certificate was issued for; issuing again for the same source returns the same certificate.
    source_key = models.CharField(max_length=100, unique=True)
    learner = models.ForeignKey("accounts.Learner", on_delete=models.PROTECT, related_name="certificates")
    registration = models.ForeignKey(
        "trainings.Registration", null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    base = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")

    # What the certificate says, frozen when it is issued.
    holder_name = models.CharField(gettext_lazy("姓名"), max_length=50, validators=[validate_person_name])
    holder_id_number = EncryptedCharField(gettext_lazy("身份证号"))
    holder_id_number_hash = LookupHashField(source="holder_id_number", purpose=pii.ID_NUMBER, db_index=True)
    class_name = models.CharField(gettext_lazy("培训项目"), max_length=100)
    base_name = models.CharField(gettext_lazy("培训机构"), max_length=100)
    scope = models.CharField(gettext_lazy("专业及级别"), max_length=200, blank=True)
    hours = models.DecimalField(gettext_lazy("学时"), max_digits=6, decimal_places=1)
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"), db_index=True)
    issued_on = models.DateField(gettext_lazy("发证日期"))
    issuer_name = models.CharField(gettext_lazy("发证机关"), max_length=100)

    revoked_at = models.DateTimeField(gettext_lazy("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(gettext_lazy("撤销原因"), max_length=200, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The PDF as issued, signed with the platform's seal (signed by the task worker right after issuing;
    # the first download signs it if the worker has not yet). A revoked certificate keeps its file.
    pdf = models.FileField(gettext_lazy("签章文件"), upload_to=_pdf_path, blank=True, max_length=200)
    # 换发: the certificate issued in place of this one (which is then revoked).
    replaced_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
        verbose_name=gettext_lazy("换发后的证书"),
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("电子证书")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["base", "kind", "year"]),
            # 姓名 search matches the name's beginning (LIKE '张%'), which needs the pattern operator class.
            models.Index(fields=["holder_name"], name="cert_holder_name_prefix", opclasses=["varchar_pattern_ops"]),
            # HR's list, newest first, is read in this order without sorting every certificate in scope.
            models.Index(fields=["kind", "-issued_on", "-id"], name="cert_kind_newest"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_verify_url(self) -> str:
        return reverse("certificates:verify_code", args=[self.code])

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID


class CertificateSequence(models.Model):
    """The last number issued per (year, kind); incremented under a row lock."""

    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=CertificateKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="one_sequence_per_year_kind")]
