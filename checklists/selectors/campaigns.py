"""Which task list a page shows, and a task list's items due by a day."""

from django.utils import timezone

from ..models import Campaign, ChecklistItem


def current_campaign(campaigns, today=None):
    """The latest campaign that has started, else the first."""
    today = today or timezone.localdate()
    return campaigns.filter(period_start__lte=today).order_by("-year", "-period_start").first() or campaigns.first()


def asked_id(value) -> int | None:
    """A record's id as a query string gives it (`?campaign=12`); None for anything that is not one
    (abc, 1e3, -1, 0, a number past the database's range, a very long string)."""
    if value and len(value) <= 18 and value.isascii() and value.isdigit() and int(value) > 0:
        return int(value)
    return None


def chosen_campaign(*, user, asked):
    """The task list a page was asked for (`?campaign=`) if the user reaches it, else the current one."""
    campaigns = Campaign.objects.for_user(user)
    pk = asked_id(asked)
    return (campaigns.filter(pk=pk).first() if pk else None) or current_campaign(campaigns)


def campaign_items(*, user, campaign, within=None):
    """The campaign's items that the user reaches, optionally within one unit's subtree."""
    items = ChecklistItem.objects.for_user(user).filter(campaign=campaign)
    return items.filter(unit__path__startswith=within.path) if within is not None else items


def campaign_items_due(*, user, campaign, today, within=None):
    """The campaign's items due by `today` that the user reaches, optionally within one unit's subtree."""
    return campaign_items(user=user, campaign=campaign, within=within).filter(due_date__lte=today)
