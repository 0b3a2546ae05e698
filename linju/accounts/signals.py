"""Key holders held by each process (services.api_token_user) are read again when what they say
changes: a key (revoked, deleted), a staff member (deactivated, another role or bureau, deleted) or
the towns a cadre serves. A staff member signing in (only `last_login` saved) changes none of it."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import APIToken, User
from .services import key_holders_changed

# what a save may touch without changing what a key's holder may do: signing in stamps last_login
UNSAID = frozenset({"last_login"})


@receiver([post_save, post_delete], sender=APIToken)
@receiver([post_save, post_delete], sender=User)
def a_key_or_its_holder_changed(sender, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= UNSAID:
        return
    key_holders_changed()


@receiver(m2m_changed, sender=User.towns.through)
def the_towns_a_cadre_serves_changed(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        key_holders_changed()
