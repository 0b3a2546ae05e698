from django.shortcuts import render
from django.views.decorators.http import require_GET

from linju.access.guards import public

from . import selectors
from .forms import CatalogSearchForm


@public
@require_GET
def catalog_index(request):
    """The catalogue, or what a search finds in it: the results best first (saying which name people
    use found an item), else "did you mean" suggestions, else a plain "nothing found". A query too
    long to be one is refused with the form's message (400), never cut silently."""
    form = CatalogSearchForm(request.GET or None)
    query = category = ""
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    found = selectors.item_search(query=query, category_code=category or None)
    return render(
        request,
        "catalog/index.html",
        {
            "form": form,
            "query": query,
            "category": category,
            "items": found.items,
            "results": [(item, found.aliases.get(item.pk, "")) for item in found.items],
            "suggestions": [(item, found.aliases.get(item.pk, "")) for item in found.suggestions],
            "categories": selectors.category_list(),
        },
        status=400 if form.errors else 200,
    )
