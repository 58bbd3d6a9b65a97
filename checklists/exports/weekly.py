import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ChecklistItem, ItemStatus, ItemTransition, Problem, ProblemStatus, Unit
from ..models.accounts import person_name
from ..models.expressions import within_days
from ..selectors.weeks import WeekRow, week_by_county
from .base import Column, Exporter, Sheet, SummarySheet, day_of
from .sheets import county_namer, statistics_sheet


SUMMARY_UNITS = 10  # units named on a first page


class WeeklyDispatch(Exporter):
    """周调度: a first page with the week by county and the units most overdue; then, as appendices,
    what moved this week, what falls due next week, who is overdue, problems found and closed."""

    identifier = "weekly"
    verbose_name = _("Weekly dispatch")
    issuable = True
    period_help = _("any day of the week, as YYYY-MM-DD")
    period_input = "date"

    @classmethod
    def period_of(cls, day):
        return str(day)

    @classmethod
    def period_bounds(cls, text):
        day = day_of(text)
        monday = day - datetime.timedelta(days=day.weekday())
        return monday, monday + datetime.timedelta(days=6)

    def sheets(self):
        county_of = county_namer(self.scope.user)
        late = list(self.overdue_by_unit())
        yield self.summary_sheet(county_of, late)
        yield self.moves_sheet()
        yield self.due_next_week_sheet()
        yield self.overdue_by_unit_sheet(county_of, late)
        yield self.problems_sheet()
        yield statistics_sheet(self.scope)

    def items(self):
        scope = self.scope
        items = ChecklistItem.objects.for_user(scope.user).filter(campaign=scope.campaign)
        return scope.within(items)

    def summary_sheet(self, county_of, late):
        scope = self.scope
        problems = scope.within(Problem.objects.for_user(scope.user))
        counties = Unit.objects.for_user(scope.user).county_names()
        if scope.county is not None:
            counties = {scope.county.path: scope.county.name}
        rows = week_by_county(items=self.items(), problems=problems, counties=counties, start=scope.start,
                              end=scope.end)
        total = WeekRow(str(_("Total")))
        for row in rows:
            total.add(row)
        figures = ("submitted", "approved", "returned", "due_next_week", "overdue", "problems_found",
                   "problems_closed")
        return SummarySheet(name=str(_("Summary")), tables=[
            Sheet(name=str(_("This week by county or district")),
                  columns=[Column(_("county or district"), 14), Column(_("submitted this week"), 8, "int"),
                           Column(_("approved this week"), 8, "int"), Column(_("returned this week"), 8, "int"),
                           Column(_("due next week"), 8, "int"), Column(_("overdue"), 8, "int"),
                           Column(_("problems found this week"), 8, "int"),
                           Column(_("problems closed this week"), 8, "int")],
                  rows=[[row.name, *(getattr(row, figure) for figure in figures)] for row in [*rows, total]]),
            Sheet(name=str(_("Units with the most overdue items")),
                  columns=[Column(_("unit"), 30), Column(_("county or district"), 12),
                           Column(_("overdue items"), 8, "int"), Column(_("oldest due date"), 14, "date")],
                  rows=[[row["unit__name"], county_of(row["unit__path"]), row["count"], row["oldest"]]
                        for row in late[:SUMMARY_UNITS]]),
        ], note=str(_("The week's moves, items due next week, overdue units and problems in the appendices.")))

    def moves_sheet(self):
        scope = self.scope
        week = ItemTransition.objects.filter(within_days("at", scope.start, scope.end), item__in=self.items())
        # Who moved them, read apart: joined, SQLite read every item of the task list once for each user.
        people = {pk: person_name(first, last, username) for pk, first, last, username in
                  get_user_model().objects.filter(pk__in=week.values("by_id")).values_list(
                      "pk", "first_name", "last_name", "username")}
        moves = week.order_by("at", "pk").values_list(
            "at", "item__unit__name", "item__standard_item__code", "item__standard_item__title", "from_status",
            "to_status", "by_id", "comment")
        statuses = {value: str(label) for value, label in ItemStatus.choices}
        return Sheet(
            name=str(_("This week")),
            columns=[Column(_("date"), 14, "date"), Column(_("unit"), 26), Column(_("code"), 8),
                     Column(_("measure"), 34), Column(_("from"), 9), Column(_("to"), 9), Column(_("by"), 12),
                     Column(_("comment"), 26)],
            rows=([timezone.localdate(at), unit, code, title, statuses[before], statuses[after], people[by], comment]
                  for at, unit, code, title, before, after, by, comment in moves.iterator(chunk_size=2000)),
        )

    def due_next_week_sheet(self):
        scope = self.scope
        start, end = scope.end + datetime.timedelta(days=1), scope.end + datetime.timedelta(days=7)
        items = (self.items().filter(due_date__gte=start, due_date__lte=end).as_of(scope.end)
                 .exclude(status_then__in=ChecklistItem.DONE_STATUSES).select_related("unit", "standard_item")
                 .order_by("due_date", "unit__path"))
        statuses = dict(ItemStatus.choices)
        return Sheet(
            name=str(_("Due next week")),
            columns=[Column(_("due date"), 14, "date"), Column(_("unit"), 30), Column(_("code"), 8),
                     Column(_("measure"), 40), Column(_("status"), 10), Column(_("progress (%)"), 10, "int")],
            rows=([i.due_date, i.unit.name, i.standard_item.code, i.standard_item.title, str(statuses[i.status_then]),
                   i.progress] for i in items.iterator(chunk_size=2000)),
        )

    def overdue_by_unit(self):
        end = self.scope.end
        return (self.items().as_of(end).filter(ChecklistItem.overdue_q(end, status="status_then"))
                .values("unit__name", "unit__path")
                .annotate(count=Count("pk"), oldest=Min("due_date")).order_by("-count", "unit__path"))

    def overdue_by_unit_sheet(self, county_of, late):
        return Sheet(
            name=str(_("Overdue by unit")),
            columns=[Column(_("unit"), 30), Column(_("county or district"), 12), Column(_("overdue items"), 10, "int"),
                     Column(_("oldest due date"), 14, "date")],
            rows=([row["unit__name"], county_of(row["unit__path"]), row["count"], row["oldest"]] for row in late),
        )

    def problems_sheet(self):
        scope = self.scope
        problems = Problem.objects.for_user(scope.user)
        problems = scope.within(problems)
        week = (Q(found_on__gte=scope.start, found_on__lte=scope.end)
                | Q(within_days("closed_at", scope.start, scope.end), status=ProblemStatus.CLOSED))
        problems = problems.filter(week).as_of(scope.end).select_related("unit").order_by("found_on", "pk")
        statuses = dict(ProblemStatus.choices)
        return Sheet(
            name=str(_("Problems this week")),
            columns=[Column(_("unit"), 30), Column(_("problem"), 40), Column(_("found on date"), 14, "date"),
                     Column(_("rectification deadline"), 14, "date"), Column(_("status"), 12),
                     Column(_("closed at"), 14, "date")],
            rows=([p.unit.name, p.description, p.found_on, p.deadline, str(statuses[p.status_then]),
                   timezone.localdate(p.closed_at) if p.closed_at and p.status_then == ProblemStatus.CLOSED else None]
                  for p in problems.iterator(chunk_size=2000)),
        )


