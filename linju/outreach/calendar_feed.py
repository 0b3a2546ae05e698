"""A staff member's iCalendar feed: booth days, village visits and home tasks."""

from __future__ import annotations

import datetime

from django.utils import timezone
from icalendar import Calendar, Event

from .models import BoothSession, HomeTask, VisitRecord

PAST_DAYS = 60


def staff_calendar(user) -> bytes:
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    calendar = Calendar()
    calendar.add("prodid", "-//Linju//outreach//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"邻居 · {user}")
    tz = timezone.get_current_timezone()
    for booth in (
        BoothSession.objects.filter(staff=user, date__gte=since)
        .exclude(status="cancelled")
        .select_related("market__town")
    ):
        event = Event()
        event.add("uid", f"booth-{booth.pk}@linju")
        event.add("summary", f"赶场服务 · {booth.market.town.name}{booth.market.name}")
        event.add("dtstart", datetime.datetime.combine(booth.date, datetime.time(8, 0), tzinfo=tz))
        event.add("dtend", datetime.datetime.combine(booth.date, datetime.time(12, 0), tzinfo=tz))
        event.add("location", booth.market.name)
        calendar.add_component(event)
    for visit in VisitRecord.objects.filter(cadres=user, date__gte=since).select_related("village__town"):
        event = Event()
        event.add("uid", f"visit-{visit.pk}@linju")
        event.add("summary", f"走访 · {visit.village.town.name}{visit.village.name}")
        event.add("dtstart", visit.date)
        calendar.add_component(event)
    for task in HomeTask.objects.filter(assigned_to=user, status="open").select_related("resident__village"):
        event = Event()
        event.add("uid", f"home-task-{task.pk}@linju")
        event.add("summary", f"上门服务 · {task.get_kind_display()} · {task.resident.village.name}")
        event.add("dtstart", task.due_date)
        calendar.add_component(event)
    return calendar.to_ical()
