from django import forms
from django.utils.translation import gettext_lazy as _

from .search import MAX_QUERY, normalized


class CatalogSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY)
    category = forms.SlugField(required=False, max_length=30)

    def clean_q(self) -> str:
        """Punctuation or spaces alone are no query: the whole catalogue is shown."""
        query = self.cleaned_data["q"]
        return query if normalized(query) else ""


class PlaceChoiceForm(forms.Form):
    """Two steps without JavaScript: first the town, then one of its villages."""

    town = forms.CharField(required=False, max_length=12)
    village = forms.CharField(required=False, max_length=12)
    date = forms.DateField(label=_("Date"), required=False)
