"""The year's turn: last year's unfinished items carried into next year's list (结转) or closed as not
done. The old items keep their status, so every figure and workbook of their year stays as it was."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import Campaign, ChecklistItem, ItemStatus, UnitStanding, YearEnd, reach_of
from .errors import NotPermitted, ServiceError

SETTLED_FIELDS = ["year_end", "year_end_reason", "year_end_at", "year_end_by", "updated_at"]


@transaction.atomic
def items_carry_over(*, items, into: Campaign, due_date: datetime.date, user) -> list[ChecklistItem]:
    """For each of `items` (a queryset), unfinished in last year's list, an item of `into` (that list's copy for the next
    year) marked 结转: the same unit, measure (by its code in the new version) and period, due
    `due_date`, with its account and progress so far; all or none. Returns the new items."""
    items = _settled(items, user, YearEnd.CARRIED, "")
    measures = {measure.code: measure for measure in into.standard_set.items.all()}
    carried = []
    for item in items:
        if into.copied_from_id != item.campaign_id:
            raise ServiceError(_("%(list)s is not the next year's copy of %(old)s.")
                               % {"list": into, "old": item.campaign})
        measure = measures.get(item.standard_item.code)
        if measure is None:
            raise ServiceError(_("%(item)s: its measure is dropped in %(set)s; close it as not done instead.")
                               % {"item": item, "set": into.standard_set})
        carried.append(ChecklistItem(
            campaign=into, unit=item.unit, standard_item=measure, period=item.period,
            period_start=item.period_start, period_end=item.period_end, due_date=due_date,
            status=ItemStatus.IN_PROGRESS if item.progress or item.account else ItemStatus.DRAFT,
            progress=item.progress, account=item.account, carried_from=item))
    bulk_create_with_history(carried, ChecklistItem, batch_size=1000, default_user=user)
    UnitStanding.objects.forget(campaign_id=into.pk, unit_ids={item.unit_id for item in items})
    return carried


@transaction.atomic
def items_close_not_done(*, items, reason: str, user) -> int:
    """Close `items` (a queryset), unfinished in last year's list, as not done, with the reason; all or none."""
    if not reason.strip():
        raise ServiceError(_("Give the reason the items were not done."))
    return len(_settled(items, user, YearEnd.NOT_DONE, reason.strip()))


def _settled(items, user, outcome, reason):
    """Mark the items settled (locked, their status as it was), checking each first: the office over
    its unit, still unfinished. A refusal names the item."""
    reach = reach_of(user)
    items = list(items.select_related("unit", "standard_item", "campaign").select_for_update(of=("self",)))
    if not items:
        raise ServiceError(_("Choose the unfinished items first."))
    now = timezone.now()
    for item in items:
        if not reach.may_review(item):
            raise NotPermitted(_("Only the task-force office over %(unit)s may settle its items.")
                               % {"unit": item.unit})
        if not item.is_unfinished_at_year_end:
            raise ServiceError(_("%(item)s is approved or already settled.") % {"item": item})
        item.year_end, item.year_end_reason, item.year_end_at, item.year_end_by = outcome, reason, now, user
        item.updated_at = now
    bulk_update_with_history(items, ChecklistItem, SETTLED_FIELDS, batch_size=1000, default_user=user)
    return items
