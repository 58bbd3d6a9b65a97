"""What a year-end summary says, read from the ledgers: what a body (the city, a county, one unit) did in
a period, by the dimensions and measures of its task list's standard set, every figure with the records
it counts. `exports.summary` writes it as a Word document; nothing here is worded for the page."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    ChecklistItem,
    Dimension,
    ItemStatus,
    LedgerEntry,
    LedgerKind,
    LedgerLink,
    Problem,
    ProblemStatus,
    StandardItem,
    Unit,
    UnitKind,
)
from .statistics import ADDED_UP, figures_for


@dataclass
class Counted:
    """A figure of the draft: its value and what it counts (`counts` in words, `records`: the entries or
    problems)."""

    label: str
    value: int
    unit_word: str
    counts: str
    records: list = field(default_factory=list)
    headcount: bool = False
    parts: list = field(default_factory=list)  # Counted by kind, where the reports give them: meetings


@dataclass
class MeasureWork:
    standard_item: StandardItem
    entries: list  # the entries counted towards the measure's items, by day


@dataclass
class DimensionWork:
    dimension: Dimension
    measures: list  # MeasureWork, in the standard set's order
    units_without: list  # names of the units with items of the dimension and no entry counted for it

    @property
    def entries(self):
        seen, found = set(), []
        for measure in self.measures:
            found += [entry for entry in measure.entries if entry.pk not in seen and not seen.add(entry.pk)]
        return found


@dataclass
class Unfinished:
    """A measure's items due in the period and not approved (not submitted, or not yet reviewed)."""

    standard_item: StandardItem
    units: list  # names
    items: int = 0


@dataclass
class SummaryContent:
    body: Unit
    campaign: object
    start: datetime.date
    end: datetime.date
    headline: list  # Counted, in the order the opening paragraph gives them
    figures: list  # (statistics.FigureValue, the entries it counts), the non-zero ones the reports quote
    dimensions: list  # DimensionWork, every dimension of the standard set, in its order
    others: list  # entries counted towards no item of the task list
    problems_open: list
    unfinished: list  # Unfinished, by dimension and measure
    units_in_scope: int

    @property
    def is_empty(self):
        return not (any(work.measures for work in self.dimensions) or self.others or self.problems_open)


HEADLINE = [  # (ledger, what the opening paragraph says before the figure, measure word, field added up)
    (LedgerKind.MEETING, "召开会议", "次", "count"),
    (LedgerKind.DOCUMENT, "印发文件", "件", "count"),
    (LedgerKind.TRAINING, "举办培训", "场", "count"),
    (LedgerKind.TRAINING, "参训", "人次", "participants"),
    (LedgerKind.ACTIVITY, "开展廉洁活动", "项", "entries"),  # one each: a service's count is of households
    (LedgerKind.ACTIVITY, "参与活动", "人次", "participants"),
    (LedgerKind.RESPONSIBILITY, "签订责任清单（责任书）", "份", "count"),
    (LedgerKind.SELF_INSPECTION, "开展自查自纠", "次", "count"),
    (LedgerKind.VISIT, "督导检查", "次", "count"),  # of the body's units, by whoever made them
]
PROBLEMS_FOUND, PROBLEMS_CLOSED = "发现问题", "整改销号"
RESTATED = {"visits", "problems_found", "problems_closed"}  # the reports' figures the headline gives already


def summary_content(*, user, body: Unit, campaign, start: datetime.date, end: datetime.date) -> SummaryContent:
    """Everything the summary of `body` for [start, end] says, within what `user` reaches; `campaign`'s
    standard set gives the dimensions and measures, its items what is not yet done."""
    entries = list(LedgerEntry.objects.for_user(user).filter(
        unit__path__startswith=body.path, occurred_on__range=(start, end)).select_related("unit", "inspector_unit")
        .annotate(duty_count=Count("duties")).order_by("occurred_on", "pk"))
    by_pk = {entry.pk: entry for entry in entries}
    measures_of = {}
    for entry_id, item_id in (LedgerLink.objects.filter(entry_id__in=by_pk, item__campaign=campaign)
                              .values_list("entry_id", "item__standard_item_id").distinct()):
        measures_of.setdefault(item_id, []).append(by_pk[entry_id])
    counted = {entry.pk for found in measures_of.values() for entry in found}
    items = ChecklistItem.objects.for_user(user).filter(campaign=campaign, unit__path__startswith=body.path)
    problems = Problem.objects.for_user(user).filter(unit__path__startswith=body.path,
                                                     found_on__range=(start, end))
    return SummaryContent(
        body=body, campaign=campaign, start=start, end=end,
        headline=_headline(entries, problems),
        figures=_figures(user, body, start, end, by_pk),
        dimensions=_dimensions(campaign, measures_of, items),
        others=[entry for entry in entries if entry.pk not in counted],
        problems_open=list(problems.exclude(status=ProblemStatus.CLOSED).select_related("unit")
                           .order_by("deadline", "pk")),
        unfinished=_unfinished(items.filter(due_date__range=(start, min(end, timezone.localdate())))
                               .exclude(status=ItemStatus.APPROVED)),
        units_in_scope=items.values("unit").distinct().count(),
    )


