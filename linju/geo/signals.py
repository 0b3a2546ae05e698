"""Towns and villages are held with the places (selectors.town_by_id, village_by_code): one created,
renamed, moved or removed, by whatever writer, says so."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Town, Village
from .selectors import places_changed


@receiver([post_save, post_delete], sender=Town)
@receiver([post_save, post_delete], sender=Village)
def a_town_or_village_changed(sender, **kwargs) -> None:
    places_changed()
