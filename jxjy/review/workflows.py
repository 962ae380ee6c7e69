"""Each reviewable model's route, registered by the model's app in its AppConfig.ready: a model never imports
its workflow (whose guards import the app's services, which import the models)."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Model

if TYPE_CHECKING:
    from .engine import Workflow

# Model label ("filings.prefiling") -> the document's workflow (a kind may choose by the document's fields).
WORKFLOWS: dict[str, Callable[[Model], "Workflow"]] = {}


def register_workflow(model: type[Model], workflow: "Workflow | Callable[[Model], Workflow]") -> None:
    """`model`'s documents travel `workflow`, or the one `workflow(doc)` chooses."""
    WORKFLOWS[model._meta.label_lower] = workflow if callable(workflow) else (lambda doc: workflow)


def workflow_of(doc: Model) -> "Workflow":
    return WORKFLOWS[doc._meta.label_lower](doc)
