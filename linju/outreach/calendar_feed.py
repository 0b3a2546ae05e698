"""A staff member's iCalendar feed: booth days, village visits and home tasks.

Strict clients (Outlook, some Android calendars) refuse an event without DTSTAMP, and read a time
with a TZID only when the feed carries that zone's VTIMEZONE: every event has its stamp, and the
feed the Asia/Shanghai zone its booth hours are given in (RFC 5545, 3.6.1 and 3.6.5)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from .models import BOOTH_HOURS, BoothSession, HomeTask, VisitRecord

PAST_DAYS = 60


def _event(*, uid: str, summary: str, start, end=None, location: str = "", stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    if location:
        event.add("location", location)
    return event


def staff_calendar(user) -> bytes:
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    stamp = timezone.now().replace(microsecond=0).astimezone(datetime.UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//Linju//outreach//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"邻居 · {user}")
    tz = timezone.get_current_timezone()
    calendar.add("x-wr-timezone", str(tz))
    # the zone the booth hours are given in, always (a feed with no booth yet may get one tomorrow)
    calendar.add_component(Timezone.from_tzinfo(tz, tzid=str(tz), first_date=since))
    for booth in (
        BoothSession.objects.filter(staff=user, date__gte=since)
        .exclude(status="cancelled")
        .select_related("market__town")
    ):
        calendar.add_component(
            _event(
                uid=f"booth-{booth.pk}@linju",
                summary=f"赶场服务 · {booth.market.town.name}{booth.market.name}",
                start=datetime.datetime.combine(booth.date, BOOTH_HOURS[0], tzinfo=tz),
                end=datetime.datetime.combine(booth.date, BOOTH_HOURS[1], tzinfo=tz),
                location=booth.market.name,
                stamp=stamp,
            )
        )
    for visit in VisitRecord.objects.filter(cadres=user, date__gte=since).select_related("village__town"):
        calendar.add_component(
            _event(
                uid=f"visit-{visit.pk}@linju",
                summary=f"走访 · {visit.village.town.name}{visit.village.name}",
                start=visit.date,
                stamp=stamp,
            )
        )
    for task in HomeTask.objects.filter(assigned_to=user, status="open").select_related("resident__village"):
        calendar.add_component(
            _event(
                uid=f"home-task-{task.pk}@linju",
                summary=f"上门服务 · {task.get_kind_display()} · {task.resident.village.name}",
                start=task.due_date,
                stamp=stamp,
            )
        )
    return calendar.to_ical()
