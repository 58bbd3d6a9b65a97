"""Addresses of list pages already filtered: every number on a dashboard links to the list it counts."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def list_url(name, *args, **filters):
    """{% list_url "item_list" campaign=campaign.pk status="approved" %}: empty filters are left out."""
    query = urlencode({key: value for key, value in filters.items() if value not in (None, "")})
    return f"{reverse(name, args=args)}?{query}" if query else reverse(name, args=args)
