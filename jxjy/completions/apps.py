from django.apps import AppConfig


class CompletionsConfig(AppConfig):
    name = "jxjy.completions"
    verbose_name = "培训后备案"

    def ready(self):
        from django.urls import reverse

        from jxjy.review.registry import ReviewKind, register
        from jxjy.review.workflows import register_workflow

        from .models import CompletionFiling
        from .selectors import completions_visible_to
        from .workflow import COMPLETION

        register_workflow(CompletionFiling, COMPLETION)

        register(
            ReviewKind(
                slug="completion",
                label="培训后备案",
                model=CompletionFiling,
                visible_to=completions_visible_to,
                detail_url=lambda c: reverse("completions:detail", args=[c.pk]),
                search_fields=("name", "training_class__pre_filing__class_name"),
            )
        )
