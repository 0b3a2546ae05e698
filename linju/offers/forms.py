from django import forms
from django.utils.translation import gettext_lazy as _


class ApprovalForm(forms.Form):
    """One group (a town's offers of one item), or every offer in the viewer's towns when both are
    empty: approved, or held back."""

    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("hold", _("Hold"))])
    town = forms.CharField(max_length=12, required=False)
    item = forms.CharField(max_length=30, required=False)
    held = forms.BooleanField(required=False)  # the group is of offers held back before
