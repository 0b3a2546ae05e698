from django.apps import AppConfig

from linju.core.querysets import install_scoping_rule


class AccessConfig(AppConfig):
    name = "linju.access"
    label = "access"
    verbose_name = "Who may do what"

    def ready(self) -> None:
        # The models' `visible_to` (linju.core.querysets) sits below access in the layers: it is
        # handed the one scoping rule here rather than importing it. Imported here, not at the top,
        # because the rule reads the geo models, which are not loaded when this module is.
        from linju.accounts.services import install_key_holder_warmer

        from .scoping import scope_to_viewer, served_town_ids, visible_row

        install_scoping_rule(scope_to_viewer, visible_row)
        # an API key's holder is kept between requests with the towns they serve already read
        install_key_holder_warmer(served_town_ids)
