from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TrainingsConfig(AppConfig):
    name = "jxjy.trainings"
    verbose_name = gettext_lazy("培训信息与学员报名")

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import TrainingAction

        actions.register(TrainingAction)  # the words of what this app records

        from jxjy.accounts.personal_data import register_revealable

        from . import kinds
        from .selectors import learners_shown_to

        register_revealable(learners_shown_to)
        kinds.register_kinds()
