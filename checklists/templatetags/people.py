"""People as the pages name them: by their full name, the login name only when none is recorded."""

from django import template

from ..models.accounts import person_name

register = template.Library()


@register.filter
def person(user):
    if user is None:
        return "—"
    return person_name(user.first_name, user.last_name, user.username)
