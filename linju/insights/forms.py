from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportJob


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("The spreadsheet holds"), choices=ImportJob.Kind.choices)
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    partial = forms.BooleanField(
        label=_(
            "Save the good rows even if some are bad (otherwise nothing is saved until every row is right)"
        ),
        required=False,
    )
