"""Errors raised by services; views turn them into messages next to the right field."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A business rule refused the action. `message` is shown to the user as is, in the page's language."""

    def __init__(self, message: "StrOrPromise", *, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        # field name -> list of messages, for rules that check many fields at once
        self.errors = errors or ({field: [message]} if field else {})


class NotEditable(DomainError):
    """The document is no longer in a state its owner may change."""


def show_on_form(form, error: DomainError, *, default_field: str | None = None, sections: bool = False) -> dict:
    """A service's refusal on the form that was sent: each message next to the field it names (one the
    form has), the others at the top of the form — or, with `sections`, handed back by name for the page to
    show beside its tables and attachments. A refusal that names no field goes to `default_field`."""
    left: dict[str, list[str]] = {}
    for name, messages in (error.errors or {default_field: [error.message]}).items():
        if name in form.fields:
            for m in messages:
                form.add_error(name, m)
        elif sections and name is not None:
            left[name] = messages
        else:
            for m in messages:
                form.add_error(None, m)
    return left
