"""The administration site keeps a bureau's administrator inside their bureau, for every table it
lists; only a platform administrator (a superuser of no bureau) sees every bureau."""

import datetime

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.contrib.admin.options import InlineModelAdmin
from django.db import transaction
from django.urls import reverse

from linju.access.admin_scope import BureauScopedAdmin, BureauScopedMixin, PlatformOnlyAdmin
from linju.access.scoping import bureau_path_of
from linju.accounts.models import User
from linju.accounts.tests.factories import AdminFactory
from linju.audit.models import AuditEvent
from linju.cases.models import Case, FollowUp
from linju.catalog.models import Delegation
from linju.eligibility.models import DiscoveryRun
from linju.geo.models import Bureau, Town
from linju.pensions.models import FormerRetirementAge, RetirementNotice
from linju.people.models import Resident

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)

# the tables every bureau shares: seen whole by each bureau's administrator
SHARED = {
    "auth.Group",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "catalog.Category",
    "catalog.FormQuestion",
    "catalog.ItemAlias",
    "catalog.ServiceItem",
    "eligibility.EligibilityRule",
    "geo.District",
    "gigs.WorkType",
    "workdays.Holiday",
    "workdays.ScheduleYear",
}


@pytest.fixture(scope="module")
def demo_bureaus(demo_for_module, django_db_blocker):
    """The demo's two bureaus, with a row of each in the tables the demo leaves empty: committed once
    for the module, whose tests only read them."""
    with django_db_blocker.unblock(), transaction.atomic():
        return _with_a_row_in_every_table()


@pytest.fixture
def bureaus(demo_bureaus, demo_read):
    return demo_bureaus


def _with_a_row_in_every_table():
    qijiang, wansheng = Bureau.objects.get(zone="綦江"), Bureau.objects.get(zone="万盛经开区")
    for bureau in (qijiang, wansheng):
        actor = User.objects.filter(bureau=bureau).order_by("pk").first()
        town = Town.objects.filter(bureau=bureau).order_by("pk").first()
        AuditEvent.objects.create(bureau=bureau, actor=actor, action="record_viewed", object_type="resident")
        DiscoveryRun.objects.create(bureau=bureau, started_by=actor, town=town)
        case = Case.objects.filter(bureau=bureau).order_by("pk").first()
        FollowUp.objects.create(bureau=bureau, case=case, town=case.town, reason="不满意")
        woman = Resident.objects.filter(bureau=bureau, sex="F").order_by("pk").first()
        FormerRetirementAge.objects.create(bureau=bureau, resident=woman, former_age=55)
        RetirementNotice.objects.create(
            bureau=bureau, resident=woman, retirement_month=datetime.date(2030, 1, 1), phone="13800000000"
        )
    return qijiang, wansheng


@pytest.fixture
def bureau_admin(bureaus):
    return User.objects.get(username="admin")


@pytest.fixture
def platform_admin(bureaus):
    return AdminFactory(username="platform", is_superuser=True, bureau=None)


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def rows_of(model, bureau):
    return model._default_manager.filter(**{bureau_path_of(model): bureau.pk})


def choice_fields(response):
    """The relation fields of the form a change or add page shows, its inlines' included (not the
    hidden key of an inline's row: the formset reads a row from the inline's narrowed queryset)."""
    context = response.context
    form_list = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        form_list += [inline.formset.empty_form, *inline.formset.forms]
    for form in form_list:
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField) and name != form._meta.model._meta.pk.name:
                yield name, field


def test_every_admin_and_inline_is_narrowed_to_the_bureau():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, BureauScopedAdmin), model._meta.label
        for inline in model_admin.inlines:
            assert issubclass(inline, BureauScopedMixin) and issubclass(inline, InlineModelAdmin), inline


