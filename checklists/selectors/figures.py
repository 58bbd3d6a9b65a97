"""Rows of figures (due, approved, submitted, overdue, score) by county, dimension, unit and month.

Completion and rating are properties of a row, so every page and workbook computes them alike.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils.translation import gettext as _

from .. import ratings
from ..models import ChecklistItem, ItemStatus, Unit


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


def rows_by(queryset, key, names, today):
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
    return merge_outside(rows_by(items, Substr("unit__path", 1, 2 * Unit.steplen), counties, today), counties)


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


def merge_outside(rows, counties):
    """Units directly under the city (市直单位) are one row beside the counties."""
    inside = [row for row in rows if row.key in counties]
    outside = [row for row in rows if row.key not in counties]
    if outside:
        inside.append(Row("city", str(_("City departments")), *(sum(getattr(r, f) for r in outside) for f in (
            "due", "approved", "submitted", "overdue", "score"))))
    return inside
