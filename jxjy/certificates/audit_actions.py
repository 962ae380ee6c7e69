"""What certificates records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models


class CertificateAction(models.TextChoices):
    ISSUE = "issue_certificates", "颁发电子证书"
    REVOKE = "revoke_certificate", "撤销证书"
    REISSUE = "reissue_certificate", "换发证书"
    DOWNLOAD = "download_certificate", "下载证书"
    DOWNLOAD_ZIP = "download_certificates_zip", "批量下载证书"
