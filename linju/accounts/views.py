from django.contrib.auth import views as auth_views


class LogoutView(auth_views.LogoutView):
    """Log out, and tell the browser to wipe what Linju kept on it (the field app's day of data, its
    sent records, its cached pages): a shared phone keeps nothing of the last cadre's."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
