from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "jxjy.catalog"
    verbose_name = "培训范围目录"
