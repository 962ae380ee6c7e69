from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy


@checks.register(checks.Tags.security)
def check_pii_key(app_configs, **kwargs):
    """Refuse to run (migrate, serve) without a usable JXJY_PII_KEY rather than fail at the first learner."""
    from .pii import check_key

    try:
        check_key()
    except ImproperlyConfigured as e:
        return [checks.Error(str(e), id="jxjy.E001")]
    return []


class CoreConfig(AppConfig):
    name = "jxjy.core"
    verbose_name = gettext_lazy("平台基础")

    def ready(self):
        from .excel import require_defusedxml

        require_defusedxml()
        # The login-time receiver, before any login; the key canary (written at migrate, checked by check --deploy).
        from . import checks, kept_posts, middleware  # noqa: F401
