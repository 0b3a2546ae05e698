from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .forms import CatalogSearchForm


@require_GET
def catalog_index(request):
    form = CatalogSearchForm(request.GET or None)
    query = category = ""
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    items = selectors.item_list(query=query, category_code=category or None)
    return render(
        request,
        "catalog/index.html",
        {
            "form": form,
            "query": query,
            "category": category,
            "items": items,
            "categories": selectors.category_list(),
        },
    )
