"""The one place that decides which towns a member of staff may see.

Every selector that reads personal data narrows its queryset with `scope_to_viewer`;
no view filters by town on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.geo.models import Town

M = TypeVar("M", bound=Model)


def towns_for_viewer(viewer: User | None) -> QuerySet[Town]:
    from linju.accounts.models import User
    from linju.geo.models import Town

    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return Town.objects.none()
    if viewer.is_superuser and viewer.bureau_id is None:
        return Town.objects.all()
    if viewer.role == User.Role.TOWNSHIP_CADRE:
        return Town.objects.filter(cadres=viewer, bureau_id=viewer.bureau_id)
    return Town.objects.filter(bureau_id=viewer.bureau_id)


def _has_bureau_key(model) -> bool:
    return any(f.name == "bureau" and f.is_relation for f in model._meta.concrete_fields)


def scope_to_viewer(queryset: QuerySet[M], *, viewer: User | None, town_path: str) -> QuerySet[M]:
    """Keep only rows of the viewer's bureau (rows that hold a person or a case carry its key) whose
    town (reached through `town_path`, e.g. "village__town") the viewer serves."""
    if viewer is not None and getattr(viewer, "bureau_id", None) and _has_bureau_key(queryset.model):
        queryset = queryset.filter(bureau_id=viewer.bureau_id)
    return queryset.filter(**{f"{town_path}__in": towns_for_viewer(viewer).values("pk")})


def viewer_may_unmask(viewer: User | None) -> bool:
    """Who may see whole ID numbers and phones (each time recorded in the audit log).

    Staff who handle residents' requests may; leaders work from figures and see masked values only.
    """
    from linju.accounts.models import User

    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.is_superuser:
        return True
    return viewer.role in {
        User.Role.DISTRICT_ADMIN,
        User.Role.DISTRICT_STAFF,
        User.Role.TOWNSHIP_CADRE,
    }


def viewer_may_export_personal(viewer: User | None) -> bool:
    """Who may take lists that name residents out of Linju (always masked, always audited): the
    same staff who handle residents' requests. Leaders work from figures."""
    return viewer_may_unmask(viewer)


def require_personal_export(viewer: User | None) -> None:
    """Every export of personal data passes here first."""
    from django.utils.translation import gettext_lazy as _

    from linju.core.errors import PermissionDenied

    if not viewer_may_export_personal(viewer):
        raise PermissionDenied(_("Your role may not export personal data."))
    if viewer.bureau_id is None:
        raise PermissionDenied(
            _("Your account belongs to no bureau: an export is taken from one bureau's records.")
        )


def require_staff_work(actor: User, refusal) -> None:
    """Leaders (administrators aside) read figures and follow the work; they do not do the staff's
    work. Every service that is staff's work passes here first, with its own refusal in plain words."""
    from linju.accounts.models import User
    from linju.core.errors import PermissionDenied

    if actor.role == User.Role.LEADER and not actor.is_superuser:
        raise PermissionDenied(refusal)


def viewer_is_administrator(viewer: User | None) -> bool:
    from linju.accounts.models import User

    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.is_superuser or viewer.role == User.Role.DISTRICT_ADMIN
