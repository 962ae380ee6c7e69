from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "jxjy.hours"
    verbose_name = "学时档案"