def _figures(user, body, start, end, by_pk):
    """The reports' figures the opening adds, each with the entries it counts: those of the ledgers, and
    for the city also those of its units and standard sets (a county's would be the city's or 1)."""
    shown = []
    entries = LedgerEntry.objects.for_user(user).filter(unit__path__startswith=body.path,
                                                        occurred_on__range=(start, end))
    for value in figures_for(user, start=start, end=end, within=body):
        figure = value.figure
        if not value.value or figure.key in RESTATED or (figure.compute and body.kind != UnitKind.CITY):
            continue
        pks = [] if figure.compute else figure.records(entries).values_list("pk", flat=True)
        shown.append((value, [by_pk[pk] for pk in pks if pk in by_pk]))
    return shown


def _headline(entries, problems):
    headline = []
    for kind, label, word, added in HEADLINE:
        records = [entry for entry in entries if entry.kind == kind]
        value = len(records) if added == "entries" else sum(getattr(entry, added) or 0 for entry in records)
        if value:
            counted = Counted(label, value, word, _added_up(kind, added), records, headcount=word == "人次")
            if kind == LedgerKind.MEETING:
                counted.parts = _by_kind(records, word)
            headline.append(counted)
    found = list(problems.select_related("unit").order_by("found_on", "pk"))
    closed = [problem for problem in found if problem.status == ProblemStatus.CLOSED]
    if found:
        headline += [Counted(PROBLEMS_FOUND, len(found), "个", str(_("Problems found in the period, in use")), found),
                     Counted(PROBLEMS_CLOSED, len(closed), "个",
                             str(_("Problems found in the period and closed after verification")), closed)]
    return headline


def _by_kind(records, word):
    """The meetings by kind, the most held first, when there is more than one kind."""
    kinds = {}
    for entry in records:
        kinds.setdefault(entry.subkind, []).append(entry)
    if len(kinds) < 2:
        return []
    parts = [Counted(str(group[0].get_subkind_display()), sum(entry.count for entry in group), word,
                     f"{_added_up(LedgerKind.MEETING, 'count')}（{group[0].get_subkind_display()}）", group)
             for group in kinds.values()]
    return sorted(parts, key=lambda part: -part.value)


def _added_up(kind, added):
    return f"{LedgerKind(kind).label}：{ADDED_UP[added]}"


def _dimensions(campaign, measures_of, items):
    """Each dimension of the set with its measures that have entries, and the units without any."""
    standard_items = list(StandardItem.objects.filter(standard_set=campaign.standard_set)
                          .select_related("dimension").order_by("dimension__order", "order", "code"))
    units_of = {}
    for unit_name, dimension_id in (items.values_list("unit__name", "standard_item__dimension_id")
                                    .distinct().order_by("unit__path")):
        units_of.setdefault(dimension_id, []).append(unit_name)
    dimensions = []
    for dimension in Dimension.objects.filter(standard_set=campaign.standard_set).order_by("order", "code"):
        measures = [MeasureWork(item, measures_of[item.pk]) for item in standard_items
                    if item.dimension_id == dimension.pk and item.pk in measures_of]
        doing = {entry.unit.name for measure in measures for entry in measure.entries}
        dimensions.append(DimensionWork(dimension, measures,
                                        [name for name in units_of.get(dimension.pk, []) if name not in doing]))
    return dimensions


def _unfinished(items):
    by_measure = {}
    for item in items.select_related("standard_item__dimension", "unit").order_by(
            "standard_item__dimension__order", "standard_item__order", "unit__path"):
        unfinished = by_measure.setdefault(item.standard_item_id, Unfinished(item.standard_item, []))
        unfinished.items += 1
        if item.unit.name not in unfinished.units:
            unfinished.units.append(item.unit.name)
    return list(by_measure.values())

