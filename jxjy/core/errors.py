"""Errors raised by services; views turn them into messages next to the right field."""


class DomainError(Exception):
    """A business rule refused the action. `message` is shown to the user as is (Chinese)."""

    def __init__(self, message: str, *, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        # field name -> list of messages, for rules that check many fields at once
        self.errors = errors or ({field: [message]} if field else {})


class NotEditable(DomainError):
    """The document is no longer in a state its owner may change."""
