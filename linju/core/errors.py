"""Domain errors. Services raise them; one handler per surface (API, pages) maps them to a response.

A message is a lazy translation and its values are kept apart (`params`), so the same
error reads in Chinese or English depending on the request's language; the API returns both.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise

from .shared_cache import CacheDown


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
        super().__init__(
            message
        )  # put in words when read (`text`, `str`): a refusal only asked about costs no formatting

    def __str__(self) -> str:
        return self.text()

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


class NotAuthenticated(DomainError):
    """Nobody is signed in (or the key is not valid): sign in first."""

    status = 401
    code = "not_authenticated"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Unavailable(DomainError):
    """A service Linju leans on (the shared cache, the job queue) did not answer, and this request
    cannot go on without it: try again shortly (answered 503 with Retry-After)."""

    status = 503
    code = "unavailable"
    retry_after = 30  # seconds


def outage_errors() -> tuple[type[Exception], ...]:
    """The exceptions that mean the shared cache or the queue did not answer (Redis's own, and a
    refusal said in Linju's words); a request that meets one is answered 503, never 500."""
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is a locked dependency
        return (Unavailable, CacheDown)
    return (Unavailable, CacheDown, RedisError)


def unavailable() -> Unavailable:
    from django.utils.translation import gettext_lazy as _

    return Unavailable(_("The service is briefly unavailable. Please try again in a minute."))


class InvalidInput(DomainError):
    """Several fields are wrong at once: each keeps its own error, so a form can show them all."""

    code = "invalid"

    def __init__(self, errors: list[DomainError]) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(_("%(count)d fields need correcting."), params={"count": len(errors)})
        self.errors = errors


def errors_by_field(error: DomainError) -> dict[str, list[str]]:
    """{field: [message, …]} in the active language ("__all__" for errors of no one field)."""
    parts = error.errors if isinstance(error, InvalidInput) else [error]
    result: dict[str, list[str]] = {}
    for part in parts:
        result.setdefault(part.field or "__all__", []).append(part.text())
    return result


class ErrorCollector:
    """Run several checks, keep every domain error, then raise them together."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def check(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except DomainError as error:
            self.errors.append(error)
            return None

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InvalidInput(self.errors)


def _in_both_languages(render) -> dict:
    with translation.override("zh-hans"):
        zh = render()
    with translation.override("en"):
        en = render()
    return {"message": render(), "message_zh": zh, "message_en": en}


def error_body(code: str, message, errors: dict | None = None) -> dict:
    """{"code", "message" (the request's language), "message_zh", "message_en", "errors" by field}."""
    render = message.text if isinstance(message, DomainError) else lambda: str(message)
    body = {"code": code, **_in_both_languages(render)}
    if errors:
        body["errors"] = {field: [str(m) for m in msgs] for field, msgs in errors.items()}
    return body
