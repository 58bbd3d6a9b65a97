"""What every exporter shares: the sheets it yields (`Sheet`, `SummarySheet`, `Column`), what the user
asked for (`ExportScope`), the report's title and period in words, and how periods are read.
`writing` writes any exporter's sheets."""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def display_width(text):
    """How wide a text shows, in the units of a column's width: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def period_words(start, end):
    """A period as the reports write it: 2023年5月, 2023年4月至5月, 2023年, 2023年5月8日至14日."""
    whole_months = start.day == 1 and (end + datetime.timedelta(days=1)).day == 1
    if whole_months and start.year == end.year:
        if (start.month, end.month) == (1, 12):
            return f"{start.year}年"
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        return f"{start.year}年{start.month}月至{end.month}月"
    if whole_months:
        return f"{start.year}年{start.month}月至{end.year}年{end.month}月"
    if (start.year, start.month) == (end.year, end.month):
        return f"{chinese_date(start)}至{end.day}日"
    if start.year == end.year:
        return f"{chinese_date(start)}至{end.month}月{end.day}日"
    return f"{chinese_date(start)}至{chinese_date(end)}"


@dataclass
class Column:
    header: str
    width: int = 12
    kind: str = "text"  # text, id (a number read back: no separators), int, decimal, percent (0.857), date


@dataclass
class Sheet:
    name: str
    columns: list
    rows: Iterable  # lists of values, in the columns' order
    rag_column: int | None = None  # index of a percent column to colour red/amber/green
    note: str = ""


@dataclass
class SummarySheet:
    """A report's first page: small tables one under another (each a `Sheet` whose name is its caption),
    printed portrait on one page. The sheets after it are the report's appendices (附表1, 附表2…)."""

    name: str
    tables: list
    note: str = ""


@dataclass
class ExportScope:
    """What the user asked for: the task list, the period and, optionally, one county."""

    user: object
    campaign: object
    start: datetime.date
    end: datetime.date
    county: object = None
    generated_at: datetime.datetime = field(default_factory=timezone.localtime)

    @functools.cached_property
    def body(self):
        """The unit whose report it is: the county asked for; else the office that issued the task list,
        when the user reaches all of it; else the one unit the user's reach is (a county office's county,
        a liaison's unit)."""
        from ..models import Unit, reach_of

        if self.county is not None:
            return self.county
        owner, reach = self.campaign.owner, reach_of(self.user)
        if reach.is_all or any(owner.path.startswith(path) for path in reach.subtree_paths):
            return owner
        tops = list(Unit.objects.filter(path__in=reach.subtree_paths)) or list(
            Unit.objects.filter(pk__in=reach.unit_ids))
        return tops[0] if len(tops) == 1 else owner

    def within(self, queryset, unit="unit"):
        """The rows of the county asked for, if one was (`unit`: the path to the row's unit; "" for units)."""
        if self.county is None:
            return queryset
        return queryset.filter(**{f"{unit}__path__startswith" if unit else "path__startswith": self.county.path})


