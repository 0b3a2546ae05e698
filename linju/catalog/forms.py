from django import forms
from django.utils.translation import gettext_lazy as _


class CatalogSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=40)
    category = forms.SlugField(required=False, max_length=30)


class PlaceChoiceForm(forms.Form):
    """Two steps without JavaScript: first the town, then one of its villages."""

    town = forms.CharField(required=False, max_length=12)
    village = forms.CharField(required=False, max_length=12)
    date = forms.DateField(label=_("Date"), required=False)
