"""What the cases API answers for a bundle case (一件事): the bundle first, then its parts, each with
its own promise, the office that finishes it and, for a partner office's part, its dispatch (送达)."""

import datetime
import decimal
from typing import Literal

from django.utils import timezone
from ninja import Schema

from linju.people.shown import name_shown

from .promises import case_promise, promise_sentence
from .services.bundle_follow import bundle_promise_sentence


def _viewer(context):
    return getattr((context or {}).get("request"), "user", None)


class DispatchOut(Schema):
    partner: str
    delivery: str
    sent_to: str
    papers: list[str]
    sent_at: datetime.datetime
    answered_at: datetime.datetime | None = None
    answer: str

    @staticmethod
    def resolve_partner(obj) -> str:
        return obj.partner.name if obj.partner_id else ""


class PartOut(Schema):
    number: str
    item_code: str
    item: str
    office: str
    partner: bool
    status: str
    level: str
    promised_date: datetime.date
    promised_estimated: bool
    promise: str
    materials_received: list[str]
    materials_missing: list[str]
    outcome: str
    outcome_detail: str
    outcome_amount: decimal.Decimal | None
    return_reason: str
    version: int
    dispatch: DispatchOut | None = None

    @staticmethod
    def resolve_item_code(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.name

    @staticmethod
    def resolve_partner(obj) -> bool:
        return obj.partner is not None

    @staticmethod
    def resolve_promise(obj) -> str:
        return promise_sentence(case_promise(obj), obj.office)

    @staticmethod
    def resolve_dispatch(obj):
        return obj.sent


class BundleCaseOut(Schema):
    kind: Literal["bundle"] = "bundle"
    number: str
    status: str
    bundle_code: str
    bundle: str
    channel: str
    town: str
    applicant: str
    accepted_at: datetime.datetime
    closed_at: datetime.datetime | None = None
    promise: str
    parts: list[PartOut]

    @staticmethod
    def resolve_bundle_code(obj) -> str:
        return obj.bundle.code

    @staticmethod
    def resolve_bundle(obj) -> str:
        return obj.bundle.name

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.town.name

    @staticmethod
    def resolve_applicant(obj, context) -> str:
        return name_shown(viewer=_viewer(context), name=obj.applicant.name)

    @staticmethod
    def resolve_accepted_at(obj) -> datetime.datetime:
        return timezone.localtime(obj.accepted_at)

    @staticmethod
    def resolve_promise(obj) -> str:
        return bundle_promise_sentence(obj.part_list)

    @staticmethod
    def resolve_parts(obj):
        return obj.part_list
