from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "jxjy.filings"
    verbose_name = "备案"

    def ready(self):
        from django.urls import reverse

        from jxjy.review.registry import ReviewKind, register
        from jxjy.review.workflows import register_workflow

        from .models import PreFiling, Purpose
        from .selectors import pre_filings_visible_to
        from .workflow import PRE_FILING, RECOGNITION

        register_workflow(PreFiling, lambda f: RECOGNITION if f.purpose == Purpose.RECOGNITION else PRE_FILING)

        register(
            ReviewKind(
                slug="prefiling",
                label="培训前备案",
                model=PreFiling,
                visible_to=lambda user: pre_filings_visible_to(user).exclude(purpose="recognition"),
                detail_url=lambda f: reverse("filings:detail", args=[f.pk]),
                search_fields=("class_name",),
            )
        )
        register(
            ReviewKind(
                slug="recognition",
                label="学时认定",
                model=PreFiling,
                workflow_override=RECOGNITION,
                visible_to=lambda user: pre_filings_visible_to(user).filter(purpose="recognition"),
                detail_url=lambda f: reverse("filings:detail", args=[f.pk]),
                search_fields=("class_name",),
            )
        )