class Exporter:
    identifier = ""
    verbose_name = ""
    period_help = _("the month, as YYYY-MM")
    period_input = "month"  # how the export page asks for the period: month, date (a day of the week), text
    issuable = False  # a report an office issues, numbered 第N期 (`services.bulletin_issue`)
    issue = None  # (year, number) while it is being issued

    def __init__(self, scope: ExportScope):
        self.scope = scope

    @classmethod
    def period_bounds(cls, text):
        """The first and last day the workbook covers, read from what the user wrote."""
        return month_bounds(text)

    @classmethod
    def period_of(cls, day):
        """How the period around `day` is written, e.g. for the admin's one-click download."""
        return f"{day:%Y-%m}"

    @classmethod
    def period_refusal(cls, campaign, start, end):
        """Why this period is not written for the task list, or None: a workbook takes any."""
        return None

    def sheets(self) -> Iterable[Sheet]:
        raise NotImplementedError

    def parts(self) -> list["Exporter"] | None:
        """The workbooks to write in a zip instead of one workbook (see `write`); None: one workbook."""
        return None

    def expected_rows(self) -> int | None:
        """How many rows the workbook will have, where a count is cheap; the progress bar's end."""
        return None

    @property
    def filename(self):
        dates = f"{self.scope.start:%Y%m%d}-{self.scope.end:%Y%m%d}"
        if self.issue:
            return f"{self.body}{self.verbose_name}_{self.issue_words()}_{dates}.xlsx"
        return f"{self.verbose_name}_{dates}.xlsx"

    @property
    def body(self):
        return self.scope.body.name

    def issue_words(self):
        from ..models.bulletins import issue_words

        return issue_words(*self.issue)

    def title(self):
        """The report's title: 山水市清廉建设工作月通报（2023年5月）; issued, 月通报2023年第5期（2023年5月）."""
        words = {"body": self.body, "report": self.verbose_name,
                 "period": period_words(self.scope.start, self.scope.end)}
        if self.issue:
            return _("%(body)s clean-institution work: %(report)s %(issue)s (%(period)s)") % {
                **words, "issue": self.issue_words()}
        return _("%(body)s clean-institution work: %(report)s (%(period)s)") % words

    def heading(self, sheet, appendix=None):
        """The sheet's title: the report's, and the sheet's name (附表2 逾期事项 after a summary page)."""
        if appendix:
            return f"{self.title()} · " + _("Appendix %(number)d: %(name)s") % {"number": appendix, "name": sheet.name}
        return f"{self.title()} · {sheet.name}"

    def subheading(self, sheet):
        scope = self.scope
        from ..models import UnitKind

        # A task force is the city's or a county's; a unit's own workbook names no issuer.
        issuer = (_("%(body)s clean-institution task force") % {"body": self.body}
                  if scope.body.kind in (UnitKind.CITY, UnitKind.COUNTY) else "")
        period = _("%(start)s to %(end)s") % {"start": chinese_date(scope.start), "end": chinese_date(scope.end)}
        when = {"when": f"{scope.generated_at:%Y年%m月%d日 %H:%M}"}
        generated = _("issued on %(when)s") % when if self.issue else _("generated on %(when)s") % when
        return " · ".join(str(part) for part in (issuer, scope.campaign.name, period, generated, sheet.note) if part)


class YearOrMonthExporter(Exporter):
    """A workbook over a whole year, or one month of it."""

    period_help = _("a year YYYY or a month YYYY-MM")
    period_input = "text"

    @classmethod
    def period_of(cls, day):
        return str(day.year)

    @classmethod
    def period_bounds(cls, text):
        text = text.strip().removesuffix("年")
        if len(text) == 4 and text.isdigit():
            return datetime.date(int(text), 1, 1), datetime.date(int(text), 12, 31)
        return month_bounds(text)


def chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


DATE_PARTS = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?\s*$")


def _parts(text):
    match = DATE_PARTS.match(unicodedata.normalize("NFKC", text or ""))
    return tuple(int(part) if part else None for part in match.groups()) if match else (None, None, None)


def day_of(text):
    """A day written as 2023-05-08, 2023/5/8 or 2023年5月8日; a clear ValueError otherwise."""
    year, month, day = _parts(text)
    try:
        return datetime.date(year, month, day)
    except (TypeError, ValueError):
        raise ValueError(_("Write the day as YYYY-MM-DD, for example 2023-05-08.")) from None


def month_bounds(text):
    """"2023-05" (or 2023/5, 2023年5月) → the first and last day of May 2023; a clear ValueError otherwise."""
    year, month, day = _parts(text)
    try:
        if day is not None:
            raise ValueError(day)
        start = datetime.date(year, month, 1)
    except (TypeError, ValueError):
        raise ValueError(_("Write the month as YYYY-MM, for example 2023-05.")) from None
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)
