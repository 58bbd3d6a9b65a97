from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .models import AccountFlags


class PasswordChangeRequired:
    """An account whose password someone else set sees only its account page until it sets its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(AccountFlags.SESSION_KEY) and request.user.is_authenticated:
            allowed = (reverse("account"), reverse("logout"), reverse("set_language"))
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect(f"{reverse('account')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
