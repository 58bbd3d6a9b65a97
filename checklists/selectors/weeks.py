"""A week's figures by county or district: the weekly dispatch's first page."""

import datetime
from dataclasses import dataclass, fields

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from ..models import ChecklistItem, ItemStatus, ItemTransition, ProblemStatus, Unit
from ..models.expressions import within_days


@dataclass
class WeekRow:
    name: str
    submitted: int = 0
    approved: int = 0
    returned: int = 0
    due_next_week: int = 0
    overdue: int = 0
    problems_found: int = 0
    problems_closed: int = 0

    def add(self, other):
        for figure in fields(self)[1:]:
            setattr(self, figure.name, getattr(self, figure.name) + getattr(other, figure.name))


def _county(path):
    return Substr(path, 1, 2 * Unit.steplen)


def week_by_county(*, items, problems, counties, start, end):
    """One row per county of `counties` ({path: name}) and one for the city's own departments, if any
    moved: items submitted, approved and returned in the week [start, end] (local days); items falling
    due in the seven days after it and not done by its end; items overdue at its end; problems found
    and problems closed in the week."""
    counted = {}  # county path -> {figure: count}

    def add(rows):
        for row in rows:
            key = row.pop("key")
            counted.setdefault(key, {}).update({name: value for name, value in row.items() if value})

    add(ItemTransition.objects.filter(within_days("at", start, end), item__in=items.values("pk"))
        .values(key=_county("item__unit__path")).annotate(
            submitted=Count("pk", filter=Q(to_status=ItemStatus.SUBMITTED)),
            approved=Count("pk", filter=Q(to_status=ItemStatus.APPROVED)),
            returned=Count("pk", filter=Q(to_status=ItemStatus.RETURNED))).order_by())
    following = (end + datetime.timedelta(days=1), end + datetime.timedelta(days=7))
    as_of = items.as_of(end)
    add(as_of.filter(due_date__range=following).exclude(status_then__in=ChecklistItem.DONE_STATUSES)
        .values(key=_county("unit__path")).annotate(due_next_week=Count("pk")).order_by())
    add(as_of.filter(ChecklistItem.overdue_q(end, status="status_then"))
        .values(key=_county("unit__path")).annotate(overdue=Count("pk")).order_by())
    add(problems.filter(found_on__range=(start, end))
        .values(key=_county("unit__path")).annotate(problems_found=Count("pk")).order_by())
    add(problems.filter(within_days("closed_at", start, end), status=ProblemStatus.CLOSED)
        .values(key=_county("unit__path")).annotate(problems_closed=Count("pk")).order_by())
    rows = [WeekRow(name, **counted.get(path, {})) for path, name in sorted(counties.items())]
    outside = [figures for path, figures in counted.items() if path not in counties]
    if outside:
        city = WeekRow(str(_("City departments")))
        for figures in outside:
            city.add(WeekRow("", **figures))
        rows.append(city)
    return rows
