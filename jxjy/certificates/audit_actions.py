"""What certificates records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class CertificateAction(models.TextChoices):
    ISSUE = "issue_certificates", gettext_lazy("颁发电子证书")
    REVOKE = "revoke_certificate", gettext_lazy("撤销证书")
    REISSUE = "reissue_certificate", gettext_lazy("换发证书")
    DOWNLOAD = "download_certificate", gettext_lazy("下载证书")
    DOWNLOAD_ZIP = "download_certificates_zip", gettext_lazy("批量下载证书")
