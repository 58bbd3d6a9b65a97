"""Reads for the web pages: each starts from `for_user`, so a page and its export can never disagree."""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, FloatField, Max, Q, Sum, Window
from django.db.models.functions import Cast, Rank, Round, Substr, TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import ratings
from .filters import ChecklistItemFilter
from .models import (
    Campaign,
    ChecklistItem,
    ItemStatus,
    LedgerEntry,
    Problem,
    ProblemStatus,
    Unit,
    UnitKind,
    UnitStanding,
    reach_of,
)

ITEM_LIST_RELATED = ("unit", "standard_item")


def item_list(*, request, data):
    """The filter set over the user's items; `.qs` is the filtered queryset."""
    queryset = ChecklistItem.objects.for_user(request.user).select_related(*ITEM_LIST_RELATED).order_by(
        "-campaign_id", "due_date", "unit_id", "standard_item_id")
    return ChecklistItemFilter(data, queryset=queryset, request=request)


# Unit home


def unit_home(*, user, today=None):
    """What needs the unit now: returned items, items due within a week, overdue, drafts."""
    today = today or timezone.localdate()
    items = ChecklistItem.objects.for_user(user).select_related(*ITEM_LIST_RELATED)
    open_items = items.exclude(status__in=ChecklistItem.DONE_STATUSES)
    week = today + datetime.timedelta(days=7)
    totals = items.filter(due_date__lte=max(today, week)).aggregate(
        due=Count("pk"), done=Count("pk", filter=Q(status=ItemStatus.APPROVED)))
    return {
        "returned": list(items.filter(status=ItemStatus.RETURNED).order_by("due_date")[:20]),
        "awaiting_signoff": list(items.filter(status=ItemStatus.AWAITING_SIGNOFF).order_by("due_date")[:20]),
        "due_soon": list(open_items.filter(due_date__gte=today, due_date__lte=week).order_by("due_date")[:20]),
        "overdue": list(items.overdue(today).order_by("due_date")[:20]),
        "overdue_count": items.overdue(today).count(),
        "drafts": list(items.filter(status=ItemStatus.DRAFT, due_date__gt=week).order_by("due_date")[:10]),
        "progress": percent(totals["done"], totals["due"]),
        "due": totals["due"],
        "done": totals["done"],
        "entries": list(LedgerEntry.objects.for_user(user).select_related("unit")[:8]),
        "problems": list(Problem.objects.for_user(user).exclude(status=ProblemStatus.CLOSED)
                         .select_related("unit").order_by("deadline")[:10]),
    }


# Office home


def current_campaign(campaigns, today=None):
    """The latest campaign that has started, else the first."""
    today = today or timezone.localdate()
    return campaigns.filter(period_start__lte=today).order_by("-year", "-period_start").first() or campaigns.first()


def asked_id(value) -> int | None:
    """A record's id as a query string gives it (`?campaign=12`); None for anything that is not one
    (abc, 1e3, -1, 0, a number past the database's range, a very long string)."""
    if value and len(value) <= 18 and value.isascii() and value.isdigit() and int(value) > 0:
        return int(value)
    return None


def chosen_campaign(*, user, asked):
    """The task list a page was asked for (`?campaign=`) if the user reaches it, else the current one."""
    campaigns = Campaign.objects.for_user(user)
    pk = asked_id(asked)
    return (campaigns.filter(pk=pk).first() if pk else None) or current_campaign(campaigns)


def unit_scores(*, user, campaign, today=None):
    """Each unit in reach with its items due so far in the campaign: completion, score, overdue and rank.

    Reads the units' standings (`UnitStanding`), counting first those that have none for the day.
    """
    today = today or timezone.localdate()
    units = Unit.objects.for_user(user)
    UnitStanding.objects.fill(campaign=campaign, units=units, as_of=today)
    standing = FilteredRelation("standings", condition=Q(standings__campaign=campaign, standings__as_of=today))
    units = units.exclude(kind__in=[UnitKind.CITY, UnitKind.COUNTY]).annotate(standing=standing).annotate(
        due=F("standing__due"), approved=F("standing__approved"), overdue=F("standing__overdue"),
        score=F("standing__score"),
    ).filter(due__gt=0).annotate(
        completion=Round(100.0 * Cast("approved", FloatField()) / Cast("due", FloatField()), 1),
        rank=Window(Rank(), order_by=[F("score").desc()]),
    )
    return units.order_by("rank", "path")


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class Row:
    key: str
    name: str
    due: int
    approved: int
    submitted: int
    overdue: int
    score: float

    @property
    def completion(self):
        return percent(self.approved, self.due)

    @property
    def rag(self):
        return ratings.rating(self.completion)


