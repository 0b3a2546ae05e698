from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .two_factor import Refusal, second_factor_check

REFUSALS = {
    "needed": _("Enter the code from your authenticator app, or one of your recovery codes."),
    "wrong": _("The code is wrong, too old or already used. Wait for a new code and try again."),
    "missing": _(
        "This site requires a second factor and your account has none yet: ask the administrator to set up "
        "your authenticator."
    ),
}


class StaffLoginForm(AuthenticationForm):
    """User name and password, then the second factor: a code from the authenticator app or a
    recovery code, on the same form."""

    otp_token = forms.CharField(
        label=_("Code from the authenticator app, or a recovery code"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    second_factor_refusal = ""

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned
        checked = second_factor_check(user, cleaned.get("otp_token", ""))
        if isinstance(checked, Refusal):
            self.second_factor_refusal = REFUSALS[checked.code]
            raise forms.ValidationError(self.second_factor_refusal, code=f"second_factor_{checked.code}")
        if checked is not None:
            user.otp_device = checked  # django-otp marks the session verified on log-in
        return cleaned


class CodeForm(forms.Form):
    token = forms.CharField(label=_("The code the app shows now"), max_length=10)
