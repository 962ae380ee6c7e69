from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "jxjy.trainings"
    verbose_name = "培训信息与学员报名"

    def ready(self):
        from django.urls import reverse

        from jxjy.accounts.personal_data import register_revealable
        from jxjy.review.registry import ReviewKind, register
        from jxjy.review.workflows import register_workflow

        from .models import Registration, TrainingClass
        from .selectors import classes_visible_to, learners_shown_to, registrations_visible_to
        from .workflow import REGISTRATION, TRAINING_CLASS

        register_workflow(TrainingClass, TRAINING_CLASS)
        register_workflow(Registration, REGISTRATION)
        register_revealable(learners_shown_to)

        register(
            ReviewKind(
                slug="training",
                label="培训信息",
                model=TrainingClass,
                visible_to=classes_visible_to,
                detail_url=lambda c: reverse("trainings:class_detail", args=[c.pk]),
                search_fields=("pre_filing__class_name",),
                year_field="years_start",
            )
        )
        register(
            ReviewKind(
                slug="registration",
                label="学员报名",
                model=Registration,
                visible_to=registrations_visible_to,
                detail_url=lambda r: reverse("trainings:registration_detail", args=[r.pk]),
                search_fields=("name", "training_class__pre_filing__class_name"),
            )
        )
