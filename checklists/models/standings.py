import datetime
from decimal import Decimal

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import ScopedQuerySetMixin
from .campaigns import Campaign
from .expressions import YearMonth
from .items import ChecklistItem
from .units import Unit


LARGE_FILL = 500  # past this many units, read their items through a subquery, not a list of ids


class UnitStandingQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def forget(self, *, campaign_id=None, unit_ids=None):
        """Drop the rows that an item change makes wrong; the next read counts them again."""
        rows = self
        if campaign_id is not None:
            rows = rows.filter(campaign_id=campaign_id)
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=list(unit_ids))
        rows.delete()

    def fill(self, *, campaign, units, as_of):
        """Count, for each of `units` (a queryset) that has no row for `as_of`, its items in the campaign.

        Rows are counted from the items, never edited; a row counted while one of its unit's items
        changed is dropped again so that the next read counts it anew.
        """
        counted = self.filter(campaign=campaign, as_of=as_of).values("unit_id")
        missing = units.exclude(pk__in=counted)
        missing_ids = list(missing.values_list("pk", flat=True))
        if not missing_ids:
            return 0
        started = timezone.now()
        in_missing = {"unit__in": missing} if len(missing_ids) > LARGE_FILL else {"unit_id__in": missing_ids}
        items = ChecklistItem.objects.filter(campaign=campaign, due_date__lte=as_of, **in_missing)
        rows = {unit_id: UnitStanding(campaign=campaign, unit_id=unit_id, as_of=as_of) for unit_id in missing_ids}
        keys = {"unit": F("unit_id"), "dimension": F("standard_item__dimension_id"),
                "due_month": YearMonth("due_date"), "review_month": YearMonth("reviewed_at")}
        groupings = [("unit", "dimension"), ("unit", "due_month"), ("unit", "review_month")]
        for grouping, unit_id, dimension_id, due_month, review_month, *figures in items.figures_as_of(
                as_of, keys, groupings):
            row = rows.get(unit_id)
            if row is None:
                continue
            if grouping == 0:
                row.add(dimension_id, *figures)
            elif grouping == 1:
                row.by_month.setdefault(due_month[:7], [0, 0])[0] += figures[0]
            elif review_month is not None and figures[1]:
                row.by_month.setdefault(review_month[:7], [0, 0])[1] += figures[1]
        with transaction.atomic():
            self.filter(campaign=campaign, unit_id__in=missing_ids, as_of=as_of).delete()
            self.bulk_create(rows.values(), batch_size=2000, ignore_conflicts=True)
        changed = set(ChecklistItem.objects.filter(campaign=campaign, updated_at__gte=started)
                      .values_list("unit_id", flat=True).distinct())
        self.forget(campaign_id=campaign.pk, unit_ids=changed & set(missing_ids))
        self.filter(as_of__lt=as_of, computed_at__lt=started - datetime.timedelta(days=1)).delete()
        return len(rows)


class UnitStanding(models.Model):
    """A unit's figures in a campaign as of one day: the dashboards and the ranking read these rows
    instead of counting a city's items on every request.

    Only items due by `as_of` count, each with its status and score as they stood then
    (`ChecklistItemQuerySet.as_of`): a past day's figures never move. The services drop a unit's rows whenever one of its items
    changes (`forget`); a read counts the units that have no row for its day (`fill`).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="standings")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="standings")
    as_of = models.DateField()
    computed_at = models.DateTimeField(auto_now_add=True)
    due = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    score = models.DecimalField(max_digits=9, decimal_places=1, default=Decimal(0))
    # {dimension id: [due, approved, submitted, overdue, score]}
    by_dimension = models.JSONField(default=dict)
    # {"YYYY-MM": [items due that month, items approved that month]}
    by_month = models.JSONField(default=dict)

    objects = UnitStandingQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit standing")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "as_of"], name="standing_once_a_day")]

    def add(self, dimension_id, due, approved, submitted, overdue, score):
        """Count a dimension's items (`ChecklistItemQuerySet.figures_as_of`) in the unit's figures."""
        score = Decimal(str(score or 0)).quantize(Decimal("0.1"))
        self.due += due
        self.approved += approved
        self.submitted += submitted
        self.overdue += overdue
        self.score += score
        self.by_dimension[str(dimension_id)] = [due, approved, submitted, overdue, float(score)]
