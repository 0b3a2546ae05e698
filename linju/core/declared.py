"""What a page or API operation needs, recorded on its function: here, below every app, so that any
layer can declare a view public. The capabilities themselves, and their enforcement, are
`linju.access.guards` (`@needs`, `@signed_in`)."""

from __future__ import annotations

from collections.abc import Callable

PUBLIC = "public"
SIGNED_IN = "signed_in"
ATTRIBUTE = "needs"


def public(view: Callable) -> Callable:
    """Everyone, signed in or not."""
    setattr(view, ATTRIBUTE, (PUBLIC,))
    return view


def declared(view: Callable) -> tuple[str, ...] | None:
    """What the view declares it needs (None: nothing declared)."""
    return getattr(view, ATTRIBUTE, None)


def signed_in(view: Callable) -> Callable:
    """Anyone signed in, whatever their role (for the pages of a layer below access: the log-in's own)."""
    setattr(view, ATTRIBUTE, (SIGNED_IN,))
    return view
