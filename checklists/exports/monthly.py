import heapq
from collections import Counter

from django.utils.translation import gettext_lazy as _

from .. import ratings, selectors
from ..models import ChecklistItem, Evidence, ItemStatus, UnitKind
from .base import Column, Exporter, Sheet, SummarySheet
from .sheets import county_namer, statistics_sheet

SUMMARY_UNITS = 10  # units named at each end of the ranking on the first page


class MonthlyBulletin(Exporter):
    """月通报: a first page with completion and red/amber/green by county and both ends of the ranking;
    then, as appendices, every unit's completion, score and rank, the overdue list and the statistics."""

    identifier = "monthly"
    verbose_name = _("Monthly bulletin")
    issuable = True

    def sheets(self):
        scope = self.scope
        county_of = county_namer(scope.user)
        units = list(scope.within(selectors.unit_scores(user=scope.user, campaign=scope.campaign, today=scope.end),
                                  unit=""))
        yield self.summary_sheet(units, county_of)
        yield self.units_sheet(units, county_of)
        yield self.overdue_sheet(county_of)
        yield statistics_sheet(scope)

    def summary_sheet(self, units, county_of):
        scope = self.scope
        counties = selectors.county_rows(user=scope.user, campaign=scope.campaign, today=scope.end,
                                         within=scope.county)
        total = selectors.Row.total("", str(_("Total")), counties)
        rated = Counter((county_of(unit), ratings.rating(unit.completion)) for unit in units)
        for unit in units:
            rated[(total.name, ratings.rating(unit.completion))] += 1
        rags = ("red", "amber", "green")
        tables = [Sheet(
            name=str(_("Completion by county or district")),
            columns=[Column(_("county or district"), 14), Column(_("due"), 8, "int"), Column(_("approved"), 8, "int"),
                     Column(_("submitted"), 8, "int"), Column(_("completion"), 9, "percent"),
                     Column(_("overdue"), 8, "int"), *(Column(_("%(rating)s units") % {"rating": ratings.NAMES[rag]},
                                                              8, "int") for rag in rags)],
            rows=[[row.name, row.due, row.approved, row.submitted, row.completion / 100, row.overdue,
                   *(rated[(row.name, rag)] for rag in rags)] for row in [*counties, total]],
            rag_column=4)]
        if len(units) > 2 * SUMMARY_UNITS:  # a rank shared at either cut names every unit that shares it
            first = [unit for unit in units if unit.rank <= units[SUMMARY_UNITS - 1].rank]
            last = [unit for unit in units if unit.rank >= units[-SUMMARY_UNITS].rank]
            tables += [self.ranking_table(_("The ten first in the ranking"), first, county_of),
                       self.ranking_table(_("The ten last in the ranking"), last, county_of)]
        else:
            tables.append(self.ranking_table(_("Ranking"), units, county_of))
        return SummarySheet(name=str(_("Summary")), tables=tables,
                            note=str(_("Every unit in appendix 1, every overdue item in appendix 2.")))

    def ranking_table(self, caption, units, county_of):
        return Sheet(
            name=str(caption),
            columns=[Column(_("unit"), 30), Column(_("county or district"), 12), Column(_("rank"), 6, "int"),
                     Column(_("completion"), 9, "percent"), Column(_("score"), 8, "decimal"),
                     Column(_("overdue"), 8, "int"), Column(_("rating"), 6)],
            rows=[[u.name, county_of(u), u.rank, u.completion / 100, float(u.score), u.overdue,
                   str(ratings.NAMES[ratings.rating(u.completion)])] for u in units],
            rag_column=3)

    def units_sheet(self, units, county_of):
        kinds = {value: str(label) for value, label in UnitKind.choices}  # translated once, not per row
        return Sheet(
            name=str(_("Units")),
            columns=[Column(_("rank"), 6, "int"), Column(_("unit"), 30), Column(_("county or district"), 12),
                     Column(_("unit kind"), 10), Column(_("due"), 8, "int"), Column(_("approved"), 8, "int"),
                     Column(_("completion"), 10, "percent"), Column(_("score"), 8, "decimal"),
                     Column(_("overdue"), 8, "int"), Column(_("rating"), 8)],
            rows=([u.rank, u.name, county_of(u), kinds[u.kind], u.due, u.approved, u.completion / 100,
                   float(u.score), u.overdue, str(ratings.NAMES[ratings.rating(u.completion)])]
                  for u in units),
            rag_column=6,
        )

    def overdue_sheet(self, county_of):
        """Every item overdue at the period's end and, among them, every other item relying on a file expired
        by then; the note names the expired files."""
        scope = self.scope
        items = selectors.campaign_items(user=scope.user, campaign=scope.campaign, within=scope.county)
        expired = self.expired_files(items.relying_on_expired(scope.end))
        overdue = (items.filter(due_date__lte=scope.end).as_of(scope.end)
                   .filter(ChecklistItem.overdue_q(scope.end, status="status_then")))
        fields = ("pk", "unit__name", "unit__path", "standard_item__code", "standard_item__title", "period",
                  "due_date", "status_then")
        order = ("unit__path", "due_date", "standard_item__code")
        statuses = {value: str(label) for value, label in ItemStatus.choices}  # one translation each, not per row

        def rows():
            """The overdue items, and in their places the others relying on an expired file (few: read at
            once), both in the order of units, due dates and codes."""
            overdue_rows = overdue.order_by(*order).values_list(*fields).iterator(chunk_size=2000)
            rest = [row for row in items.filter(pk__in=list(expired)).as_of(scope.end).order_by(*order)
                    .values_list(*fields) if not ChecklistItem.overdue_on(row[6], row[7], scope.end)]
            for pk, name, path, code, title, period, due, status in heapq.merge(
                    overdue_rows, rest, key=lambda row: (row[2], row[6], row[3])):
                late = (scope.end - due).days if ChecklistItem.overdue_on(due, status, scope.end) else None
                yield [name, county_of(path), code, title, period, due, statuses[status], late, expired.get(pk, "")]

        return Sheet(
            name=str(_("Overdue items")),
            columns=[Column(_("unit"), 30), Column(_("county or district"), 12), Column(_("code"), 8),
                     Column(_("measure"), 40), Column(_("period"), 9), Column(_("due date"), 14, "date"),
                     Column(_("status"), 10), Column(_("days overdue"), 10, "int"), Column(_("note"), 36)],
            rows=rows(),
            note=str(_("Also listed, with no days overdue: items not overdue that rely on an expired file.")),
        )

    def expired_files(self, items):
        """Item pk → "证明材料已过期：name（有效期至 day）" for the files counted for it that expired by the
        period's end."""
        files = Evidence.all_objects.expired_on(self.scope.end)
        found = {}
        for item, name, day in [
                *files.filter(item__in=items).values_list("item_id", "name", "valid_until"),
                *files.filter(entry__links__item__in=items, entry__archived_at__isnull=True)
                .values_list("entry__links__item_id", "name", "valid_until")]:
            found.setdefault(item, []).append(_("%(file)s (valid until %(day)s)") % {"file": name, "day": day})
        return {item: str(_("Evidence expired: %(files)s")) % {"files": "；".join(map(str, names))}
                for item, names in found.items()}
