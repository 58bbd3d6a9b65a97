"""The figures the reports quote, computed from the tracker's own records.

Each figure is a named query over a scope (a user's reach, optionally a date range);
the statistics sheet of every workbook and the demo-data test read this one list.
"""

from dataclasses import dataclass
from typing import Callable

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from ..models import (
    ActivityKind,
    LedgerEntry,
    LedgerKind,
    MeetingKind,
    Problem,
    ProblemStatus,
    StandardItem,
    TrainingKind,
    Unit,
    UnitKind,
)


# Measure words that count people: attendance is a headcount reports give loosely (80余名企业家).
HEADCOUNT_WORDS = {"人", "名", "人次"}


def approximate(number: int, headcount: bool = False) -> str:
    """A count the way the reports write it: exact when it is round or under 100 (8次, 52场, 86户,
    200场次), else rounded down with 余 (546 → "540余", 50300 → "5万余"). A headcount of ten or more
    is rounded even under 100 (83 → "80余名", 4名 stays exact), as the reports do.

    Rounding keeps two significant digits from 100 on, one under 100, whole 万 from 10,000 on.
    """
    if number >= 10000:
        wan = number / 10000
        digits = len(str(int(wan)))
        step = 10 ** max(digits - 2, 0) if wan >= 10 else 1
        shown = int(wan // step * step)
        return f"{shown}万" if shown * 10000 == number else f"{shown}万余"
    if number < 10 or (number < 100 and not headcount):
        return str(number)
    significant = 1 if number < 100 else 2
    step = 10 ** (len(str(number)) - significant)
    shown = number // step * step
    return str(shown) if shown == number else f"{shown}余"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit_word: str
    compute: Callable  # (entries, units, problems, standard_items) -> int


def _sum(queryset, field):
    return queryset.aggregate(total=Sum(field))["total"] or 0


def _entries(entries, kind, *subkinds):
    entries = entries.filter(kind=kind)
    return entries.filter(subkind__in=subkinds) if subkinds else entries


FIGURES = [
    Figure("standing_committee_meetings", _("Standing-committee meetings on clean building"), "次",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.MEETING, MeetingKind.STANDING_COMMITTEE), "count")),
    Figure("booklets", _("Clean-unit booklets handed out"), "册",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.ACTIVITY, ActivityKind.MATERIALS), "materials")),
    Figure("counties", _("Counties and districts"), "个", lambda e, u, p, s: u.filter(kind=UnitKind.COUNTY).count()),
    Figure("demonstration_sites", _("Demonstration sites"), "家",
           lambda e, u, p, s: u.filter(is_demonstration_site=True).count()),
    Figure("visits", _("Supervision visits"), "次", lambda e, u, p, s: _sum(_entries(e, LedgerKind.VISIT), "count")),
    Figure("problems_found", _("Problems found"), "个", lambda e, u, p, s: p.count()),
    Figure("problems_closed", _("Problems solved (verified and closed)"), "个",
           lambda e, u, p, s: p.filter(status=ProblemStatus.CLOSED).count()),
    Figure("pledge_show_cadres", _("Leading cadres in the integrity pledge and show"), "人",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.ACTIVITY, ActivityKind.PLEDGE, ActivityKind.SHOW),
                                   "participants")),
    Figure("integrity_lectures", _("Integrity Party lectures"), "次",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.ACTIVITY, ActivityKind.LECTURE), "count")),
    Figure("organ_standards", _("Clean-organ creation standards"), "条",
           lambda e, u, p, s: s.filter(standard_set__unit_kind=UnitKind.ORGAN).values("standard_set")
           .annotate(n=Count("pk")).order_by("-n").values_list("n", flat=True).first() or 0),
    Figure("entrepreneurs_trained", _("Entrepreneurs at enterprise trainings"), "名",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.TRAINING, TrainingKind.ENTERPRISE), "participants")),
    Figure("village_cases", _("Clean-village demonstration cases"), "个",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.ACTIVITY, ActivityKind.DEMONSTRATION_CASE)
                                   .filter(unit__kind=UnitKind.VILLAGE), "count")),
    Figure("hospital_models", _("Hospital staff named as models"), "人次",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.ACTIVITY, ActivityKind.MODEL_SELECTION)
                                   .filter(unit__kind=UnitKind.HOSPITAL), "participants")),
    Figure("opera_shows", _("Opera shows"), "场",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.ACTIVITY, ActivityKind.OPERA), "count")),
    Figure("micro_videos", _("Micro-videos"), "部",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.ACTIVITY, ActivityKind.MICRO_VIDEO), "count")),
    Figure("calligraphy_exhibitions", _("Calligraphy and painting exhibitions"), "场次",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.ACTIVITY, ActivityKind.CALLIGRAPHY), "count")),
    Figure("sites_visited_by_reporters", _("Demonstration sites visited by reporters"), "个",
           lambda e, u, p, s: _entries(e, LedgerKind.ACTIVITY, ActivityKind.REPORTER_VISIT)
           .filter(unit__is_demonstration_site=True).values("unit").distinct().count()),
    Figure("seminar_cadres", _("County-level cadres at the Party-school seminar"), "名",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.TRAINING, TrainingKind.SEMINAR), "participants")),
    Figure("special_trainings", _("Special trainings"), "场",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.TRAINING, TrainingKind.SPECIAL), "count")),
    Figure("special_training_attendees", _("Cadres at special trainings"), "人",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.TRAINING, TrainingKind.SPECIAL), "participants")),
    Figure("licence_separation", _("Businesses through licence separation"), "户",
           lambda e, u, p, s: _sum(_entries(e, LedgerKind.ACTIVITY, ActivityKind.SERVICE)
                                   .filter(title__contains="证照分离"), "count")),
]


@dataclass(frozen=True)
class FigureValue:
    figure: Figure
    value: int

    @property
    def approximate(self):
        return approximate(self.value, headcount=self.figure.unit_word in HEADCOUNT_WORDS)

    @property
    def written(self):
        """As the reports write it, with its measure word: 540余次, 52场."""
        return f"{self.approximate}{self.figure.unit_word}"


def figures_for(user, *, start=None, end=None, within=None):
    """Every figure over what the user reaches (and `within` a unit's subtree), entries in [start, end]."""
    entries = LedgerEntry.objects.for_user(user)
    problems = Problem.objects.for_user(user)
    units = Unit.objects.for_user(user)
    if within is not None:
        entries = entries.filter(unit__path__startswith=within.path)
        problems = problems.filter(unit__path__startswith=within.path)
        units = units.filter(path__startswith=within.path)
    if start:
        entries, problems = entries.filter(occurred_on__gte=start), problems.filter(found_on__gte=start)
    if end:
        entries, problems = entries.filter(occurred_on__lte=end), problems.filter(found_on__lte=end)
    standard_items = StandardItem.objects.for_user(user)
    return [FigureValue(f, f.compute(entries, units, problems, standard_items)) for f in FIGURES]
