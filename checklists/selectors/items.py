"""The items a unit works on: the filtered item list and what the unit's home page shows."""

import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from ..filters import ChecklistItemFilter
from ..models import Campaign, ChecklistItem, Evidence, ItemStatus, LedgerEntry, Problem, ProblemStatus
from .campaigns import current_campaign
from .figures import percent

ITEM_LIST_RELATED = ("unit", "standard_item")


def item_list(*, request, data):
    """The filter set over the user's items; `.qs` is the filtered queryset."""
    queryset = ChecklistItem.objects.for_user(request.user).select_related(*ITEM_LIST_RELATED).annotate(
        evidence_expired=ExpressionWrapper(ChecklistItem.relies_on_expired_q(timezone.localdate()),
                                           output_field=BooleanField()),
    ).order_by("-campaign_id", "due_date", "unit_id", "standard_item_id")
    return ChecklistItemFilter(data, queryset=queryset, request=request)


def unit_home(*, user, today=None):
    """What needs the unit now, in the current task list only: returned items first, then those due
    within a week, then the overdue ones not returned (each item once), awaiting sign-off and drafts;
    the counts are those of the item list each links to."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.for_user(user)
    campaign = current_campaign(campaigns, today)
    items = ChecklistItem.objects.for_user(user).filter(campaign=campaign).select_related(*ITEM_LIST_RELATED)
    open_items = items.exclude(status__in=ChecklistItem.DONE_STATUSES)
    week = today + datetime.timedelta(days=7)
    totals = items.filter(due_date__lte=today).aggregate(
        due=Count("pk"), done=Count("pk", filter=Q(status=ItemStatus.APPROVED)))
    overdue = items.overdue(today)
    return {
        "campaign": campaign,
        "other_campaigns": [other for other in campaigns if other != campaign],
        "today": today,
        "week": week,
        "returned": list(items.filter(status=ItemStatus.RETURNED).order_by("-reviewed_at", "due_date")[:20]),
        "returned_count": items.filter(status=ItemStatus.RETURNED).count(),
        "awaiting_signoff": list(items.filter(status=ItemStatus.AWAITING_SIGNOFF).order_by("due_date")[:20]),
        "due_soon": list(open_items.filter(due_date__gte=today, due_date__lte=week)
                         .exclude(status=ItemStatus.RETURNED).order_by("due_date")[:20]),
        "overdue": list(overdue.exclude(status=ItemStatus.RETURNED).order_by("due_date")[:20]),
        "overdue_count": overdue.count(),
        "drafts": list(items.filter(status=ItemStatus.DRAFT, due_date__gt=week).order_by("due_date")[:10]),
        "progress": percent(totals["done"], totals["due"]),
        "due": totals["due"],
        "done": totals["done"],
        "entries": list(LedgerEntry.objects.for_user(user).select_related("unit")[:8]),
        "problems": list(Problem.objects.for_user(user).exclude(status=ProblemStatus.CLOSED)
                         .select_related("unit").order_by("deadline")[:10]),
    }


def earlier_items(item):
    """The same unit's item of the same measure for the previous period (the year's first period: the
    last one of last year's list), and for the same period last year (by the measure's code: last year's
    list may be on an earlier version), each with its evidence files (`files`): what the unit may copy
    forward or re-use."""
    same = ChecklistItem.objects.filter(unit_id=item.unit_id).select_related("campaign", "reviewed_by")
    year = item.campaign.year
    last_years = same.filter(standard_item__code=item.standard_item.code, campaign__year=year - 1).exclude(
        pk=item.carried_from_id)
    previous = (same.filter(campaign_id=item.campaign_id, standard_item_id=item.standard_item_id,
                            period_end__lt=item.period_start).order_by("-period_end").first()
                or last_years.filter(period_end__lt=item.period_start).order_by("-period_end", "-campaign_id").first())
    last_year = last_years.filter(period=item.period.replace(str(year), str(year - 1))).order_by(
        "-campaign_id").first()
    if previous == last_year:  # a yearly measure: last year's item is shown once
        previous = None
    found = [each for each in (previous, last_year) if each is not None]
    files = {}
    for evidence in Evidence.objects.filter(item__in=found).order_by("pk"):
        files.setdefault(evidence.item_id, []).append(evidence)
    for each in found:
        each.files = files.get(each.pk, [])
    return {"previous": previous, "last_year": last_year}
