from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .forms import CodeForm, StaffLoginForm
from .two_factor import (
    has_second_factor,
    recovery_codes_renew,
    required,
    totp_confirm,
    totp_pending,
    totp_start,
)


class LoginView(auth_views.LoginView):
    """User name, password and, where the account has an authenticator (or the site requires one),
    its code: one form. A second factor refused is said as such, not as a wrong password."""

    form_class = StaffLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out, and tell the browser to wipe what Linju kept on it (the field app's day of data, its
    sent records, its cached pages): a shared phone keeps nothing of the last cadre's."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """A member of staff's own second factor: add (or replace) the authenticator by scanning its key
    and typing its first code; new recovery codes. The recovery codes are shown once."""
    user = request.user
    codes = None
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("do") == "start":
        totp_start(user=user)
        return redirect("accounts:two-factor")
    if request.method == "POST" and request.POST.get("do") == "codes" and has_second_factor(user):
        codes = recovery_codes_renew(user=user)
    elif request.method == "POST" and form.is_valid():
        codes = totp_confirm(user=user, token=form.cleaned_data["token"])
        if codes is None:
            form.add_error("token", _("The code is wrong or too old: type the code the app shows now."))
        else:
            messages.success(request, _("Your authenticator is on: each log-in asks for its code."))
    return render(
        request,
        "accounts/two_factor.html",
        {
            "on": has_second_factor(user),
            "pending": None if codes else totp_pending(user=user),
            "codes": codes,
            "form": form,
            "required": required(),
        },
        status=400 if form.errors else 200,
    )
