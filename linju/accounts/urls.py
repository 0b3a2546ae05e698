from django.contrib.auth import views as auth_views
from django.urls import path

from linju.core.declared import public

from . import views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        public(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html", redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("logout/", public(views.LogoutView.as_view()), name="logout"),
]
