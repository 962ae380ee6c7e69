from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jxjy.api"
    verbose_name = "开放接口"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
