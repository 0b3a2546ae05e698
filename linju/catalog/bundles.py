"""Reads of bundles (一件事): which are offered on a day, their parts and the office that finishes
each, and the one form and one list of papers merged from their items.

The merge is derived, never stored, so it cannot drift from the items: each question an item's form
asks (`ItemQuestion` → `FormQuestion`, one row per thing asked) is asked once, with every part that
needs it; each material is asked once, the same paper being the same name once spaces, punctuation
and full-width letters are set aside (`search.normalized`: 居民身份证 = 居民身份证 · = 居民 身份证),
required when any part requires it. Public reads: nothing here is scoped to a viewer.

Bundles are held in each process like the catalogue (linju/core/versioned.py), read again only
after a change of a bundle, a partner office or the catalogue (`bundles_changed`, and
`catalogue_changed` bumps them too): no query while nothing changed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core import versioned
from linju.core.errors import NotFound

from .models import Bundle, BundlePart, BundleVersion, FormQuestion, ItemQuestion, Material, ServiceItem
from .search import SearchIndex, normalized

BUNDLES = "catalog.bundles"


@dataclass(frozen=True)
class MergedQuestion:
    """A question of the merged form, asked once, and the parts' items that need it."""

    question: FormQuestion
    required: bool  # some item needs an answer
    items: tuple[ServiceItem, ...]


@dataclass(frozen=True)
class MergedMaterial:
    """A paper of the merged list, asked once, and the parts' items that need it."""

    name: str  # as the first item that asks it writes it
    required: bool  # some item requires it
    notes: tuple[str, ...]  # each item's note, once each
    items: tuple[ServiceItem, ...]


@dataclass(frozen=True)
class HeldVersion:
    """A version of a bundle with its parts (item and partner office read), lead first, then in
    their order, and its merged form and papers."""

    version: BundleVersion
    parts: tuple[BundlePart, ...]
    questions: tuple[MergedQuestion, ...]
    materials: tuple[MergedMaterial, ...]

    @property
    def lead(self) -> BundlePart | None:
        return next((part for part in self.parts if part.is_lead), None)

    def in_force_on(self, day: datetime.date) -> bool:
        return self.version.in_force_on(day)

    @property
    def time_limit_days(self) -> int:
        """The longest promise of its parts: the bundle's answer comes when its last part's does."""
        return max((part.item.time_limit_days for part in self.parts), default=0)


@dataclass(frozen=True)
class HeldBundle:
    bundle: Bundle
    versions: tuple[HeldVersion, ...]  # in date order

    def version_on(self, day: datetime.date) -> HeldVersion | None:
        return next((held for held in self.versions if held.in_force_on(day)), None)


@dataclass(frozen=True)
class _Bundles:
    bundles: list[HeldBundle]  # by code
    by_code: dict[str, HeldBundle] = field(default_factory=dict)

    @cached_property
    def search_index(self) -> SearchIndex:
        """The catalogue's search over the bundles' names, keywords and descriptions (characters,
        sound, typed pinyin and initials: tuixiu, txyjs), built at the first search of this version
        of the bundles, then held with it: no query."""
        return SearchIndex([entry.bundle for entry in self.bundles], {})


def merge_form(
    parts: list[BundlePart] | tuple[BundlePart, ...],
    *,
    questions: dict[int, list[ItemQuestion]],
    materials: dict[int, list[Material]],
) -> tuple[tuple[MergedQuestion, ...], tuple[MergedMaterial, ...]]:
    """The one form and the one list of papers of the parts, each thing asked once, in the order the
    parts (then each item's own order) first ask it. `questions` and `materials` are each item's
    own, by item id."""
    asked: dict[int, dict] = {}
    papers: dict[str, dict] = {}
    for part in parts:
        item = part.item
        for asks in questions.get(item.pk, ()):
            entry = asked.setdefault(
                asks.question_id, {"question": asks.question, "required": False, "items": []}
            )
            entry["required"] |= asks.required
            if item not in entry["items"]:
                entry["items"].append(item)
        for material in materials.get(item.pk, ()):
            key = normalized(material.name) or material.name
            entry = papers.setdefault(
                key, {"name": material.name, "required": False, "notes": [], "items": []}
            )
            entry["required"] |= material.required
            if material.note and material.note not in entry["notes"]:
                entry["notes"].append(material.note)
            if item not in entry["items"]:
                entry["items"].append(item)
    return (
        tuple(
            MergedQuestion(question=e["question"], required=e["required"], items=tuple(e["items"]))
            for e in asked.values()
        ),
        tuple(
            MergedMaterial(
                name=e["name"], required=e["required"], notes=tuple(e["notes"]), items=tuple(e["items"])
            )
            for e in papers.values()
        ),
    )


def _form_of_items(item_ids) -> tuple[dict[int, list[ItemQuestion]], dict[int, list[Material]]]:
    """Each item's questions and materials, by item id (two queries)."""
    questions: dict[int, list[ItemQuestion]] = {}
    for asks in ItemQuestion.objects.filter(item_id__in=item_ids).select_related("question"):
        questions.setdefault(asks.item_id, []).append(asks)
    materials: dict[int, list[Material]] = {}
    for material in Material.objects.filter(item_id__in=item_ids).order_by("position", "id"):
        materials.setdefault(material.item_id, []).append(material)
    return questions, materials


