"""A case taken at a market belongs to that market's booth of the day: the field, and the cases taken
before it, matched to their booth — the booth of a consultation turned into the case, else the booth
planned or held at the case's market on the (Beijing) day it was accepted. A planned booth that took
a case was held. Cases taken at a market with no booth that day stay the market's alone."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def match_cases_to_their_booths(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    BoothSession = apps.get_model("outreach", "BoothSession")
    Consultation = apps.get_model("outreach", "Consultation")
    by_consultation = dict(
        Consultation.objects.filter(case__isnull=False, case__taken_at_market__isnull=False).values_list(
            "case_id", "booth_id"
        )
    )
    booth_of_day = {
        (market_id, day): pk
        for pk, market_id, day in BoothSession.objects.exclude(status="cancelled").values_list(
            "pk", "market_id", "date"
        )
    }
    matched = []
    for pk, market_id, accepted_at in Case.objects.filter(
        taken_at_market__isnull=False, booth__isnull=True
    ).values_list("pk", "taken_at_market_id", "accepted_at"):
        booth_id = by_consultation.get(pk) or booth_of_day.get((market_id, timezone.localdate(accepted_at)))
        if booth_id is not None:
            matched.append(Case(pk=pk, booth_id=booth_id))
    Case.objects.bulk_update(matched, ["booth"], batch_size=500)
    BoothSession.objects.filter(status="planned", pk__in={c.booth_id for c in matched}).update(status="held")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_photos_and_offline_keys"),
        ("outreach", "0009_booth_reminders_asked_for"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="booth",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="outreach.boothsession",
                verbose_name="market-day booth",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(("booth__isnull", True), ("taken_at_market__isnull", False), _connector="OR"),
                name="case_booth_is_at_a_market",
            ),
        ),
        migrations.RunPython(match_cases_to_their_booths, migrations.RunPython.noop),
    ]
