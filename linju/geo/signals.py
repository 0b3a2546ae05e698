"""Towns are held with the places (selectors.town_by_id): a town created, renamed, moved to another
bureau or removed, by whatever writer, says so."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Town
from .selectors import places_changed


@receiver([post_save, post_delete], sender=Town)
def a_town_changed(sender, **kwargs) -> None:
    places_changed()
