"""Where the second factor is required (LINJU_TWO_FACTOR=required), a staff session that did not pass
it is ended: whatever page or session-authenticated API call it asks for, it is sent to the log-in.
Sessions begun by the log-in form pass it there; this catches any other (begun before the setting,
or by another way in). API keys are not sessions: a Bearer key is not asked for a second factor."""

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from .two_factor import required


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if required() and user.is_authenticated and not user.is_verified():
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
