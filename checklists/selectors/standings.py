"""Figures read from the units' standings (`UnitStanding`): scores and ranks, the office's home page."""

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, FloatField, Max, Q, Window
from django.db.models.functions import Cast, Rank, Round
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import (
    Campaign,
    ChecklistItem,
    ItemStatus,
    Problem,
    ProblemStatus,
    Unit,
    UnitKind,
    UnitStanding,
    reach_of,
)
from .campaigns import current_campaign
from .figures import Row, cumulative_completion, merge_outside, percent
from .queue import work_queue


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


def _standing_rows(*, user, campaign, today, within=None):
    """Rows by county, by dimension, by unit and by month, added up from the units' standings;
    `within`: a unit whose subtree alone counts.

    The sums are cached under the reach and the newest standing of the day: any recount of a
    unit changes the key, so a cached answer is never stale.
    """
    if campaign is None:
        return [], [], [], {}, {}
    units = Unit.objects.for_user(user)
    UnitStanding.objects.fill(campaign=campaign, units=units, as_of=today)
    standings = UnitStanding.objects.for_user(user).filter(campaign=campaign, as_of=today)
    if within is not None:
        standings = standings.filter(unit__path__startswith=within.path)
    newest = standings.aggregate(newest=Max("computed_at"), last=Max("pk"), n=Count("pk"))
    reach = reach_of(user)
    key = "standing-rows:" + hashlib.sha256(repr((
        campaign.pk, today, newest["newest"], newest["last"], newest["n"], reach.key, within and within.path,
        translation.get_language())).encode()).hexdigest()
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
    by_county = merge_outside([Row(path, counties.get(path, path), *sums)
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


def county_rows(*, user, campaign, today, within=None):
    """Rows by county or district (and one for the city's own departments) of the items due by `today`,
    each as it stood then, added up from the units' standings; `within`: one unit's subtree alone."""
    return _standing_rows(user=user, campaign=campaign, today=today, within=within)[0]


def unit_overdue_rows(*, user, campaign, today):
    """The units in reach with items overdue in the campaign, most overdue first (from the standings)."""
    _by_county, _by_dimension, by_unit, _due, _approved = _standing_rows(user=user, campaign=campaign, today=today)
    return sorted((row for row in by_unit if row.overdue), key=lambda row: (-row.overdue, row.name))


def office_home(*, user, campaign=None, today=None):
    """Completion and score by county, by dimension and by unit, overdue counts, rectification rate;
    for an office, its 待办 (`work_queue`)."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.for_user(user)
    campaign = campaign or current_campaign(campaigns, today)
    by_county, by_dimension, by_unit, due_months, approved_months = _standing_rows(
        user=user, campaign=campaign, today=today)
    ranking = sorted(by_unit, key=lambda row: (-row.score, -row.completion, row.name))
    problems = _problem_figures(user, today)
    problems_past_deadline(user, today, counted=problems["past_deadline"])
    total = Row.total("", "", by_unit)
    by_month = cumulative_completion(due_months, approved_months, today)
    reach = reach_of(user)
    queue = work_queue(user=user, campaign=campaign, today=today) if reach.is_all or reach.office_paths else None
    if queue is not None and reach.manages_all_reached:  # the same items: counted once
        awaiting_review = queue["submitted_count"]
    else:
        awaiting_review = ChecklistItem.objects.for_user(user).filter(
            campaign=campaign, status=ItemStatus.SUBMITTED).count() if campaign else 0
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
        "today": today,
        "awaiting_review": awaiting_review,
        "queue": queue,
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


def _problem_figures(user, today):
    """Problems found, closed and past their deadline in reach, cached under the newest entry of the
    problems' and the units' audit trails (every write of either leaves one): two reads of an index's
    last entry instead of counting a city's problems on every visit."""
    newest = [model.history.aggregate(last=Max("history_id"))["last"] for model in (Problem, Unit)]
    key = "problem-figures:" + hashlib.sha256(repr((today, newest, reach_of(user).key)).encode()).hexdigest()
    figures = cache.get(key)
    if figures is None:
        figures = Problem.objects.for_user(user).aggregate(
            found=Count("pk"), closed=Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
            past_deadline=Count("pk", filter=Problem.past_deadline_q(today)))
        cache.set(key, figures, timeout=24 * 3600)
    return figures


def problems_past_deadline(user, today, counted=None):
    """How many problems in reach are past their deadline, counted once a request: the menu's badge
    shows it on every page, and the overview, which counts it with its other figures, passes `counted`."""
    counts = getattr(user, "_clean_ledger_past_deadline", None)  # kept on the user, as reach_of's cache
    if counts is None:
        counts = user._clean_ledger_past_deadline = {}
    if counted is not None:
        counts[today] = counted
    elif today not in counts:
        counts[today] = Problem.objects.for_user(user).past_deadline(today).count()
    return counts[today]
