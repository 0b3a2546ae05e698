"""What a place does with a request for an item on a day: refuses it (kept for the district hall, or
not taken this way), accepts it and forwards it to the district the same day (代办), or finishes it
there (办结). The one rule: intake applies it, and every answer to a resident or a cadre reads it —
"where can I do this", the item page, the village page, the town card, the booth's page and the
field app. Acceptance is not delegation: a station, a booth or a home visit takes every item not
kept for the hall; a delegation in force says only whether the station finishes it. Read from the
held catalogue: no query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from linju.geo.models import Town

from .bundles import HeldBundle, Offered, bundle_list
from .models import ITEM_CHANNELS, Channel, Delegation, ServiceItem
from .selectors import delegation_in_force, item_list

# in person, a station, booth or visit takes every item not kept for the hall; by phone or online,
# only the items the catalogue lists for that channel
IN_PERSON = frozenset({Channel.COUNTER, Channel.BOOTH, Channel.HOME_VISIT})


class PlaceKind(models.TextChoices):
    """The kinds of place a request is handed in at."""

    STATION = "station", _("township station")
    BOOTH = "booth", _("market-day booth")
    VILLAGE = "village", _("home visit")
    HALL = "hall", _("district service hall")


# the channel a request comes by at each kind of place, unless said otherwise
PLACE_CHANNEL = {
    PlaceKind.STATION: Channel.COUNTER,
    PlaceKind.BOOTH: Channel.BOOTH,
    PlaceKind.VILLAGE: Channel.HOME_VISIT,
    PlaceKind.HALL: Channel.COUNTER,
}


class Verdict(models.TextChoices):
    FINISH = "finish", _("finished here")
    FORWARD = "forward", _("accepted here, sent to the district bureau the same day")
    HALL_ONLY = "hall_only", _("only at the district service hall")
    NOT_THIS_CHANNEL = "not_this_channel", _("not taken this way")


REFUSED = frozenset({Verdict.HALL_ONLY, Verdict.NOT_THIS_CHANNEL})
ACCEPTED = frozenset({Verdict.FINISH, Verdict.FORWARD})
# the least a forwarded item promises: the district has it only once the papers arrive
FORWARD_MIN_DAYS = 1


def channel_takes(item: ServiceItem, channel: str) -> bool:
    """In person every channel takes the item; by phone or online, only the channels it lists. The
    bureau's own offer (免申即享) takes every item it offers: the resident's yes is the request, for
    their own town's station or the district, as a request by phone is (see TAKEN_AT); the intake
    lets only the offers app use it (`Intake.offered`)."""
    return channel in IN_PERSON or channel == Channel.OFFER or item.accepts(channel)


def finishes_at_station(item: ServiceItem, town: Town, day: datetime.date) -> bool:
    """The town's station finishes the item (办结) by a delegation in force on the day."""
    delegation = delegation_in_force(item=item, town=town, on_date=day)
    return delegation is not None and delegation.mode == Delegation.Mode.FINISH


def _refusal(item: ServiceItem, kind: str, channel: str) -> Verdict | None:
    """Why a place of the kind refuses the item coming by the channel, or None: it takes it."""
    if item.hall_only and kind != PlaceKind.HALL:
        return Verdict.HALL_ONLY
    if not channel_takes(item, channel):
        return Verdict.NOT_THIS_CHANNEL
    return None


def verdict(
    *, item: ServiceItem, kind: str, town: Town, on_date: datetime.date, channel: str | None = None
) -> Verdict:
    """What a place of this kind in the town does with a request for the item on the day."""
    refused = _refusal(item, kind, channel or PLACE_CHANNEL[kind])
    if refused:
        return refused
    if kind == PlaceKind.HALL or finishes_at_station(item, town, on_date):
        return Verdict.FINISH
    return Verdict.FORWARD


def promised_days(item: ServiceItem, said: Verdict | None) -> int:
    """The working days promised for the item as a place takes it: the item's time limit, except that
    an item sent on to the district (代办) is never done on the spot — the papers reach the district
    the same day and it answers from there — so it promises at least one working day. The intake,
    its step-1 table and every answer read this, so no receipt says 当场办结 for a forwarded case."""
    if said == Verdict.FORWARD:
        return max(item.time_limit_days, FORWARD_MIN_DAYS)
    return item.time_limit_days


