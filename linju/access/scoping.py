"""The one place that decides which rows a member of staff may see: their bureau first, then the
towns they serve.

Every selector that reads personal data narrows its queryset with `scope_to_viewer`, asked through
the model's QuerySet: `Case.objects.visible_to(viewer)`, the path from a row to its town written once
on the model (linju/core/querysets.py; access installs this rule there when the apps are ready). No
view filters by bureau or town on its own.
"""

from __future__ import annotations

import functools
from typing import TypeVar

from django.db.models import Model, QuerySet

from linju.accounts.models import User
from linju.core.held_queries import HeldQuery
from linju.geo.models import Bureau, Town

from .roles import CADRE, is_platform_admin, role_of

M = TypeVar("M", bound=Model)


def towns_for_viewer(viewer: User | None) -> QuerySet[Town]:
    role = role_of(viewer)
    if role is None:
        return Town.objects.none()
    if is_platform_admin(viewer):
        return Town.objects.all()
    if role == CADRE:
        return Town.objects.filter(cadres=viewer, bureau_id=viewer.bureau_id)
    return Town.objects.filter(bureau_id=viewer.bureau_id)


def served_town_ids(viewer: User | None) -> frozenset[int]:
    """The ids of the towns the viewer serves, read once per viewer object (a request's user)."""
    if viewer is None:
        return frozenset()
    cached = getattr(viewer, "_served_town_ids", None)
    if cached is None:
        cached = frozenset(towns_for_viewer(viewer).order_by().values_list("pk", flat=True))
        viewer._served_town_ids = cached
    return cached


@functools.cache
def _has_bureau_key(model) -> bool:
    return any(f.name == "bureau" and f.is_relation for f in model._meta.concrete_fields)


def scope_to_viewer(queryset: QuerySet[M], *, viewer: User | None, town_path: str) -> QuerySet[M]:
    """Keep only rows of the viewer's bureau (rows that hold a person or a case carry its key) whose
    town (reached through `town_path`, e.g. "village__town") the viewer serves."""
    if viewer is not None and getattr(viewer, "bureau_id", None) and _has_bureau_key(queryset.model):
        queryset = queryset.filter(bureau_id=viewer.bureau_id)
    return queryset.filter(**{f"{town_path}__in": towns_for_viewer(viewer).values("pk")})


def visible_row(
    queryset: QuerySet[M] | HeldQuery[M], *, viewer: User | None, town_path: str, key: dict
) -> M | None:
    """The row with this unique key if `scope_to_viewer` keeps it, else None. When the viewer's towns
    are already read (an API key's holder carries them) and the row holds its town's key
    (`town_path` one relation), the row is read by its key alone and the rule checked on it here,
    sparing the database the scope's subquery; otherwise the scoped query answers. A held query
    (`HeldQuery`, a hot path's) is read by its SQL compiled once."""
    held = queryset if isinstance(queryset, HeldQuery) else None
    towns = getattr(viewer, "_served_town_ids", None)
    if towns is None or "__" in town_path:
        rows = held.queryset(**key) if held else queryset.filter(**key)
        return scope_to_viewer(rows, viewer=viewer, town_path=town_path).first()
    if role_of(viewer) is None:
        return None
    rows = held.rows(**key) if held else list(queryset.filter(**key).order_by()[:1])
    if not rows:
        return None
    row = rows[0]
    if viewer.bureau_id and _has_bureau_key(type(row)) and row.bureau_id != viewer.bureau_id:
        return None
    return row if getattr(row, f"{town_path}_id") in towns else None


@functools.cache
def bureau_path_of(model) -> str | None:
    """How a row of `model` reaches its bureau, as a lookup path: "pk" for a bureau, "bureau" for a row
    that carries its key, or through the first relation that leads to one ("town__bureau",
    "village__town__bureau"). None: a table every bureau shares (the catalogue, the calendar)."""
    return _bureau_path(model, Bureau, depth=3)


def _bureau_path(model, bureau_model, *, depth: int) -> str | None:
    if model is bureau_model:
        return "pk"
    relations = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for field in relations:
        if field.name == "bureau" and field.related_model is bureau_model:
            return "bureau"
    if depth == 0:
        return None
    for field in relations:
        if field.related_model is bureau_model or field.related_model is model:
            continue
        path = _bureau_path(field.related_model, bureau_model, depth=depth - 1)
        if path is not None and path != "pk":
            return f"{field.name}__{path}"
    return None


def scope_to_bureau(queryset: QuerySet[M], *, viewer: User | None) -> QuerySet[M]:
    """Keep only rows of the viewer's bureau (all of them for a platform administrator; a shared
    table whole). The administration site narrows every list and every choice with it."""
    if is_platform_admin(viewer):
        return queryset
    path = bureau_path_of(queryset.model)
    if path is None:
        return queryset
    bureau_id = getattr(viewer, "bureau_id", None)
    if bureau_id is None:
        return queryset.none()
    return queryset.filter(**{path: bureau_id})


def cadres_serving(*, town: Town | None = None) -> QuerySet[User]:
    """The active township cadres (of one town, or of any town), by username."""
    cadres = User.objects.filter(role=CADRE, is_active=True, towns__isnull=False)
    return (cadres.filter(towns=town) if town is not None else cadres).order_by("username")
