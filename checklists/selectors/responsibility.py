"""Responsibility lists renewed for the new year: which units the office still waits for."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from ..exports.sheets import county_namer
from ..models import ResponsibilityList
from .queue import managed_within

LIST_FIELDS = ("pk", "unit_id", "title", "occurred_on")


class RenewalState(models.TextChoices):
    """Where a unit stands, in the order the office follows them up."""

    NOT_RENEWED = "not_renewed", _("Not renewed")
    UNSIGNED = "unsigned", _("Renewed, not signed")
    RENEWED = "renewed", _("Renewed and signed")


STATE_ORDER = {state: number for number, state in enumerate(RenewalState)}


def renewal_years(user) -> dict:
    """{year: lists the year before}: the years a renewal can be looked at for, each after a year with
    lists in the user's reach."""
    lists = managed_within(user, ResponsibilityList.objects.for_user(user))
    counted = lists.annotate(year=ExtractYear("occurred_on")).values("year").annotate(n=Count("pk")).order_by("year")
    return {row["year"] + 1: row["n"] for row in counted}


def default_renewal_year(years, today) -> int:
    """This year, if there are lists of last year to renew; else the year before it with the most lists
    to renew (the demo's 2024, after the 132 lists of 2023)."""
    earlier = [year for year in years if year <= today.year]
    if today.year in years or not earlier:
        return today.year
    return max(earlier, key=lambda year: (years[year], year))


@dataclass
class UnitRenewal:
    """One unit's row: last year's list, the year's list shown (by the deadline if there is one, else one
    dated after it), its duties and how many are signed, and the state."""

    unit_name: str
    unit_path: str
    county: str
    last: dict
    current: dict | None = None
    state: str = RenewalState.NOT_RENEWED

    @property
    def late(self):
        """The year's list shown is dated after the deadline."""
        return self.current is not None and self.state == RenewalState.NOT_RENEWED

    @property
    def state_label(self):
        return RenewalState(self.state).label


@dataclass
class Renewal:
    year: int
    deadline: datetime.date
    rows: list = field(default_factory=list)

    @property
    def counts(self):
        """{state: number of units}, every state present."""
        counted = {state: 0 for state in RenewalState}
        for row in self.rows:
            counted[RenewalState(row.state)] += 1
        return counted


def _year(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _signed(listed):
    """Every duty of the list signed; a list with no duty recorded has no signing recorded either."""
    return listed["duty_count"] > 0 and listed["unsigned"] == 0


def _best(lists, deadline):
    """The year's list that tells the unit's state, and the state: a signed one by the deadline first,
    then any by the deadline, then the first dated after it."""
    on_time = [listed for listed in lists if listed["occurred_on"] <= deadline]
    signed = [listed for listed in on_time if _signed(listed)]
    if signed:
        return signed[-1], RenewalState.RENEWED
    if on_time:
        return on_time[-1], RenewalState.UNSIGNED
    return (lists[0] if lists else None), RenewalState.NOT_RENEWED


def responsibility_renewal_list(*, user, year: int, deadline: datetime.date) -> Renewal:
    """The units the office manages that had a responsibility list in use dated in the year before
    `year`, each with the state of its renewal by `deadline`, not renewed first. Three queries, however
    many units: last year's lists, the year's lists with their duties counted, the counties' names."""
    lists = managed_within(user, ResponsibilityList.objects.for_user(user))
    last = lists.filter(occurred_on__range=_year(year - 1))
    latest = {}
    for listed in last.order_by("occurred_on", "pk").values(*LIST_FIELDS, "unit__name", "unit__path"):
        latest[listed["unit_id"]] = listed  # the last list of the year stands for it
    current = {}
    for listed in (lists.filter(occurred_on__range=_year(year), unit__in=last.values("unit_id"))
                   .annotate(duty_count=Count("duties"), unsigned=Count(  # a signing after the deadline is late
                       "duties", filter=Q(duties__signed_on=None) | Q(duties__signed_on__gt=deadline)))
                   .order_by("occurred_on", "pk").values(*LIST_FIELDS, "duty_count", "unsigned")):
        current.setdefault(listed["unit_id"], []).append(listed)
    county_of = county_namer(user) if latest else None
    rows = []
    for unit_id, old in latest.items():
        shown, state = _best(current.get(unit_id, []), deadline)
        rows.append(UnitRenewal(unit_name=old["unit__name"], unit_path=old["unit__path"],
                                county=county_of(old["unit__path"]), last=old, current=shown, state=state))
    rows.sort(key=lambda row: (STATE_ORDER[row.state], row.unit_path))
    return Renewal(year=year, deadline=deadline, rows=rows)
