from django.urls import path

from linju.core.declared import public, signed_in

from . import views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        public(views.LoginView.as_view()),
        name="login",
    ),
    path("two-factor/", signed_in(views.two_factor), name="two-factor"),
    path("logout/", public(views.LogoutView.as_view()), name="logout"),
]
