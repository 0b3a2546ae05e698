"""What each page and API operation needs, declared on it once, next to its code.

    @needs("person.read")          # a row of the capability table (or several: any one will do)
    @signed_in                     # anyone signed in, whatever their role (their own calendar…)
    @public                        # everyone, signed in or not (linju.core.declared, for every layer)

The declaration is enforced before the view runs: a page by `NeedsMiddleware` (someone not signed
in is sent to log in; a role without the capability gets the row's refusal in plain words, 403),
an API operation by a check wrapped around its function (the same refusal, as JSON). The object
itself — of the viewer's bureau and towns, and the row's own rule — is checked where it is read or
changed: the selector's or service's `require(viewer, capability, obj)`.

The walk of every URL (linju/core/tests/test_every_url.py) reads the declarations back
(`declared(view)`), fails on a view or operation that declares nothing, and asks every URL as every
role to see that the answers agree with the table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja.utils import contribute_operation_callback

from linju.core.declared import ATTRIBUTE, PUBLIC, SIGNED_IN, declared, public
from linju.core.errors import NotAuthenticated, PermissionDenied

from .capabilities import CAPABILITIES, can
from .roles import role_of

__all__ = ["PUBLIC", "SIGNED_IN", "NeedsMiddleware", "declared", "needs", "public", "signed_in"]


def _refusal(viewer: Any, capabilities: tuple[str, ...]) -> PermissionDenied | NotAuthenticated | None:
    """None when the viewer holds the declaration, else the error to raise."""
    if capabilities == (PUBLIC,):
        return None
    if role_of(viewer) is None:
        return NotAuthenticated(_("Sign in first."))
    if capabilities == (SIGNED_IN,) or any(can(viewer, name) for name in capabilities):
        return None
    return PermissionDenied(CAPABILITIES[capabilities[0]].refusal)


def _declare(view: Callable, capabilities: tuple[str, ...]) -> Callable:
    setattr(view, ATTRIBUTE, capabilities)

    def guard_operation(operation: Any) -> None:
        """On an API operation: refuse before its function runs; say what it needs in the docs."""
        function = operation.view_func

        @functools.wraps(function)
        def guarded(request, *args, **kwargs):
            refusal = _refusal(getattr(request, "user", None), capabilities)
            if refusal is not None:
                raise refusal
            return function(request, *args, **kwargs)

        operation.view_func = guarded
        if capabilities not in ((PUBLIC,), (SIGNED_IN,)):
            needed = " or ".join(f"`{name}`" for name in capabilities)
            operation.description = f"{operation.description or ''}\n\nNeeds {needed}.".strip()

    contribute_operation_callback(view, guard_operation)
    return view


def needs(*capabilities: str) -> Callable[[Callable], Callable]:
    """The view needs one of these rows of the table (the first one's refusal is given)."""
    for name in capabilities:
        CAPABILITIES[name]  # a capability not in the table is a programming error
    assert capabilities, "name at least one capability, or use @signed_in / @public"
    return lambda view: _declare(view, tuple(capabilities))


def signed_in(view: Callable) -> Callable:
    """Anyone signed in, whatever their role."""
    return _declare(view, (SIGNED_IN,))


class NeedsMiddleware:
    """Pages: the declaration is checked before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        capabilities = declared(view_func)
        if capabilities is None or request.path.startswith("/api/"):
            return None  # API operations check their own; the walk refuses undeclared views
        refusal = _refusal(getattr(request, "user", None), capabilities)
        if refusal is None:
            return None
        if isinstance(refusal, NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        return render(
            request, "core/error.html", {"status": refusal.status, "message": refusal.text()}, status=403
        )
