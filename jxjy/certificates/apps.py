from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "jxjy.certificates"
    verbose_name = "电子证书"

    def ready(self):
        from . import checks  # noqa: F401 - the signing identity's deploy check