def _rows(queryset, key, names, today):
    rows = queryset.values(key=key).annotate(
        due=Count("pk"),
        approved=Count("pk", filter=Q(status=ItemStatus.APPROVED)),
        submitted=Count("pk", filter=Q(status=ItemStatus.SUBMITTED)),
        overdue=Count("pk", filter=ChecklistItem.overdue_q(today)),
        score=Sum("score"),
    ).order_by("key")
    return [Row(row["key"], names.get(row["key"], row["key"]), row["due"], row["approved"], row["submitted"],
                row["overdue"], float(row["score"] or 0)) for row in rows]


def cumulative_completion(due, approved, today):
    """Month by month up to today, from items due and approved in each month: the running totals and
    the share approved."""
    months = sorted({m for m in due if m <= today} | {m for m in approved if m <= today})
    rows, due_total, approved_total = [], 0, 0
    for month in months:
        due_total += due.get(month, 0)
        approved_total += approved.get(month, 0)
        rows.append({"month": month, "due": due_total, "approved": approved_total,
                     "completion": percent(min(approved_total, due_total), due_total)})
    return rows


def county_totals(items, units, today):
    """Rows per county or district (and one for the city's own departments) over the given items."""
    counties = units.county_names()
    return _merge_outside(_rows(items, Substr("unit__path", 1, 2 * Unit.steplen), counties, today), counties)


def campaign_items_due(*, user, campaign, today, within=None):
    """The campaign's items due by `today` that the user reaches, optionally within one unit's subtree."""
    items = ChecklistItem.objects.for_user(user).filter(campaign=campaign, due_date__lte=today)
    return items.filter(unit__path__startswith=within.path) if within is not None else items


