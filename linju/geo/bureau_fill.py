"""Used once, by the migrations that gave every personal table its bureau key: each existing row
takes the bureau of the town it is reached through (the first of `paths` that leads to one), and a
row that leads to none (an old text message, an audit line of a user with no bureau) the first
bureau's. Fresh databases have no rows and skip all of it."""

from django.db.models import OuterRef, Subquery


def fill_bureau(apps, label: str, *paths: str) -> None:
    model = apps.get_model(*label.split("."))
    bureau = apps.get_model("geo", "Bureau")
    for path in paths:
        model.objects.filter(bureau__isnull=True).update(
            bureau_id=Subquery(model.objects.filter(pk=OuterRef("pk")).values(f"{path}_id")[:1])
        )
    first = bureau.objects.order_by("id").values_list("id", flat=True).first()
    if first is not None:
        model.objects.filter(bureau__isnull=True).update(bureau_id=first)


def filler(label: str, *paths: str):
    def run(apps, schema_editor):
        fill_bureau(apps, label, *paths)

    return run
