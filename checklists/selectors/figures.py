"""Rows of figures (due, approved, submitted, overdue, score) by county, dimension, unit and month.

Completion and rating are properties of a row, so every page and workbook computes them alike.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Greatest, Substr
from django.utils.translation import gettext as _

from .. import ratings
from ..models import ItemStatus, ItemTransition
from ..models.expressions import YearMonth


def shown_and_count(queryset, limit):
    """The first `limit` rows, and how many there are in all (counted only when there are more)."""
    shown = list(queryset[:limit])
    return shown, queryset.count() if len(shown) == limit else len(shown)


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

    @classmethod
    def total(cls, key, name, rows):
        """One row adding up the figures of `rows`."""
        return cls(key, name, *(sum(getattr(row, figure) for row in rows)
                                for figure in ("due", "approved", "submitted", "overdue", "score")))


def cumulative_completion(due, approved, today):
    """Month by month up to today, from items due and approved in each month: the running totals and
    the share approved."""
    months = sorted({m for m in due if m <= today} | {m for m in approved if m <= today})
    rows, due_total, approved_total = [], 0, 0
    for month in months:
        due_total += due.get(month, 0)
        approved_total += approved.get(month, 0)
        end = min(today, (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1))
        rows.append({"month": month, "end": end, "due": due_total, "approved": approved_total,
                     "completion": percent(min(approved_total, due_total), due_total)})
    return rows


def completion_by_month(items, key, months, fold=None, first=None):
    """For each key (a dimension's name, a county's path), the share approved, as it stood at each
    month's end, of the items due by then, as a fraction; `months` are the months' first days.
    A month's share never moves once the month is over: an item approved later, or returned later,
    counts as it was then. `key`: the items' field path (`first`: only its first characters);
    `fold`: a function of the key naming the row it counts in (the city's departments in one).

    Counted in SQL: the items due by month; the approvals (+1) and the moves away from approval (-1)
    by the month they happened in, or the item's due month if later; an approved item with no such
    move (loaded in bulk) as approved at its review. Running sums give each month's figures."""

    def key_of(path):
        return Substr(path, 1, first) if first else F(path)

    approval_moves = Q(to_status=ItemStatus.APPROVED) | Q(from_status=ItemStatus.APPROVED)
    moves = ItemTransition.objects.filter(approval_moves, item__in=items.values("pk"))
    unmoved = items.filter(status=ItemStatus.APPROVED, reviewed_at__isnull=False).exclude(
        Exists(ItemTransition.objects.filter(approval_moves, item=OuterRef("pk"))))
    due = items.values_list(key_of(key), YearMonth("due_date")).annotate(n=Count("pk")).order_by()
    approved = [
        moves.values_list(key_of(f"item__{key}"), Greatest(YearMonth("at"), YearMonth("item__due_date")))
        .annotate(n=Sum(Case(When(to_status=ItemStatus.APPROVED, then=Value(1)), default=Value(-1)))).order_by(),
        unmoved.values_list(key_of(key), Greatest(YearMonth("reviewed_at"), YearMonth("due_date")))
        .annotate(n=Count("pk")).order_by()]
    changes = {"due": {}, "approved": {}}  # figure -> key -> month ("YYYY-MM") -> change
    for figure, rows in (("due", due), *(("approved", rows) for rows in approved)):
        for key_value, month, n in rows:
            by_month = changes[figure].setdefault(fold(key_value) if fold else key_value, {})
            by_month[month[:7]] = by_month.get(month[:7], 0) + n
    labels = [f"{month:%Y-%m}" for month in months]
    table = {}
    for key_value in sorted(changes["due"], key=str):
        due_by, approved_by = changes["due"][key_value], changes["approved"].get(key_value, {})
        table[key_value] = []
        for label in labels:  # an earlier month's changes count in the first month
            due_n = sum(n for month, n in due_by.items() if month <= label)
            approved_n = sum(n for month, n in approved_by.items() if month <= label)
            table[key_value].append(approved_n / due_n if due_n else None)
    return table


def merge_outside(rows, counties):
    """Units directly under the city (市直单位) are one row beside the counties."""
    inside = [row for row in rows if row.key in counties]
    outside = [row for row in rows if row.key not in counties]
    if outside:
        inside.append(Row.total("city", str(_("City departments")), outside))
    return inside