def _month(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def completion_by_month(items, key, months):
    """For each key (a dimension's name, a county's path), the share approved of the items due by
    each month's end, as a fraction; `months` are the months' first days."""
    due, approved = {}, {}
    for row in items.values(k=key, m=TruncMonth("due_date")).annotate(n=Count("pk")):
        due.setdefault(row["k"], {})[_month(row["m"])] = row["n"]
    for row in (items.filter(status=ItemStatus.APPROVED).exclude(reviewed_at=None)
                .values(k=key, m=TruncMonth("reviewed_at")).annotate(n=Count("pk"))):
        approved.setdefault(row["k"], {})[_month(row["m"])] = row["n"]
    table = {}
    for key_value in sorted(due):
        shares, due_total, approved_total = [], 0, 0
        for month in months:
            due_total += due[key_value].get(month, 0)
            approved_total += approved.get(key_value, {}).get(month, 0)
            shares.append(min(approved_total, due_total) / due_total if due_total else None)
        table[key_value] = shares
    return table


def _merge_outside(rows, counties):
    """Units directly under the city (市直单位) are one row beside the counties."""
    inside = [row for row in rows if row.key in counties]
    outside = [row for row in rows if row.key not in counties]
    if outside:
        inside.append(Row("city", str(_("City departments")), *(sum(getattr(r, f) for r in outside) for f in (
            "due", "approved", "submitted", "overdue", "score"))))
    return inside


def _standing_rows(*, user, campaign, today):
    """Rows by county, by dimension, by unit and by month, added up from the units' standings.

    The sums are cached under the reach and the newest standing of the day: any recount of a
    unit changes the key, so a cached answer is never stale.
    """
    if campaign is None:
        return [], [], [], {}, {}
    units = Unit.objects.for_user(user)
    UnitStanding.objects.fill(campaign=campaign, units=units, as_of=today)
    standings = UnitStanding.objects.for_user(user).filter(campaign=campaign, as_of=today)
    newest = standings.aggregate(newest=Max("computed_at"), last=Max("pk"), n=Count("pk"))
    reach = reach_of(user)
    key = "standing-rows:" + hashlib.sha256(repr((
        campaign.pk, today, newest["newest"], newest["last"], newest["n"], reach.is_all, sorted(reach.subtree_paths),
        sorted(reach.unit_ids), translation.get_language())).encode()).hexdigest()
    rows = cache.get(key)
    if rows is None:
        rows = _add_up_standings(standings, units, campaign)
        cache.set(key, rows, timeout=24 * 3600)
    return rows


def _add_up_standings(standings, units, campaign):
    standings = standings.filter(due__gt=0).values_list(
        "unit_id", "unit__path", "unit__name", "due", "approved", "submitted", "overdue", "score", "by_dimension",
        "by_month")
    counties = units.county_names()
    dimensions = {str(pk): (order, name) for pk, order, name in
                  campaign.standard_set.dimensions.values_list("pk", "order", "name")}
    by_unit, county_sums, dimension_sums, due_months, approved_months = [], {}, {}, {}, {}
    for unit_id, path, name, due, approved, submitted, overdue, score, by_dimension, by_month in standings:
        figures = (due, approved, submitted, overdue, float(score))
        by_unit.append(Row(unit_id, name, *figures))
        _add(county_sums, path[:2 * Unit.steplen], figures)
        for dimension_id, values in by_dimension.items():
            _add(dimension_sums, dimension_id, values)
        for month, (due_n, approved_n) in by_month.items():
            month = datetime.date(int(month[:4]), int(month[5:]), 1)
            due_months[month] = due_months.get(month, 0) + due_n
            approved_months[month] = approved_months.get(month, 0) + approved_n
    by_county = _merge_outside([Row(path, counties.get(path, path), *sums)
                                for path, sums in sorted(county_sums.items())], counties)
    by_dimension = []
    for pk, sums in sorted(dimension_sums.items(), key=lambda pair: dimensions.get(pair[0], (0, ""))):
        name = dimensions.get(pk, (0, pk))[1]
        by_dimension.append(Row(name, name, *sums))
    return by_county, by_dimension, by_unit, due_months, approved_months


def _add(sums, key, values):
    current = sums.setdefault(key, [0, 0, 0, 0, 0.0])
    for i, value in enumerate(values):
        current[i] += value


def unit_overdue_rows(*, user, campaign, today):
    """The units in reach with items overdue in the campaign, most overdue first (from the standings)."""
    _by_county, _by_dimension, by_unit, _due, _approved = _standing_rows(user=user, campaign=campaign, today=today)
    return sorted((row for row in by_unit if row.overdue), key=lambda row: (-row.overdue, row.name))


def office_home(*, user, campaign=None, today=None):
    """Completion and score by county, by dimension and by unit, overdue counts, rectification rate."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.for_user(user)
    campaign = campaign or current_campaign(campaigns, today)
    by_county, by_dimension, by_unit, due_months, approved_months = _standing_rows(
        user=user, campaign=campaign, today=today)
    ranking = sorted(by_unit, key=lambda row: (-row.score, -row.completion, row.name))
    problems = Problem.objects.for_user(user).aggregate(
        found=Count("pk"), closed=Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
        past_deadline=Count("pk", filter=Q(deadline__lt=today) & ~Q(status=ProblemStatus.CLOSED)))
    total = Row("", "", sum(r.due for r in by_unit), sum(r.approved for r in by_unit),
                sum(r.submitted for r in by_unit), sum(r.overdue for r in by_unit), sum(r.score for r in by_unit))
    by_month = cumulative_completion(due_months, approved_months, today)
    chart_data = {
        "month": {"label": str(_("completion")), "labels": [f"{r['month']:%Y-%m}" for r in by_month],
                  "values": [r["completion"] for r in by_month]},
        "county": {"label": str(_("completion")), "labels": [r.name for r in by_county],
                   "values": [r.completion for r in by_county]},
        "dimension": {"labels": [r.name for r in by_dimension], "series": [
            {"label": str(_("approved")), "values": [r.approved for r in by_dimension]},
            {"label": str(_("submitted")), "values": [r.submitted for r in by_dimension]},
            {"label": str(_("not yet")), "values": [r.due - r.approved - r.submitted for r in by_dimension]},
        ]},
    }
    return {
        "chart_data": chart_data,
        "by_month": by_month,
        "campaign": campaign,
        "campaigns": campaigns,
        "total": total,
        "by_county": by_county,
        "by_dimension": by_dimension,
        "top": ranking[:10] if len(ranking) > 20 else ranking,
        "bottom": ranking[-10:][::-1] if len(ranking) > 20 else [],
        "unit_count": len(ranking),
        "problems": problems,
        "rectification_rate": percent(problems["closed"], problems["found"]),
    }
