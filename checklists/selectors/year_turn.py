"""The year's turn: what copying a task list to the next year would write, shown before it is written."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from ..models import Campaign, ChecklistItem, ItemStatus, StandardSetDifference, Task, Unit, years_later
from .queue import managed_within


@dataclass
class CopyPlan:
    """Next year's task list from `source`: the list (unsaved unless `existing`), the tasks it still lacks,
    and what changed since: the measures between the two standard set versions, and the units."""

    source: Campaign
    campaign: Campaign
    existing: bool
    tasks: list = field(default_factory=list)  # [(unsaved Task, its responsible units' ids, the task copied)]
    difference: StandardSetDifference | None = None
    tasks_without_measure: list = field(default_factory=list)  # copied tasks whose measure the new version drops
    units_added: list = field(default_factory=list)
    units_left: list = field(default_factory=list)
    clash: Campaign | None = None  # a list of the same name and year not generated from the source

    def refusal(self):
        """Why the copy cannot be written, or None."""
        if self.campaign.year <= self.source.year:
            return _("The new list's year must come after %(year)s.") % {"year": self.source.year}
        if self.clash is not None:
            return _("%(list)s already exists and was not generated from %(old)s: rename it, or generate "
                     "another year.") % {"list": self.clash, "old": self.source}
        return None

    def summary_lines(self):
        """The preview as lines of text (the command's output)."""
        copy = self.campaign
        lines = [f"{self.source} → {copy.name} ({copy.period_start} – {copy.period_end}), "
                 f"{copy.standard_set}" + (" [exists: completed]" if self.existing else "")]
        lines += [f"  task {task.number}: {task.title} | deadline {source.deadline or source.deadline_text or '-'}"
                  f" → {task.deadline or task.deadline_text or '-'}" for task, _units, source in self.tasks]
        if self.difference is not None:
            lines += [f"  measure reworded: {new.code} {new.title} ({', '.join(changes)})"
                      for _old, new, changes in self.difference.reworded]
            lines += [f"  measure added: {item.code} {item.title}" for item in self.difference.added]
            lines += [f"  measure dropped: {item.code} {item.title}" for item in self.difference.dropped]
        lines += [f"  task {task.number} keeps no measure: {task.standard_item} is dropped"
                  for task in self.tasks_without_measure]
        lines += [f"  unit new to the list: {unit.name}" for unit in self.units_added]
        lines += [f"  unit no longer in scope: {unit.name}" for unit in self.units_left]
        return lines


def campaign_copy_plan(*, campaign, year, standard_set=None):
    """What `campaign_copy` writes: the source's tasks with their numbers, sections, leaders, lead
    departments, responsible units and notes, deadlines moved on by the years between (a deadline
    written as 长期坚持 or 每季度末 stays as written), each measure found by its code in the new version."""
    standard_set = standard_set or campaign.standard_set
    years = year - campaign.year
    copy = Campaign.objects.filter(copied_from=campaign, year=year).first()
    plan = CopyPlan(source=campaign, existing=copy is not None, campaign=copy or Campaign(
        owner=campaign.owner, name=campaign.name_for_year(year), year=year,
        period_start=years_later(campaign.period_start, years), period_end=years_later(campaign.period_end, years),
        standard_set=standard_set, leader_signoff_required=campaign.leader_signoff_required, copied_from=campaign))
    if copy is None:
        plan.clash = Campaign.objects.filter(owner=campaign.owner, year=year, name=plan.campaign.name).first()
    target_set = plan.campaign.standard_set
    if target_set != campaign.standard_set:
        plan.difference = campaign.standard_set.difference(target_set)
    measures = {item.code: item for item in target_set.items.all()}
    numbers_there = set(copy.tasks.values_list("number", flat=True)) if copy else set()
    for task in campaign.tasks.select_related("standard_item").prefetch_related("responsible_units"):
        if task.number in numbers_there:
            continue
        measure = measures.get(task.standard_item.code) if task.standard_item else None
        new = Task(number=task.number, title=task.title, measures=task.measures,
                   leader_in_charge=task.leader_in_charge, lead_department_id=task.lead_department_id,
                   deadline=years_later(task.deadline, years), deadline_text=task.deadline_text,
                   section=task.section, note=task.note, standard_item=measure)
        plan.tasks.append((new, [unit.pk for unit in task.responsible_units.all()], task))
        if task.standard_item and measure is None:
            plan.tasks_without_measure.append(task)
    last_year = set(campaign.items.values_list("unit_id", flat=True).distinct())
    scope = set(campaign.units_in_scope(target_set).values_list("pk", flat=True))
    plan.units_added = list(Unit.objects.filter(pk__in=scope - last_year))
    plan.units_left = list(Unit.objects.filter(pk__in=last_year - scope))
    return plan


def unfinished_at_year_end(*, user, campaign):
    """The list's items not approved and not yet carried over or closed, in the units this office
    manages (`ChecklistItem.is_unfinished_at_year_end` as a query)."""
    items = managed_within(user, ChecklistItem.objects.for_user(user)).filter(campaign=campaign, year_end="")
    return items.exclude(status=ItemStatus.APPROVED)


def unfinished_by(items):
    """The unfinished items counted by unit and by dimension (按单位、按维度), most first."""
    by_unit = list(items.order_by().values("unit_id", "unit__name").annotate(count=Count("pk"))
                   .order_by("-count", "unit__name"))
    by_dimension = list(items.order_by().values("standard_item__dimension_id", "standard_item__dimension__name")
                        .annotate(count=Count("pk")).order_by("-count", "standard_item__dimension__name"))
    return by_unit, by_dimension


def next_year_copy(campaign):
    """The list generated from `campaign` for the year after it, if there is one."""
    return campaign.copies.filter(year=campaign.year + 1).first() if campaign else None
