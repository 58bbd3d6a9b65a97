"""Whom a command acts as (a named active user, or by default the first superuser), and the task list
it names."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from checklists.models import Campaign


def acting_user(username=None):
    users = get_user_model().objects.filter(is_active=True)
    person = users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
    if person is None:
        raise CommandError(f"No active user {username!r}." if username else "No superuser: name one with --user.")
    return person


def campaign_reached(person, text, option):
    """The task list `text` names (its id or its name) among those `person` reaches; else a CommandError
    naming the `option` it came from."""
    campaigns = Campaign.objects.for_user(person)
    chosen = (campaigns.filter(pk=text).first() if text.isdigit() else None) or campaigns.filter(name=text).first()
    if chosen is None:
        raise CommandError(f"{option}: no task list {text!r} that {person} reaches.")
    return chosen