def test_the_shared_tables_are_only_those_no_bureau_holds():
    assert {m._meta.label for m in REGISTERED if bureau_path_of(m) is None} == SHARED


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_a_bureau_administrator_sees_and_chooses_only_their_bureau(client, bureaus, bureau_admin, model):
    qijiang, wansheng = bureaus
    model_admin = admin.site._registry[model]
    client.force_login(bureau_admin)
    listing = client.get(url(model, "changelist"))
    if isinstance(model_admin, PlatformOnlyAdmin):
        assert listing.status_code == 403
        assert client.get(url(model, "add")).status_code == 403
        return
    assert listing.status_code == 200
    path = bureau_path_of(model)
    if path is None:
        assert listing.context["cl"].result_count == model._default_manager.count()
        return
    theirs, ours = rows_of(model, wansheng), rows_of(model, qijiang)
    assert theirs.exists() and ours.exists()
    assert listing.context["cl"].result_count == ours.count()
    assert not listing.context["cl"].queryset.filter(pk__in=theirs.values("pk")).exists()
    for spec in listing.context["cl"].filter_specs:  # a related filter offers only our values
        if isinstance(spec, RelatedFieldListFilter) and bureau_path_of(spec.field.related_model):
            offered = [value for value, _label in spec.lookup_choices]
            assert rows_of(spec.field.related_model, qijiang).filter(pk__in=offered).count() == len(offered)

    # another bureau's row answers as a missing one does
    missing = client.get(url(model, "change", 987654321))
    other = client.get(url(model, "change", theirs.order_by("pk").first().pk))
    assert other.status_code == missing.status_code == 302
    assert other["Location"] == missing["Location"] == reverse("admin:index")
    deleting = client.get(url(model, "delete", theirs.order_by("pk").first().pk))
    assert deleting.status_code == client.get(url(model, "delete", 987654321)).status_code in (302, 403)

    page = client.get(url(model, "change", ours.order_by("pk").first().pk))
    assert page.status_code == 200
    for name, field in choice_fields(page):
        related = field.queryset.model
        if bureau_path_of(related) is not None:
            assert not field.queryset.filter(pk__in=rows_of(related, wansheng).values("pk")).exists(), name
    form_fields = dict(choice_fields(page))
    if path == "bureau":
        assert "bureau" not in form_fields
        assert "bureau" in model_admin.get_readonly_fields(page.wsgi_request, ours.first())

    add = client.get(url(model, "add"))
    assert add.status_code in (200, 403)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_platform_administrator_sees_every_bureau(client, bureaus, platform_admin, model):
    _qijiang, wansheng = bureaus
    client.force_login(platform_admin)
    listing = client.get(url(model, "changelist"))
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == model._default_manager.count()
    if bureau_path_of(model) is not None:
        theirs = rows_of(model, wansheng).order_by("pk").first()
        assert client.get(url(model, "change", theirs.pk)).status_code == 200
    assert client.get(url(model, "add")).status_code in (200, 403)


def test_the_bureau_of_a_new_member_of_staff_is_the_administrators_own(client, bureaus, bureau_admin):
    qijiang, wansheng = bureaus
    client.force_login(bureau_admin)
    response = client.post(
        url(User, "add"),
        {
            "username": "new_clerk",
            "usable_password": "true",
            "password1": "a-long-pass-2026!",
            "password2": "a-long-pass-2026!",
            "display_name": "新科员",
            "role": User.Role.DISTRICT_STAFF,
            "bureau": wansheng.pk,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="new_clerk").bureau == qijiang


def test_a_bureau_administrator_cannot_move_a_resident_to_another_bureau(client, bureaus, bureau_admin):
    from linju.people.models import Resident

    qijiang, wansheng = bureaus
    client.force_login(bureau_admin)
    resident = Resident.objects.filter(bureau=qijiang).order_by("pk").first()
    their_village = rows_of(Town, wansheng).first().villages.first()
    page = client.get(url(Resident, "change", resident.pk))
    data = {
        name: field.prepare_value(page.context["adminform"].form.initial.get(name))
        for name, field in page.context["adminform"].form.fields.items()
    }
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"village": their_village.pk, "bureau": wansheng.pk})
    response = client.post(url(Resident, "change", resident.pk), data)
    assert response.status_code == 200  # the village is not one of ours: the form says so
    assert "village" in response.context["adminform"].form.errors
    resident.refresh_from_db()
    assert resident.bureau == qijiang and resident.village.town.bureau == qijiang


def test_the_history_of_another_bureaus_delegation_is_not_found(client, bureaus, bureau_admin):
    _qijiang, wansheng = bureaus
    client.force_login(bureau_admin)
    theirs = rows_of(Delegation, wansheng).order_by("pk").first()
    assert client.get(url(Delegation, "history", theirs.pk)).status_code == 404


def test_the_town_autocomplete_offers_only_the_bureaus_towns(client, bureaus, bureau_admin):
    qijiang, _wansheng = bureaus
    client.force_login(bureau_admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": "delegation", "field_name": "town", "term": ""},
    )
    assert response.status_code == 200
    offered = {int(row["id"]) for row in response.json()["results"]}
    assert offered and offered <= set(Town.objects.filter(bureau=qijiang).values_list("pk", flat=True))


def test_only_the_platform_administrator_sets_the_bureau_of_staff(
    client, bureaus, platform_admin, bureau_admin
):
    from linju.people.models import Resident

    _qijiang, wansheng = bureaus
    client.force_login(platform_admin)
    staff_form = client.get(url(User, "change", bureau_admin.pk)).context["adminform"].form
    resident = Resident.objects.order_by("pk").first()
    resident_form = client.get(url(Resident, "change", resident.pk)).context["adminform"].form
    assert "bureau" in staff_form.fields and "bureau" not in resident_form.fields
    client.force_login(bureau_admin)
    assert "bureau" not in client.get(url(User, "change", bureau_admin.pk)).context["adminform"].form.fields


def test_a_member_of_staff_without_a_bureau_is_refused_in_plain_words(client, bureaus, platform_admin):
    client.force_login(platform_admin)
    response = client.post(
        url(User, "add"),
        {
            "username": "nobodys_clerk",
            "usable_password": "true",
            "password1": "a-long-pass-2026!",
            "password2": "a-long-pass-2026!",
            "display_name": "无局科员",
            "role": User.Role.DISTRICT_STAFF,
            "bureau": "",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "只有平台超级管理员不属于任何局" in response.content.decode()
    assert not User.objects.filter(username="nobodys_clerk").exists()
