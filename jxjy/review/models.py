"""What every reviewable document has."""

from django.db import models
from django.utils.translation import gettext_lazy

from .workflows import Workflow, workflow_of


class Reviewable(models.Model):
    """Mixin for a document that travels a review route. Only `review.engine.perform` writes these fields."""

    status = models.CharField(gettext_lazy("状态"), max_length=30, db_index=True)
    holder = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("当前办理单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(gettext_lazy("提交时间"), null=True, blank=True)

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        """The document's own page (each kind's model says where)."""
        raise NotImplementedError

    @property
    def workflow(self) -> Workflow:
        """The document's route, as its app registered it (workflows.register_workflow)."""
        return workflow_of(self)

    def get_status_display(self) -> str:
        return str(self.workflow.states(self.status).label)

    @property
    def is_editable(self) -> bool:
        """Whether the owner may still change it (a draft, or returned to them)."""
        return self.workflow.is_editable(self)
