"""`manage.py check --deploy`: the configured SMS provider can send every event that goes out by SMS."""

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

from .events import sms_events

TENCENT = "jxjy.notify.backends.TencentSms"
# The names of the environment variables to set (bandit B105 accepted: names, not secrets).
NEEDED = {
    "secret_id": "JXJY_TENCENT_SMS_SECRET_ID",  # nosec B105
    "secret_key": "JXJY_TENCENT_SMS_SECRET_KEY",  # nosec B105
    "app_id": "JXJY_TENCENT_SMS_APP_ID",
    "sign_name": "JXJY_TENCENT_SMS_SIGN_NAME",
}


@checks.register(checks.Tags.compatibility, deploy=True)
def sms_provider_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.JXJY_SMS_BACKEND != TENCENT:
        return []
    config = settings.JXJY_TENCENT_SMS
    errors = [
        checks.Error((_("腾讯云短信缺少配置：请设置环境变量 %(env)s。") % {"env": env}), id="notify.E001")
        for key, env in NEEDED.items()
        if not config.get(key)
    ]
    missing = [code for code in sms_events() if code not in config["templates"]]
    if missing:
        errors.append(
            checks.Error(
                (
                    _("以下事件没有短信模板：%(join)s（JXJY_TENCENT_SMS_TEMPLATES，格式 事件=模板ID,…）。")
                    % {"join": "、".join(missing)}
                ),
                id="notify.E002",
            )
        )
    return errors
