from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jxjy.core"
    verbose_name = "平台基础"

    def ready(self):
        from .excel import require_defusedxml

        require_defusedxml()
        from . import middleware  # noqa: F401 - connects the login-time receiver before any login
