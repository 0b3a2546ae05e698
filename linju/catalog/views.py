from django.shortcuts import render
from django.views.decorators.http import require_GET

from linju.access.guards import public
from linju.geo.selectors import remembered_village

from . import selectors
from .bundles import bundle_search
from .forms import CatalogSearchForm


@public
@require_GET
def catalog_index(request):
    """The catalogue, or what a search finds in it: the results best first (saying which name people
    use found an item), else "did you mean" suggestions, else a plain "nothing found"; the bundles
    (一件事) first, those the words find or all of them. A query too long to be one is refused with
    the form's message (400), never cut silently."""
    form = CatalogSearchForm(request.GET or None)
    query = category = ""
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    found = selectors.item_search(query=query, category_code=category or None)
    # the bundles (一件事) the words find, or all of them on the whole catalogue (not in a category):
    # of the bureau of the resident's village once one is chosen, of every bureau before
    village = None if category else remembered_village(request)
    bundles = (
        [] if category else bundle_search(query=query, bureau_id=village.town.bureau_id if village else None)
    )
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
            "bundles": bundles,
            "show_bureau": len({offered.bundle.bureau_id for offered in bundles}) > 1,
        },
        status=400 if form.errors else 200,
    )
