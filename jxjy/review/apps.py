from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "jxjy.review"
    verbose_name = "审核流程"
