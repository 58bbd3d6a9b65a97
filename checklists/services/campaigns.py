"""Task lists: the checklist items they call for."""

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import Campaign, ChecklistItem, Recurrence, Task, UnitStanding
from ..selectors.year_turn import campaign_copy_plan
from .errors import ServiceError
from .issued import check_issuer


def campaign_missing_items(campaign: Campaign, within=None) -> list[ChecklistItem]:
    """The checklist items the campaign calls for that do not exist yet, unsaved; `within`: only those
    of that unit's subtree (a province's task list, generated a city at a time)."""
    in_scope = campaign.units_in_scope()
    existing = ChecklistItem.objects.filter(campaign=campaign)
    if within is not None:
        in_scope = in_scope.filter(path__startswith=within.path)
        existing = existing.filter(unit__path__startswith=within.path)
    scope_ids = list(in_scope.values_list("pk", flat=True))
    tasks = {task.standard_item_id: task for task in campaign.tasks.prefetch_related("responsible_units")}
    existing = set(existing.values_list("unit_id", "standard_item_id", "period"))
    missing = []
    for standard_item in campaign.standard_set.items.all():
        task = tasks.get(standard_item.pk)
        unit_ids = scope_ids
        if task is not None and task.responsible_units.all():
            unit_ids = [unit.pk for unit in task.responsible_units.all()
                        if within is None or unit.path.startswith(within.path)]
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
    if user is not None:
        check_issuer(campaign, user, _campaign_of)
    missing = campaign_missing_items(campaign)
    bulk_create_with_history(missing, ChecklistItem, batch_size=1000)
    UnitStanding.objects.forget(campaign_id=campaign.pk)
    return len(missing)


@transaction.atomic
def campaign_copy(*, campaign: Campaign, year: int, standard_set=None, user=None):
    """Next year's task list from this one (`campaign_copy_plan`), then its items; a user (None: the
    command) must be the office that issued it. Idempotent: a second run for the same year completes
    the copy made by the first and creates nothing else. Returns (the plan carried out, items created)."""
    if user is not None:
        check_issuer(campaign, user, _campaign_of)
    plan = campaign_copy_plan(campaign=campaign, year=year, standard_set=standard_set)
    if plan.refusal():
        raise ServiceError(plan.refusal())
    copy = plan.campaign
    if not plan.existing:
        copy.full_clean(exclude=["copied_from", "year"])
        copy.save()
        copy.scope_units.set(campaign.scope_units.all())
    tasks = [task for task, _units, _source in plan.tasks]
    for task in tasks:
        task.campaign = copy
    bulk_create_with_history(tasks, Task, batch_size=1000, default_user=user)
    links = Task.responsible_units.through
    links.objects.bulk_create([links(task_id=task.pk, unit_id=unit_id) for task, unit_ids, _source in plan.tasks
                               for unit_id in unit_ids], batch_size=2000)
    return plan, campaign_generate_items(campaign=copy)


@transaction.atomic
def task_list_import_apply(*, campaign: Campaign, rows, user) -> None:
    """Create or change the campaign's tasks from checked rows (each a dict of the task's fields, its
    responsible units and the task it changes, if any), in bulk with their history: the numbers are
    checked unique in the plan, so each row is validated field by field."""
    check_issuer(campaign, user, _campaign_of)
    created, changed = [], []
    for data in rows:
        task = data["existing"] or Task(campaign=campaign, number=data["number"])
        for name in Task.IMPORTED_FIELDS:
            setattr(task, name, data[name])
        task.full_clean(exclude=["campaign"], validate_unique=False, validate_constraints=False)
        (changed if task.pk else created).append((task, data["responsible_units"]))
    bulk_create_with_history([task for task, _units in created], Task, batch_size=1000, default_user=user)
    bulk_update_with_history([task for task, _units in changed], Task, Task.IMPORTED_FIELDS, batch_size=1000,
                             default_user=user)
    links = Task.responsible_units.through
    links.objects.filter(task__campaign=campaign, task__number__in=[task.number for task, _units in changed]
                         ).delete()
    links.objects.bulk_create([links(task_id=task.pk, unit_id=unit.pk) for task, units in created + changed
                               for unit in units], batch_size=2000)


def _campaign_of(record) -> Campaign:
    return record if isinstance(record, Campaign) else record.campaign


@transaction.atomic
def campaign_record_save(*, record, user) -> None:
    """Save a task list or one of its tasks as its issuing office; a task list's standings are counted
    again (its period or scope may have moved)."""
    check_issuer(record, user, _campaign_of)
    record.save()
    UnitStanding.objects.forget(campaign_id=_campaign_of(record).pk)


@transaction.atomic
def campaign_record_delete(*, record, user) -> None:
    """Delete a task list or a task not in use (a task list with items is protected)."""
    check_issuer(record, user, _campaign_of)
    campaign_id = _campaign_of(record).pk
    record.delete()
    UnitStanding.objects.forget(campaign_id=campaign_id)
