"""Domain errors that views turn into form errors or a 409 page, never a 500."""

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused an action; `message` is already translated text."""

    status = 409

    def __init__(self, message: Any, *, field: str | None = None, errors: list[Any] | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.errors = errors or []


class InvalidTransition(DomainError):
    """The object is not in a state that allows the action."""


class NotAllowed(DomainError):
    """The user may see the object but not perform the action."""

    status = 403


class ValidationFailed(DomainError):
    """Input was refused; `errors` lists every problem (field, row or indicator named)."""

    status = 400
