"""The items a unit works on: the filtered item list and what the unit's home page shows."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from ..filters import ChecklistItemFilter
from ..models import ChecklistItem, ItemStatus, LedgerEntry, Problem, ProblemStatus
from .figures import percent

ITEM_LIST_RELATED = ("unit", "standard_item")


def item_list(*, request, data):
    """The filter set over the user's items; `.qs` is the filtered queryset."""
    queryset = ChecklistItem.objects.for_user(request.user).select_related(*ITEM_LIST_RELATED).order_by(
        "-campaign_id", "due_date", "unit_id", "standard_item_id")
    return ChecklistItemFilter(data, queryset=queryset, request=request)


def unit_home(*, user, today=None):
    """What needs the unit now: returned items, items due within a week, overdue, drafts."""
    today = today or timezone.localdate()
    items = ChecklistItem.objects.for_user(user).select_related(*ITEM_LIST_RELATED)
    open_items = items.exclude(status__in=ChecklistItem.DONE_STATUSES)
    week = today + datetime.timedelta(days=7)
    totals = items.filter(due_date__lte=max(today, week)).aggregate(
        due=Count("pk"), done=Count("pk", filter=Q(status=ItemStatus.APPROVED)))
    return {
        "returned": list(items.filter(status=ItemStatus.RETURNED).order_by("due_date")[:20]),
        "awaiting_signoff": list(items.filter(status=ItemStatus.AWAITING_SIGNOFF).order_by("due_date")[:20]),
        "due_soon": list(open_items.filter(due_date__gte=today, due_date__lte=week).order_by("due_date")[:20]),
        "overdue": list(items.overdue(today).order_by("due_date")[:20]),
        "overdue_count": items.overdue(today).count(),
        "drafts": list(items.filter(status=ItemStatus.DRAFT, due_date__gt=week).order_by("due_date")[:10]),
        "progress": percent(totals["done"], totals["due"]),
        "due": totals["due"],
        "done": totals["done"],
        "entries": list(LedgerEntry.objects.for_user(user).select_related("unit")[:8]),
        "problems": list(Problem.objects.for_user(user).exclude(status=ProblemStatus.CLOSED)
                         .select_related("unit").order_by("deadline")[:10]),
    }
