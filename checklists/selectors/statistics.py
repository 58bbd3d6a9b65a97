"""The figures the reports quote, computed from the tracker's own records.

Each figure is a named query over a scope (a user's reach, optionally a date range);
the statistics sheet of every workbook and the demo-data test read this one list.
"""

from dataclasses import dataclass
from typing import Callable

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from ..models import (
    ActivityKind,
    LedgerEntry,
    LedgerKind,
    MeetingKind,
    Problem,
    ProblemStatus,
    SUBKINDS,
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


ADDED_UP = {"count": _("sessions or works added up"), "participants": _("participants added up"),
            "materials": _("copies added up"), "units": _("units counted"), "entries": _("entries counted")}


@dataclass(frozen=True)
class Figure:
    """A figure the reports quote. Most are of the ledgers: the entries of one ledger (`kind`), of some of
    its kinds (`subkinds`), further narrowed (`where`, said in words by `narrowed`), adding up one field
    (`field`; "units": the units counted once each). The others (`compute`) say what they count in
    `counts`."""

    key: str
    label: str
    unit_word: str
    kind: str = ""
    subkinds: tuple = ()
    field: str = "count"
    where: Q = Q()
    narrowed: str = ""
    compute: Callable | None = None  # (units, problems, standard_items) -> int
    counts: str = ""

    def records(self, entries):
        """The ledger entries this figure counts, out of `entries`."""
        entries = entries.filter(kind=self.kind).filter(self.where)
        return entries.filter(subkind__in=self.subkinds) if self.subkinds else entries

    def value(self, entries, units, problems, standard_items):
        if self.compute is not None:
            return self.compute(units, problems, standard_items)
        records = self.records(entries)
        if self.field == "units":
            return records.values("unit").distinct().count()
        return records.aggregate(total=Sum(self.field))["total"] or 0

    def description(self):
        """What the figure counts, in words, for a reader checking it."""
        if self.compute is not None:
            return str(self.counts)
        kinds = "、".join(str(SUBKINDS[self.kind](subkind).label) for subkind in self.subkinds)
        ledger = LedgerKind(self.kind).label
        return "".join(str(part) for part in (
            ledger, f"（{kinds}）" if kinds else "", self.narrowed and f"，{self.narrowed}", "：",
            ADDED_UP[self.field]))


def _largest_organ_standard_set(standard_items):
    return (standard_items.filter(standard_set__unit_kind=UnitKind.ORGAN).values("standard_set")
            .annotate(n=Count("pk")).order_by("-n").values_list("n", flat=True).first() or 0)


FIGURES = [
    Figure("standing_committee_meetings", _("Standing-committee meetings on clean building"), "次",
           LedgerKind.MEETING, (MeetingKind.STANDING_COMMITTEE,)),
    Figure("booklets", _("Clean-unit booklets handed out"), "册", LedgerKind.ACTIVITY, (ActivityKind.MATERIALS,),
           "materials"),
    Figure("counties", _("Counties and districts"), "个", compute=lambda u, p, s: u.filter(kind=UnitKind.COUNTY).count(),
           counts=_("Counties and districts in the unit tree")),
    Figure("demonstration_sites", _("Demonstration sites"), "家",
           compute=lambda u, p, s: u.filter(is_demonstration_site=True).count(),
           counts=_("Units marked as demonstration sites")),
    Figure("visits", _("Supervision visits"), "次", LedgerKind.VISIT),
    Figure("problems_found", _("Problems found"), "个", compute=lambda u, p, s: p.count(),
           counts=_("Problems found in the period, in use")),
    Figure("problems_closed", _("Problems solved (verified and closed)"), "个",
           compute=lambda u, p, s: p.filter(status=ProblemStatus.CLOSED).count(),
           counts=_("Problems found in the period and closed after verification")),
    Figure("pledge_show_cadres", _("Leading cadres in the integrity pledge and show"), "人", LedgerKind.ACTIVITY,
           (ActivityKind.PLEDGE, ActivityKind.SHOW), "participants"),
    Figure("integrity_lectures", _("Integrity Party lectures"), "次", LedgerKind.ACTIVITY, (ActivityKind.LECTURE,)),
    Figure("organ_standards", _("Clean-organ creation standards"), "条", compute=lambda u, p, s: (
        _largest_organ_standard_set(s)), counts=_("Measures of the largest standard set for organs")),
    Figure("entrepreneurs_trained", _("Entrepreneurs at enterprise trainings"), "名", LedgerKind.TRAINING,
           (TrainingKind.ENTERPRISE,), "participants"),
    Figure("village_cases", _("Clean-village demonstration cases"), "个", LedgerKind.ACTIVITY,
           (ActivityKind.DEMONSTRATION_CASE,), where=Q(unit__kind=UnitKind.VILLAGE), narrowed=_("of villages")),
    Figure("hospital_models", _("Hospital staff named as models"), "人次", LedgerKind.ACTIVITY,
           (ActivityKind.MODEL_SELECTION,), "participants", Q(unit__kind=UnitKind.HOSPITAL), _("of hospitals")),
    Figure("opera_shows", _("Opera shows"), "场", LedgerKind.ACTIVITY, (ActivityKind.OPERA,)),
    Figure("micro_videos", _("Micro-videos"), "部", LedgerKind.ACTIVITY, (ActivityKind.MICRO_VIDEO,)),
    Figure("calligraphy_exhibitions", _("Calligraphy and painting exhibitions"), "场次", LedgerKind.ACTIVITY,
           (ActivityKind.CALLIGRAPHY,)),
    Figure("sites_visited_by_reporters", _("Demonstration sites visited by reporters"), "个", LedgerKind.ACTIVITY,
           (ActivityKind.REPORTER_VISIT,), "units", Q(unit__is_demonstration_site=True),
           _("at demonstration sites")),
    Figure("seminar_cadres", _("County-level cadres at the Party-school seminar"), "名", LedgerKind.TRAINING,
           (TrainingKind.SEMINAR,), "participants"),
    Figure("special_trainings", _("Special trainings"), "场", LedgerKind.TRAINING, (TrainingKind.SPECIAL,)),
    Figure("special_training_attendees", _("Cadres at special trainings"), "人", LedgerKind.TRAINING,
           (TrainingKind.SPECIAL,), "participants"),
    Figure("licence_separation", _("Businesses through licence separation"), "户", LedgerKind.ACTIVITY,
           (ActivityKind.SERVICE,), where=Q(title__contains="证照分离"), narrowed=_("titled 证照分离")),
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
    return [FigureValue(f, f.value(entries, units, problems, standard_items)) for f in FIGURES]
