from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ChecklistItem, Unit
from .base import Column, Sheet, YearOrMonthExporter
from .sheets import county_namer

COUNTY_PATH = 2 * Unit.steplen


class ItemLedger(YearOrMonthExporter):
    """清单台账: every checklist item the user reaches in the task list that falls due in the period,
    one row each, with its status, progress, quantity, score and review."""

    identifier = "items"
    verbose_name = _("Item ledger")
    sheet_rows = 1_048_576 - 3  # a sheet's rows under its title and header

    def __init__(self, scope, part=None):
        super().__init__(scope)
        self.part = part  # (county path, name): one workbook of those in a zip

    def items(self):
        scope = self.scope
        items = ChecklistItem.objects.for_user(scope.user).filter(
            campaign=scope.campaign, due_date__gte=scope.start, due_date__lte=scope.end)
        items = scope.within(items)
        if self.part is not None:
            path = self.part[0]
            # a county's subtree; a unit above the counties (the city itself), alone
            items = items.filter(unit__path__startswith=path) if len(path) == COUNTY_PATH else items.filter(
                unit__path=path)
        return items

    def parts(self):
        """Past one sheet's rows (a province), one workbook per county or district and one per unit
        directly under a city (its own departments)."""
        if self.part is not None or self.expected_rows() <= self.sheet_rows:
            return None
        keys = sorted(self.items().order_by().values_list(Substr("unit__path", 1, COUNTY_PATH), flat=True).distinct())
        names = dict(Unit.objects.filter(path__in=keys).values_list("path", "name"))
        return [ItemLedger(self.scope, part=(key, f"{n:03d}_{names[key]}")) for n, key in enumerate(keys, 1)]

    @property
    def filename(self):
        name = super().filename
        return f"{self.part[1]}_{name}" if self.part else name

    def expected_rows(self):
        return self.items().count()

    def sheets(self):
        county_of = county_namer(self.scope.user)
        statuses = dict(ChecklistItem._meta.get_field("status").flatchoices)
        rows = self.items().order_by("unit__path", "due_date", "standard_item__code").values_list(
            "unit__name", "unit__path", "standard_item__dimension__name", "standard_item__code",
            "standard_item__title", "period", "due_date", "status", "progress", "standard_item__quantity_target",
            "standard_item__measure_word", "quantity_achieved", "score", "standard_item__points", "reviewed_at",
            "review_comment")
        yield Sheet(
            name=str(_("Checklist items")),
            note=str(_("Status, score and review as they stand on the day of export.")),
            columns=[Column(_("unit"), 30), Column(_("county or district"), 12), Column(_("dimension"), 12),
                     Column(_("code"), 8), Column(_("measure"), 40), Column(_("period"), 9),
                     Column(_("due date"), 14, "date"), Column(_("status"), 10), Column(_("progress (%)"), 8, "int"),
                     Column(_("quantity target"), 10), Column(_("quantity achieved"), 10, "int"),
                     Column(_("score"), 8, "decimal"), Column(_("points"), 8, "decimal"),
                     Column(_("reviewed on"), 14, "date"), Column(_("review comment"), 30)],
            rows=([unit, county_of(path), dimension, code, title, period, due_date, str(statuses[status]), progress,
                   f"≥{target}{word}" if target else "", achieved, float(score) if score is not None else None,
                   float(points), timezone.localtime(reviewed_at).date() if reviewed_at else None, comment]
                  for (unit, path, dimension, code, title, period, due_date, status, progress, target, word, achieved,
                       score, points, reviewed_at, comment) in rows.iterator(chunk_size=5000)),
        )