def bundle_verdict(
    *, bundle: HeldBundle, kind: str, town: Town, on_date: datetime.date, channel: str | None = None
) -> Verdict | None:
    """What a place of this kind in the town does with a bundle (一件事) on the day; None when the
    bundle is not offered there that day (no version with a lead part in force, or the town is of
    another bureau). The rule: a place takes a bundle when it takes the bundle's lead part — its
    intake — and does with it what it does with that part (finishes it here, or accepts it and
    sends it to the district the same day); the other parts are sent on from the one intake to the
    office that finishes each (the district, or a partner office). So a bundle is refused where its
    lead part is: kept for the hall, or not taken by this channel."""
    version = bundle.version_on(on_date)
    if version is None or version.lead is None or bundle.bundle.bureau_id != town.bureau_id:
        return None
    if not version.lead.item.in_force_on(on_date):
        return None
    return verdict(item=version.lead.item, kind=kind, town=town, on_date=on_date, channel=channel)


# where a request coming by each channel is taken: by phone or online, the station or the hall
TAKEN_AT = {
    Channel.COUNTER: (PlaceKind.STATION, PlaceKind.HALL),
    Channel.BOOTH: (PlaceKind.BOOTH,),
    Channel.HOME_VISIT: (PlaceKind.VILLAGE,),
    Channel.PHONE: (PlaceKind.STATION, PlaceKind.HALL),
    Channel.ONLINE: (PlaceKind.STATION, PlaceKind.HALL),
    Channel.OFFER: (PlaceKind.STATION, PlaceKind.HALL),
}


def ways_to_hand_in(item: ServiceItem) -> list[str]:
    """The channels a request for the item can come by, in the order of `Channel`: in person
    wherever some place takes it, by phone or online where the item lists that channel (the rule's
    own refusals, which do not depend on the town or the day). The bureau's offer is not a way a
    resident hands a request in: it is never listed."""
    return [
        channel.value
        for channel in ITEM_CHANNELS
        if any(_refusal(item, kind, channel) is None for kind in TAKEN_AT[channel])
    ]


@dataclass(frozen=True)
class Offer:
    """Every item in force, as a place of one kind in one town takes it on a day, in the catalogue's
    order: what it finishes, what it accepts for the district, what it refuses."""

    items: list[ServiceItem]
    verdicts: dict[str, Verdict]  # item code -> what the place does with it

    def _with(self, *said: Verdict) -> list[ServiceItem]:
        return [item for item in self.items if self.verdicts[item.code] in said]

    @property
    def accepted(self) -> list[ServiceItem]:
        """What can be handed in here, finished here or sent on."""
        return self._with(Verdict.FINISH, Verdict.FORWARD)

    @property
    def finish(self) -> list[ServiceItem]:
        return self._with(Verdict.FINISH)

    @property
    def forward(self) -> list[ServiceItem]:
        return self._with(Verdict.FORWARD)

    @property
    def refused(self) -> list[ServiceItem]:
        return self._with(*REFUSED)


def offer(*, kind: str, town: Town, on_date: datetime.date, channel: str | None = None) -> Offer:
    """What a place of the kind in the town takes on the day, item by item (the held catalogue)."""
    items = item_list(on_date=on_date)
    return Offer(
        items=items,
        verdicts={
            item.code: verdict(item=item, kind=kind, town=town, on_date=on_date, channel=channel)
            for item in items
        },
    )


def bundles_taken(
    *, kind: str, town: Town, on_date: datetime.date, channel: str | None = None
) -> list[Offered]:
    """The bundles (一件事) a place of the kind in the town takes on the day, by code: its bureau's
    bundles whose lead part it takes (`bundle_verdict`). Held: no query."""
    return [
        offered
        for offered in bundle_list(on_date=on_date, bureau_id=town.bureau_id)
        if bundle_verdict(bundle=offered.entry, kind=kind, town=town, on_date=on_date, channel=channel)
        in ACCEPTED
    ]
