from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CatalogConfig(AppConfig):
    name = "jxjy.catalog"
    verbose_name = gettext_lazy("培训范围目录")
