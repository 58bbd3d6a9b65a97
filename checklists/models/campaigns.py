import calendar
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import audit_trail
from .standards import IssuedQuerySet, Recurrence, StandardItem, StandardSet
from .units import Unit


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime.date
    end: datetime.date


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _periods_in_year(year, recurrence):
    if recurrence == Recurrence.MONTHLY:
        return [Period(f"{year}-{m:02d}", datetime.date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    if recurrence == Recurrence.QUARTERLY:
        return [
            Period(f"{year}-Q{q}", datetime.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q in range(1, 5)
        ]
    if recurrence == Recurrence.HALF_YEARLY:
        return [
            Period(f"{year}-H{h}", datetime.date(year, 6 * h - 5, 1), _month_end(year, 6 * h)) for h in range(1, 3)
        ]
    return [Period(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))]


class Campaign(models.Model):
    """A task list (任务清单): a standard set applied to the units in scope for a period."""

    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("issued by"))
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    standard_set = models.ForeignKey(
        StandardSet, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("standard set")
    )
    scope_units = models.ManyToManyField(
        Unit, related_name="campaigns_in_scope", verbose_name=_("units in scope"),
        help_text=_("Every unit below these, of the standard set's kind, gets checklist items."),
    )
    leader_signoff_required = models.BooleanField(_("unit leader signs off before submission"), default=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies",
        verbose_name=_("copied from"), help_text=_("The earlier task list this one was generated from."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = IssuedQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="campaign_period_in_order"
            ),
            models.UniqueConstraint(fields=["copied_from", "year"], name="campaign_one_copy_a_year"),
        ]

    def __str__(self):
        return self.name

    def name_for_year(self, year):
        """The name of this list's copy for `year`: its year in the name replaced, or the year added."""
        if str(self.year) in self.name:
            return self.name.replace(str(self.year), str(year))
        return f"{self.name}（{year}）"

    def units_in_scope(self, standard_set=None):
        """Units below the scope roots, of the standard set's kind (or of `standard_set`'s, for a copy
        made with another version): one indexed query."""
        paths = list(self.scope_units.values_list("path", flat=True))
        if not paths:
            return Unit.objects.none()
        query = models.Q()
        for path in paths:
            query |= models.Q(path__startswith=path)
        units = Unit.objects.filter(query)
        standard_set = standard_set or self.standard_set
        if standard_set.unit_kind:
            units = units.filter(kind=standard_set.unit_kind)
        return units

    def periods(self, recurrence):
        """The periods a measure of this recurrence falls into within the campaign."""
        if recurrence == Recurrence.ONCE:
            return [Period(str(self.year), self.period_start, self.period_end)]
        periods = []
        for year in range(self.period_start.year, self.period_end.year + 1):
            periods += [
                p for p in _periods_in_year(year, recurrence) if p.end >= self.period_start and p.start <= self.period_end
            ]
        return periods


def years_later(day, years):
    """The same day `years` on (29 February becomes the 28th in a common year); None stays None."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class TaskQuerySet(IssuedQuerySet):
    owner_field = "campaign__owner"


class Task(models.Model):
    """A line of the task list: leader in charge + lead department + responsible units + deadline."""

    # What a task list's import writes (besides the responsible units), and compares to tell a change.
    IMPORTED_FIELDS = ["title", "measures", "leader_in_charge", "lead_department", "deadline", "deadline_text",
                       "standard_item", "section", "note"]

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("campaign"))
    number = models.PositiveSmallIntegerField(_("number"))
    standard_item = models.ForeignKey(
        StandardItem, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks",
        verbose_name=_("standard item"),
    )
    title = models.CharField(_("task"), max_length=300)
    measures = models.TextField(_("measures"), blank=True)
    leader_in_charge = models.CharField(_("leader in charge"), max_length=100, blank=True)
    lead_department = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="led_tasks",
        verbose_name=_("lead department"),
    )
    responsible_units = models.ManyToManyField(
        Unit, blank=True, related_name="responsible_tasks", verbose_name=_("responsible units"),
        help_text=_("When set, only these units get the task's checklist items."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_text = models.CharField(
        _("deadline as written"), max_length=50, blank=True, help_text=_("For example 每季度末 or 长期坚持.")
    )
    section = models.CharField(_("section"), max_length=200, blank=True,
                               help_text=_("The heading the task stands under in the list, as 一、聚焦政治建设."))
    note = models.TextField(_("note"), blank=True, help_text=_("The list's 备注: targets such as 不少于400人次."))

    objects = TaskQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="task_unique_number"),
            models.UniqueConstraint(
                fields=["campaign", "standard_item"], condition=models.Q(standard_item__isnull=False),
                name="task_one_per_standard_item",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"
