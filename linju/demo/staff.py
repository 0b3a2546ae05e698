"""Demo staff accounts. Their names are made up; the password is printed by `make run`."""

from __future__ import annotations

from django.db import transaction

from linju.accounts.models import User
from linju.geo.models import Bureau, Town

DEMO_PASSWORD = "linju-demo-2026"

# username, display name, role, zone, towns served (cadres), Django admin access, mobile (synthetic)
DEMO_STAFF = [
    ("admin", "系统管理员(示例)", User.Role.DISTRICT_ADMIN, "綦江", [], True, ""),
    ("qj_staff", "区局业务科员(示例)", User.Role.DISTRICT_STAFF, "綦江", [], False, "13900000001"),
    ("qj_leader", "区局领导(示例)", User.Role.LEADER, "綦江", [], False, ""),
    (
        "yongxin_cadre",
        "永新镇社保干部(示例)",
        User.Role.TOWNSHIP_CADRE,
        "綦江",
        ["永新镇"],
        False,
        "13900000002",
    ),
    (
        "dongxi_cadre",
        "东溪镇社保干部(示例)",
        User.Role.TOWNSHIP_CADRE,
        "綦江",
        ["东溪镇"],
        False,
        "13900000003",
    ),
    (
        "ws_staff",
        "万盛经开区业务科员(示例)",
        User.Role.DISTRICT_STAFF,
        "万盛经开区",
        [],
        False,
        "13900000004",
    ),
]


@transaction.atomic
def create_staff() -> list[tuple[str, str, str]]:
    """Create the demo accounts that are missing; existing ones (and their passwords) are left alone."""
    rows = []
    for username, display, role, zone, town_names, admin, mobile in DEMO_STAFF:
        bureau = Bureau.objects.get(zone=zone)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display,
                "role": role,
                "bureau": bureau,
                "is_staff": admin,
                "is_superuser": admin,
                "mobile": mobile,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.towns.set(Town.objects.filter(name__in=town_names, bureau=bureau))
        rows.append((username, display, ",".join(town_names) or bureau.short_name))
    return rows
