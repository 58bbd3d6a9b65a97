"""Task lists: the checklist items they call for."""

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..models import Campaign, ChecklistItem, Recurrence, UnitStanding, reach_of
from .errors import NotPermitted


def campaign_missing_items(campaign: Campaign) -> list[ChecklistItem]:
    """The checklist items the campaign calls for that do not exist yet, unsaved."""
    scope_ids = list(campaign.units_in_scope().values_list("pk", flat=True))
    tasks = {task.standard_item_id: task for task in campaign.tasks.prefetch_related("responsible_units")}
    existing = set(
        ChecklistItem.objects.filter(campaign=campaign).values_list("unit_id", "standard_item_id", "period")
    )
    missing = []
    for standard_item in campaign.standard_set.items.all():
        task = tasks.get(standard_item.pk)
        unit_ids = scope_ids
        if task is not None and task.responsible_units.all():
            unit_ids = [unit.pk for unit in task.responsible_units.all()]
        for period in campaign.periods(standard_item.recurrence):
            due = period.end
            if task is not None and task.deadline and standard_item.recurrence == Recurrence.ONCE:
                due = task.deadline
            missing += [
                ChecklistItem(campaign=campaign, unit_id=unit_id, standard_item=standard_item, period=period.label,
                              period_start=period.start, period_end=period.end, due_date=due)
                for unit_id in unit_ids
                if (unit_id, standard_item.pk, period.label) not in existing
            ]
    return missing


@transaction.atomic
def campaign_generate_items(*, campaign: Campaign, user=None) -> int:
    """Create the checklist items the campaign calls for and that do not exist yet; a user (None: a
    command or the demo) must be the office that issued it.

    Idempotent: a second run creates nothing, and a unit added to scope later gets its items.
    Returns the number of items created.
    """
    if user is not None and not reach_of(user).manages(campaign.owner):
        raise NotPermitted(_("%(campaign)s: only its issuing office may generate its items.")
                           % {"campaign": campaign})
    missing = campaign_missing_items(campaign)
    bulk_create_with_history(missing, ChecklistItem, batch_size=1000)
    UnitStanding.objects.forget(campaign_id=campaign.pk)
    return len(missing)
