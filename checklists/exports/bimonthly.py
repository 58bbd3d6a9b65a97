import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models import ChecklistItem, LedgerEntry, Problem, ProblemStatus, Unit
from .base import Column, Exporter, Sheet, month_bounds
from .sheets import county_namer, statistics_sheet


class BimonthlyAnalysis(Exporter):
    """双月分析: completion by dimension and by county month by month, problem rectification, ledger totals."""

    identifier = "bimonthly"
    verbose_name = _("Bimonthly analysis")
    issuable = True
    period_help = _("the first of the two months, as YYYY-MM")

    @classmethod
    def period_of(cls, day):
        return f"{(day.replace(day=1) - datetime.timedelta(days=1)):%Y-%m}"  # the month before and this one

    @classmethod
    def period_bounds(cls, text):
        start, first_end = month_bounds(text)
        return start, month_bounds(f"{(first_end + datetime.timedelta(days=1)):%Y-%m}")[1]

    def sheets(self):
        scope = self.scope
        items = ChecklistItem.objects.for_user(scope.user).filter(campaign=scope.campaign, due_date__lte=scope.end)
        items = scope.within(items)
        months = self.months()
        county_of = county_namer(scope.user)
        dimensions = list(scope.campaign.standard_set.dimensions.values_list("name", flat=True))
        yield self.trend_sheet(_("By dimension"), _("dimension"), items, "standard_item__dimension__name",
                               months, None, order=dimensions)
        counties = [name for _path, name in sorted(Unit.objects.for_user(scope.user).county_names().items())]
        yield self.trend_sheet(_("By county"), _("county or district"), items, "unit__path", months, county_of,
                               order=counties, first=2 * Unit.steplen)
        yield self.problems_sheet(county_of)
        yield self.ledger_totals_sheet()
        yield statistics_sheet(scope)

    def months(self):
        """The task list's months up to the period's end, none that has not begun yet."""
        month, months = self.scope.campaign.period_start.replace(day=1), []
        while month <= min(self.scope.end, timezone.localdate()):
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months

    def trend_sheet(self, name, label, items, key, months, fold, order=(), first=None):
        """Rows by `key` (a field path, `first` characters of it), named (and the city's departments
        folded into one) by `fold`; those named in `order` first, in its order (the standard set's
        dimensions), then the rest as they sort."""
        rows = selectors.completion_by_month(items, key, months, fold=fold, first=first)
        if order:  # every one of them, with nothing due yet left empty
            position = {name_value: index for index, name_value in enumerate(order)}
            rows = {name_value: rows.get(name_value, [None] * len(months)) for name_value in order} | rows
            rows = dict(sorted(rows.items(), key=lambda row: (position.get(row[0], len(order)), str(row[0]))))
        return Sheet(
            name=str(name),
            columns=[Column(label, 16)] + [Column(f"{m:%Y-%m}", 9, "percent") for m in months],
            rows=([name_value, *shares] for name_value, shares in rows.items()),
            rag_column=len(months),
            note=str(_("Share approved of the items due by each month's end.")),
        )

    def problems_sheet(self, county_of):
        scope = self.scope
        problems = Problem.objects.for_user(scope.user).filter(found_on__lte=scope.end)
        problems = scope.within(problems).as_of(scope.end)
        counted = (problems.values(county=Substr("unit__path", 1, 2 * Unit.steplen))
                   .annotate(found=Count("pk"), closed=Count("pk", filter=Q(status_then=ProblemStatus.CLOSED)),
                             reported=Count("pk", filter=Q(status_then=ProblemStatus.REPORTED)),
                             late=Count("pk", filter=Q(deadline__lt=scope.end) & ~Q(status_then=ProblemStatus.CLOSED)))
                   .order_by("county"))
        city = county_of("")
        rows = {}  # the counties in order, then the city's departments added up in one row
        for row in sorted(counted, key=lambda row: county_of(row["county"]) == city):
            sums = rows.setdefault(county_of(row["county"]), [0, 0, 0, 0])
            for index, figure in enumerate(("found", "closed", "reported", "late")):
                sums[index] += row[figure]
        rows[str(_("Total"))] = [sum(sums[index] for sums in rows.values()) for index in range(4)]
        return Sheet(
            name=str(_("Problem rectification")),
            columns=[Column(_("county or district"), 14), Column(_("Problems found"), 10, "int"),
                     Column(_("Verified and closed"), 10, "int"), Column(_("Rectification reported"), 10, "int"),
                     Column(_("past deadline"), 10, "int"), Column(_("Problem rectification rate"), 12, "percent")],
            rows=([name, found, closed, reported, late, closed / found if found else None]
                  for name, (found, closed, reported, late) in rows.items()),
            rag_column=5,
            note=str(_("Problems found from the start of the task list to the end of the period, as they stood then.")),
        )

    def ledger_totals_sheet(self):
        scope = self.scope
        entries = LedgerEntry.objects.for_user(scope.user).filter(
            occurred_on__gte=scope.campaign.period_start, occurred_on__lte=scope.end)
        entries = scope.within(entries)
        rows = (entries.values("kind", "subkind").annotate(
            entries=Count("pk"), sessions=Sum("count"), people=Sum("participants"), copies=Sum("materials"))
            .order_by("kind", "subkind"))
        kinds, subkinds = dict(LedgerEntry._meta.get_field("kind").flatchoices), dict(
            LedgerEntry._meta.get_field("subkind").flatchoices)
        return Sheet(
            name=str(_("Ledger totals")),
            columns=[Column(_("ledger"), 14), Column(_("kind"), 24), Column(_("entries"), 8, "int"),
                     Column(_("sessions or works"), 10, "int"), Column(_("participants (person-times)"), 12, "int"),
                     Column(_("materials (copies)"), 10, "int")],
            rows=([str(kinds.get(r["kind"], r["kind"])), str(subkinds.get(r["subkind"], r["subkind"])), r["entries"],
                   r["sessions"], r["people"], r["copies"]] for r in rows),
        )
