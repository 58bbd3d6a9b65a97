"""Rows of figures (due, approved, submitted, overdue, score) by county, dimension, unit and month.

Completion and rating are properties of a row, so every page and workbook computes them alike.
"""

import bisect
import datetime
import itertools
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .. import ratings
from ..models import ItemStatus, ItemTransition
from ..models.items import end_of_day


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


def approved_spans(items):
    """For each item of the queryset ever approved: its spans of being approved, (from, until or None),
    read from its workflow moves; an approved item with no recorded move (loaded in bulk) is approved
    from its review on."""
    spans, since = {}, {}
    moves = (ItemTransition.objects.filter(item__in=items.values("pk"))
             .filter(Q(to_status=ItemStatus.APPROVED) | Q(from_status=ItemStatus.APPROVED))
             .order_by("item_id", "at", "pk").values_list("item_id", "to_status", "at"))
    for item_id, to_status, at in moves.iterator(chunk_size=5000):
        if to_status == ItemStatus.APPROVED:
            since.setdefault(item_id, at)
        elif item_id in since:
            spans.setdefault(item_id, []).append((since.pop(item_id), at))
    for item_id, at in since.items():
        spans.setdefault(item_id, []).append((at, None))
    unmoved = items.filter(status=ItemStatus.APPROVED).exclude(reviewed_at=None).values_list("pk", "reviewed_at")
    for item_id, reviewed_at in unmoved.iterator(chunk_size=5000):
        spans.setdefault(item_id, [(reviewed_at, None)])
    return spans


def completion_by_month(items, key, months, spans=None, fold=None):
    """For each key (a dimension's name, a county's path), the share approved, as it stood at each
    month's end, of the items due by then, as a fraction; `months` are the months' first days.
    A month's share never moves once the month is over: an item approved later, or returned later,
    counts as it was then. `spans`: `approved_spans(items)`, when the caller has them already;
    `fold`: a function of the key naming the row it counts in (the city's departments in one)."""
    ends = [(month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1) for month in months]
    moments = [end_of_day(day) for day in ends]
    spans = approved_spans(items) if spans is None else spans
    due, approved = {}, {}  # key -> [change at each month], added up below
    for item_id, key_value, due_date in items.annotate(k=key).values_list("pk", "k", "due_date").iterator(
            chunk_size=5000):
        first = bisect.bisect_left(ends, due_date)
        if first == len(ends):
            continue
        if fold is not None:
            key_value = fold(key_value)
        _add_from(due.setdefault(key_value, [0] * (len(ends) + 1)), first, len(ends))
        for start, until in spans.get(item_id, ()):
            begin = max(first, bisect.bisect_right(moments, start))
            stop = bisect.bisect_left(moments, until) if until is not None else len(ends)
            if begin < stop:
                _add_from(approved.setdefault(key_value, [0] * (len(ends) + 1)), begin, stop)
    table = {}
    for key_value in sorted(due, key=str):
        due_counts = list(itertools.accumulate(due[key_value][:-1]))
        approved_counts = list(itertools.accumulate(approved.get(key_value, [0] * (len(ends) + 1))[:-1]))
        table[key_value] = [a / d if d else None for a, d in zip(approved_counts, due_counts)]
    return table


def _add_from(changes, begin, stop):
    changes[begin] += 1
    changes[stop] -= 1


def merge_outside(rows, counties):
    """Units directly under the city (市直单位) are one row beside the counties."""
    inside = [row for row in rows if row.key in counties]
    outside = [row for row in rows if row.key not in counties]
    if outside:
        inside.append(Row.total("city", str(_("City departments")), outside))
    return inside
