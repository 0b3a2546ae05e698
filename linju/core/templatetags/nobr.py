"""`nobr`: a value read as one piece — a date, a time, a phone number, a case or ID number — kept on
one line wherever it is printed. Chromium breaks a line after a hyphen before a digit, so on a
phone "2026-12-07" came out as "2026-" / "12-07" and "023-48700017" as "023-" / "48700017".

    {{ case.promised_date|date:"Y-m-d"|nobr }}   {{ station.phone|nobr }}   {{ case.number|nobr }}
    {{ station.opening_hours|nobr_within }}   (a text: each time, date or phone in it kept whole)

It wraps the value in <span class="nobr"> (white-space: nowrap in linju.css), so what is copied from
the page is the number as it was. Loaded in every template (settings: TEMPLATES "builtins"), as
`date` is, since nearly every page prints one."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# what `nobr_within` keeps whole inside a text: times and their ranges (9:00–12:00), dates and months
# (2031年5月), ages and spans in years and months (61岁4个月, 15年6个月), phones
_WHOLE = re.compile(
    r"\d{1,2}:\d{2}(?:\s*[–-]\s*\d{1,2}:\d{2})?|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|\d{1,2}[岁年]\d{1,2}个月"
    r"|\d{3,4}-\d{7,8}|1\d{10}"
)


@register.filter(is_safe=True)
def nobr(value):
    if value is None or value == "":
        return ""
    return format_html('<span class="nobr">{}</span>', value)


@register.filter(is_safe=True)
def nobr_within(text):
    """A sentence that holds times, dates or phones (a station's opening hours: "周一至周五
    9:00–12:00, 14:00–17:30"): the sentence wraps as usual, each of those stays whole."""
    if text is None or text == "":
        return ""
    escaped = str(conditional_escape(text))
    return mark_safe(_WHOLE.sub(lambda m: f'<span class="nobr">{m.group(0)}</span>', escaped))
