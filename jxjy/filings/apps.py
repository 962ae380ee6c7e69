from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "jxjy.filings"
    verbose_name = "备案"
