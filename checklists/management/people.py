"""Whom a command acts as: a named active user, or by default the first superuser."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def acting_user(username=None):
    users = get_user_model().objects.filter(is_active=True)
    person = users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
    if person is None:
        raise CommandError(f"No active user {username!r}." if username else "No superuser: name one with --user.")
    return person
