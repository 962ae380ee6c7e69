from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "jxjy.certificates"
    verbose_name = "电子证书"
