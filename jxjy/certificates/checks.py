"""`manage.py check --deploy`: the platform can sign, and the files it signs will verify.

The signing identity (identity.py) is loaded as the worker would load it: a production machine without a
key, an unreadable PKCS#12 file or token, missing trust roots or a signing certificate that does not chain
to them is an Error; a certificate that expires within `EXPIRY_WARNING_DAYS`, or the throw-away CA of
development, a Warning.
"""

import asyncio
import datetime

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathError, ValidationError

from jxjy.core import clock

from . import identity

EXPIRY_WARNING_DAYS = 60


def _chains_to_roots(ident: identity.Identity) -> bool:
    cert = ident.certificate
    context = ValidationContext(
        trust_roots=ident.trust_roots,
        other_certs=list(ident.signer.cert_registry),
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=clock.now(),
    )
    try:
        asyncio.run(CertificateValidator(cert, validation_context=context).async_validate_usage(set()))
    except (PathError, ValidationError):
        return False
    return True


@checks.register(checks.Tags.security, deploy=True)
def check_signing_identity(app_configs=None, **kwargs):
    try:
        ident = identity.load_identity()  # as the process will sign (a failure is not cached: tried again)
    except ImproperlyConfigured as e:
        return [checks.Error(str(e), hint=_("见 README“电子签章”。"), id="jxjy.certificates.E001")]
    found = []
    if ident.source == "dev":
        found.append(
            checks.Warning(
                _("电子签章使用的是开发环境自动生成的临时测试证书（JXJY_SIGNING_DEV_DIR）。"),
                hint=_("正式环境请设置 JXJY_SIGNING_PKCS12 或 JXJY_SIGNING_PKCS11_MODULE。"),
                id="jxjy.certificates.W002",
            )
        )
    found += _certificate_problems(ident)
    return found


def _certificate_problems(ident: identity.Identity) -> list[checks.CheckMessage]:
    """The signing certificate has expired, expires within EXPIRY_WARNING_DAYS, or chains to no trust root."""
    cert = ident.certificate
    expires = cert["tbs_certificate"]["validity"]["not_after"].native
    left = expires - clock.now()
    facts = {"expires": format(expires, "%Y-%m-%d"), "days": left.days, "subject": cert.subject.human_friendly}
    if left <= datetime.timedelta(0):
        message = _("电子签章证书已于 %(expires)s 过期（%(subject)s）。") % facts
        hint = _("请更换签章证书，并把原 CA 证书保留在 JXJY_SIGNING_TRUST 中。")
        return [checks.Error(message, hint=hint, id="jxjy.certificates.E002")]
    if left < datetime.timedelta(days=EXPIRY_WARNING_DAYS):
        message = _("电子签章证书将于 %(expires)s 过期，剩余 %(days)s 天（%(subject)s）。") % facts
        hint = _("请及时更换签章证书，并把原 CA 证书保留在 JXJY_SIGNING_TRUST 中。")
        return [checks.Warning(message, hint=hint, id="jxjy.certificates.W001")]
    if not _chains_to_roots(ident):
        message = (
            _("电子签章证书（%(subject)s）不能链接到 JXJY_SIGNING_TRUST 中的任何信任根证书：签出的文件将无法通过查验。")
            % facts
        )
        hint = _("请在 JXJY_SIGNING_TRUST 中列出签发该证书的 CA 证书。")
        return [checks.Error(message, hint=hint, id="jxjy.certificates.E003")]
    return []
