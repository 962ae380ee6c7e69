from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jxjy.api"
    verbose_name = "开放接口"