def version_form(version: BundleVersion) -> tuple[tuple[MergedQuestion, ...], tuple[MergedMaterial, ...]]:
    """The merged form and papers of a version as the database has them now (the admin shows it
    beside the parts): three queries."""
    parts = list(version.parts.select_related("item").order_by("-is_lead", "position", "id"))
    questions, materials = _form_of_items({part.item_id for part in parts})
    return merge_form(parts, questions=questions, materials=materials)


def _read_bundles() -> _Bundles:
    bundles = list(Bundle.objects.select_related("bureau").order_by("code"))
    versions: dict[int, list[BundleVersion]] = {}
    for version in BundleVersion.objects.order_by("valid_from", "id"):
        versions.setdefault(version.bundle_id, []).append(version)
    parts: dict[int, list[BundlePart]] = {}
    for part in BundlePart.objects.select_related("item__category", "partner").order_by(
        "-is_lead", "position", "id"
    ):
        parts.setdefault(part.version_id, []).append(part)
    questions, materials = _form_of_items({part.item_id for listed in parts.values() for part in listed})
    held = []
    for bundle in bundles:
        held_versions = []
        for version in versions.get(bundle.pk, ()):
            version_parts = tuple(parts.get(version.pk, ()))
            merged_questions, merged_materials = merge_form(
                version_parts, questions=questions, materials=materials
            )
            version.bundle = bundle
            held_versions.append(HeldVersion(version, version_parts, merged_questions, merged_materials))
        held.append(HeldBundle(bundle=bundle, versions=tuple(held_versions)))
    return _Bundles(bundles=held, by_code={entry.bundle.code: entry for entry in held})


def _held() -> _Bundles:
    """The bundles as this process holds them: shared by every request, read them, never change them."""
    return versioned.held(BUNDLES, _read_bundles)


def bundles_changed() -> None:
    """Say that bundles, their versions or parts, or partner offices were written: every process
    reads them again."""
    versioned.changed(BUNDLES)


def retirement_opens_months(*, bureau_id: int) -> int | None:
    """How many months before their statutory retirement month the bureau's residents may apply to
    retire: the setting of the bureau's bundle that carries it (退休一件事,
    `opens_months_before_retirement`; one a bureau, `Bundle.clean`), None when none does (no wait).
    The one answer that intake applies and the calculator, its API and the text a year before say.
    Held: no query."""
    for entry in _held().bundles:  # by code: the first, should the database hold two
        if entry.bundle.bureau_id == bureau_id and entry.bundle.opens_months_before_retirement is not None:
            return entry.bundle.opens_months_before_retirement
    return None


@dataclass(frozen=True)
class Offered:
    """A bundle as it stands on a day: the bundle and its version in force."""

    entry: HeldBundle  # every version, for a day other than the one asked
    held: HeldVersion

    @property
    def bundle(self) -> Bundle:
        return self.entry.bundle

    @property
    def code(self) -> str:
        return self.entry.bundle.code

    @property
    def parts(self) -> tuple[BundlePart, ...]:
        return self.held.parts


def bundle_list(*, on_date: datetime.date | None = None, bureau_id: int | None = None) -> list[Offered]:
    """The bundles offered on the day (today by default: a version in force, with its lead part), by
    code; of one bureau when it is named. Held: no query."""
    on_date = on_date or timezone.localdate()
    offered = []
    for entry in _held().bundles:
        if bureau_id is not None and entry.bundle.bureau_id != bureau_id:
            continue
        version = entry.version_on(on_date)
        if version is not None and version.lead is not None:
            offered.append(Offered(entry=entry, held=version))
    return offered


def bundle_search(
    *, query: str, on_date: datetime.date | None = None, bureau_id: int | None = None
) -> list[Offered]:
    """The bundles offered on the day that a resident's words find, best first, as the catalogue's
    search finds items (`search.SearchIndex`); all of them, by code, for no words. Held: no query."""
    offered = {entry.code: entry for entry in bundle_list(on_date=on_date, bureau_id=bureau_id)}
    if not normalized(query):
        return list(offered.values())
    found = _held().search_index.search(query, keep=lambda bundle: bundle.code in offered)
    return [offered[bundle.code] for bundle in found.items]


def bundles_with_items(
    *, codes: set[str] | list[str], on_date: datetime.date | None = None, bureau_id: int | None = None
) -> list[Offered]:
    """The bundles offered on the day that have a part doing any of the items named, by code (the
    self-check lists them beside the items a person may apply for). Held: no query."""
    wanted = set(codes)
    return [
        offered
        for offered in bundle_list(on_date=on_date, bureau_id=bureau_id)
        if any(part.item.code in wanted for part in offered.parts)
    ]


def bundle_get(*, code: str, on_date: datetime.date | None = None) -> Offered:
    """The bundle with the code as it stands on the day (today by default): NotFound when there is
    none or no version of it is in force then."""
    on_date = on_date or timezone.localdate()
    entry = _held().by_code.get(code)
    version = entry.version_on(on_date) if entry is not None else None
    if version is None or version.lead is None:
        raise NotFound(
            _("No bundle with code %(code)s is offered on %(date)s."), params={"code": code, "date": on_date}
        )
    return Offered(entry=entry, held=version)


def bundle_version_overlapping(
    *,
    bundle: Bundle,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    exclude_id: int | None = None,
) -> BundleVersion | None:
    """An existing version of the bundle whose dates meet [valid_from, valid_to]."""
    clashes = BundleVersion.objects.filter(bundle=bundle).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        clashes = clashes.filter(valid_from__lte=valid_to)
    if exclude_id:
        clashes = clashes.exclude(pk=exclude_id)
    return clashes.order_by("valid_from").first()
