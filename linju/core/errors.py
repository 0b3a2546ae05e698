"""Domain errors. Services raise them; one handler per surface (API, pages) maps them to a response.

A message is a lazy translation and its values are kept apart (`params`), so the same
error reads in Chinese or English depending on the request's language; the API returns both.
"""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(
        self,
        message: str | Promise,
        *,
        params: dict | None = None,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.params = params or {}
        if code:
            self.code = code
        self.field = field
        super().__init__(self.text())

    def text(self) -> str:
        """The message in the active language, with its values filled in."""
        return str(self.message) % self.params if self.params else str(self.message)


class NotFound(DomainError):
    """Missing, or not the viewer's to see: the two are never told apart."""

    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"
