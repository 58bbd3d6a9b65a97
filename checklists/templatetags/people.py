"""People as the pages name them: by their full name, the login name only when none is recorded."""

from django import template

register = template.Library()


@register.filter
def person(user):
    if user is None:
        return "—"
    return user.get_full_name() or user.username
