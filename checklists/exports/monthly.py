from django.utils.translation import gettext_lazy as _

from .. import ratings, selectors
from ..models import ChecklistItem, ItemStatus, Unit
from .base import Column, Exporter, Sheet
from .sheets import county_namer, statistics_sheet


class MonthlyBulletin(Exporter):
    """月通报: per-unit completion, score and rank with red/amber/green; county totals; the overdue list."""

    identifier = "monthly"
    verbose_name = _("Monthly bulletin")

    def sheets(self):
        scope = self.scope
        county_of = county_namer(scope.user)
        yield self.units_sheet(county_of)
        yield self.counties_sheet()
        yield self.overdue_sheet(county_of)
        yield statistics_sheet(scope)

    def units_sheet(self, county_of):
        scope = self.scope
        units = selectors.unit_scores(user=scope.user, campaign=scope.campaign, today=scope.end)
        units = scope.within(units, unit="")
        return Sheet(
            name=str(_("Units")),
            columns=[Column(_("rank"), 6, "int"), Column(_("unit"), 30), Column(_("county or district"), 12),
                     Column(_("unit kind"), 10), Column(_("due"), 8, "int"), Column(_("approved"), 8, "int"),
                     Column(_("completion"), 10, "percent"), Column(_("score"), 8, "decimal"),
                     Column(_("overdue"), 8, "int"), Column(_("rating"), 8)],
            rows=([u.rank, u.name, county_of(u), u.get_kind_display(), u.due, u.approved, u.completion / 100,
                   float(u.score), u.overdue, str(ratings.NAMES[ratings.rating(u.completion)])]
                  for u in units.iterator()),
            rag_column=6,
        )

    def counties_sheet(self):
        scope = self.scope
        items = selectors.campaign_items_due(user=scope.user, campaign=scope.campaign, today=scope.end,
                                             within=scope.county)
        rows = selectors.county_totals(items, Unit.objects.for_user(scope.user), scope.end)
        return Sheet(
            name=str(_("Counties and districts")),
            columns=[Column(_("county or district"), 14), Column(_("due"), 8, "int"),
                     Column(_("approved"), 8, "int"), Column(_("submitted"), 8, "int"),
                     Column(_("completion"), 10, "percent"), Column(_("overdue"), 8, "int"),
                     Column(_("score"), 10, "decimal")],
            rows=([r.name, r.due, r.approved, r.submitted, r.completion / 100, r.overdue, r.score] for r in rows),
            rag_column=4,
        )

    def overdue_sheet(self, county_of):
        scope = self.scope
        items = (selectors.campaign_items_due(user=scope.user, campaign=scope.campaign, today=scope.end,
                                              within=scope.county)
                 .as_of(scope.end).filter(ChecklistItem.overdue_q(scope.end, status="status_then"))
                 .select_related("unit", "standard_item").order_by("unit__path", "due_date", "standard_item__code"))
        statuses = dict(ItemStatus.choices)
        return Sheet(
            name=str(_("Overdue items")),
            columns=[Column(_("unit"), 30), Column(_("county or district"), 12), Column(_("code"), 8),
                     Column(_("measure"), 40), Column(_("period"), 9), Column(_("due date"), 14, "date"),
                     Column(_("status"), 10), Column(_("days overdue"), 10, "int")],
            rows=([i.unit.name, county_of(i.unit), i.standard_item.code, i.standard_item.title, i.period,
                   i.due_date, str(statuses[i.status_then]), (scope.end - i.due_date).days]
                  for i in items.iterator(chunk_size=2000)),
        )


