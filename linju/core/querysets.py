"""Rows narrowed to a viewer as a QuerySet method: `Case.objects.visible_to(viewer)`.

A model whose rows are scoped by town gets a QuerySet that says, once, how a row reaches its town
(`town_path`, e.g. "village__town" for a resident), and `objects = ThatQuerySet.as_manager()`.
`visible_to(viewer)` then applies the one scoping rule, `linju.access.scoping.scope_to_viewer`,
with that path; every selector and service asks the QuerySet instead of typing the path again.

Why the base lives here and not in `linju.access`: models of apps below access in the layers
(`geo`'s villages, market places and service points) need it too, and a lower layer may not import
a higher one. So the rule is handed down instead: `linju.access` installs `scope_to_viewer` here
when the apps are ready (`AccessConfig.ready`), and this module only calls what it was given. The
rule itself (roles, the towns a viewer serves, the bureau key) stays in access, in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .held_queries import HeldQuery

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

ScopingRule = Callable[..., models.QuerySet]
RowFinder = Callable[..., models.Model | None]

_rule: ScopingRule | None = None
_row_finder: RowFinder | None = None


def install_scoping_rule(rule: ScopingRule, row_finder: RowFinder) -> None:
    """Called once by `linju.access` (its AppConfig.ready) with `scope_to_viewer` and the same rule
    for one row by a unique key, `visible_row`."""
    global _rule, _row_finder
    _rule, _row_finder = rule, row_finder


def scoping_rule() -> ScopingRule:
    if _rule is None:
        raise ImproperlyConfigured("linju.access must be in INSTALLED_APPS: it installs the scoping rule.")
    return _rule


class ScopedQuerySet(models.QuerySet):
    """Rows a viewer may see: their bureau's, in the towns they serve (see `linju.access.scoping`).

    A subclass names the path from a row to its town in `town_path`."""

    town_path: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not getattr(cls, "town_path", ""):
            raise TypeError(f"{cls.__name__} must name the path from a row to its town in `town_path`.")

    def visible_to(self, viewer: AbstractBaseUser | AnonymousUser | None) -> Self:
        return scoping_rule()(self, viewer=viewer, town_path=self.town_path)

    def visible_row(self, viewer: AbstractBaseUser | AnonymousUser | None, **key: Any) -> models.Model | None:
        """The row with this unique key if the viewer may see it, else None: what
        `visible_to(viewer).filter(**key).first()` answers, by the same rule, read the cheapest way
        the rule allows (see `linju.access.scoping.visible_row`)."""
        scoping_rule()  # says so when access is missing
        return _row_finder(self, viewer=viewer, town_path=self.town_path, key=key)


def visible_held_row(
    held: HeldQuery, viewer: AbstractBaseUser | AnonymousUser | None, **key: Any
) -> models.Model | None:
    """`visible_row` for a hot path's held query (linju/core/held_queries.py) of a scoped model: the
    same rule, the row read by the SQL compiled once."""
    scoping_rule()
    return _row_finder(held, viewer=viewer, town_path=held.queryset_class(**key).town_path, key=key)
