from .capabilities import granted


def capabilities(request) -> dict:
    """`may`: the capabilities of whoever is signed in, for templates (`{% if "plan.run" in may %}`),
    worked out when a template first asks."""
    from django.utils.functional import SimpleLazyObject

    return {"may": SimpleLazyObject(lambda: granted(getattr(request, "user", None)))}
