"""API authentication: a staff token (Bearer) or the log-in session."""

from ninja.security import HttpBearer, django_auth

from .services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


staff_auth = [TokenAuth(), django_auth]
