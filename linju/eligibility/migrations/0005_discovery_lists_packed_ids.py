import struct

from django.db import migrations, models


def to_bytes(apps, schema_editor):
    DiscoveryList = apps.get_model("eligibility", "DiscoveryList")
    for outreach_list in DiscoveryList.objects.iterator(chunk_size=500):
        ids = outreach_list.residents
        outreach_list.packed_ids = struct.pack(f"<{len(ids)}q", *ids)
        outreach_list.save(update_fields=["packed_ids"])


def to_json(apps, schema_editor):
    DiscoveryList = apps.get_model("eligibility", "DiscoveryList")
    for outreach_list in DiscoveryList.objects.iterator(chunk_size=500):
        data = bytes(outreach_list.packed_ids)
        outreach_list.residents = list(struct.unpack(f"<{len(data) // 8}q", data))
        outreach_list.save(update_fields=["residents"])


class Migration(migrations.Migration):
    dependencies = [
        ("eligibility", "0004_facts_as_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="discoverylist",
            name="packed_ids",
            field=models.BinaryField(default=b""),
        ),
        migrations.RunPython(to_bytes, to_json),
        migrations.RemoveField(
            model_name="discoverylist",
            name="residents",
        ),
    ]
