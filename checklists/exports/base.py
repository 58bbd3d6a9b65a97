"""One exporter class per workbook; one renderer that writes any of them with openpyxl in write-only
mode, with the conventions of an office file: a title naming the body, the report and its period
(山水市清廉建设工作月通报（2023年5月）), a line naming the issuing task force, the task list, the days
covered and the date; a frozen header with autofilter; thin borders round the table; widths that fit
Chinese text, long text wrapped rather than run into its neighbour; number and date formats;
conditional colours; landscape A4 printing fitted to the width, the header repeated and "第 N 页 共 M 页"
at the foot of every page."""

import datetime
import functools
import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule, Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter

from .. import ratings

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
FORMATS = {"id": "0", "int": "#,##0", "decimal": "0.0", "percent": "0.0%", "date": DATE_FORMAT, "text": "@"}
# A text cell starting with one of these would be a formula, or start one, once edited in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RED, AMBER, GREEN = "F8CBAD", "FFE699", "C6EFCE"
MIN_WIDTHS = {"date": 16, "int": 10, "decimal": 8, "percent": 9}  # 2023年12月31日; 1,234,567
WRAPPED = Alignment(wrap_text=True, vertical="top")
LINE_HEIGHT = 14  # points a line of the default 11-point font takes
WRAP_FILL = 0.85  # the share of a column's width a wrapped line fills
THIN = Side(style="thin", color="999999")
BOXED = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)


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


def safe_text(cell, value):
    """A string that a spreadsheet keeps as text, whatever it starts with."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def download(exporter):
    """The workbook as a file download."""
    from urllib.parse import quote

    from django.http import HttpResponse

    name, content_type, content = render(exporter)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def render(exporter, progress=None, every=1000) -> tuple[str, str, bytes]:
    """Write the exporter's sheets; returns (file name, content type, the workbook's bytes).

    `progress(rows_written)`, if given, is called every `every` rows and once at the end.
    """
    buffer = io.BytesIO()
    name, content_type = write(exporter, buffer, progress, every)
    return name, content_type, buffer.getvalue()


def write(exporter, into, progress=None, every=1000) -> tuple[str, str]:
    """Write the export into the file `into`; returns (file name, content type). An exporter whose
    rows would pass one sheet's limit is written as one workbook per part in a zip, each part written
    to a temporary file in turn, so that memory stays that of one workbook."""
    parts = exporter.parts()
    if not parts:
        _write_workbook(exporter, into, progress, every)
        return exporter.filename, CONTENT_TYPE
    before = 0

    def part_progress(rows):
        if progress is not None:
            progress(before + rows)

    with zipfile.ZipFile(into, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for part in parts:  # xlsx is compressed already
            with tempfile.TemporaryFile() as workbook:
                before += _write_workbook(part, workbook, part_progress, every)
                workbook.seek(0)
                with archive.open(part.filename, "w", force_zip64=True) as member:
                    shutil.copyfileobj(workbook, member, 1 << 20)
    if progress is not None:
        progress(before)
    return exporter.filename.removesuffix(".xlsx") + ".zip", "application/zip"


def _write_workbook(exporter, into, progress, every):
    """Write one workbook into the file `into`; returns the rows written."""
    workbook = Workbook(write_only=True)
    written = 0

    def tick(rows):
        nonlocal written
        written += rows
        if progress is not None:
            progress(written)

    appendix = None
    for sheet in exporter.sheets():
        if isinstance(sheet, SummarySheet):
            _write_summary(workbook, exporter, sheet, tick)
            appendix = 0
            continue
        if appendix is not None:
            appendix += 1
        _write_sheet(workbook, exporter, sheet, tick, every, appendix)
    workbook.save(into)
    if progress is not None:
        progress(written)
    return written


def _write_sheet(workbook, exporter, sheet, tick, every, appendix=None):
    ws = workbook.create_sheet(sheet.name[:31])
    widths = _set_widths(ws, [sheet])
    header_row = 3
    # Written with the sheet's top, so set before the first row: panes and fitting the page.
    ws.freeze_panes = f"A{header_row + 1}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _write_top(ws, exporter.heading(sheet, appendix), exporter.subheading(sheet), widths)
    last_row, count = _write_table(ws, sheet, widths, header_row, tick, every)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(sheet.columns))}{last_row}"
    _set_page(ws, "landscape")
    ws.print_title_rows = f"{header_row}:{header_row}"


def _write_summary(workbook, exporter, summary, tick):
    """The first page: its tables one under another, a caption over each, the page fitted to one sheet
    of A4 upright."""
    ws = workbook.create_sheet(summary.name[:31])
    widths = _set_widths(ws, summary.tables)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _write_top(ws, exporter.heading(summary), exporter.subheading(summary), widths)
    row = 3
    for table in summary.tables:
        caption = WriteOnlyCell(ws, value=str(table.name))
        caption.font = Font(bold=True)
        ws.append([caption])
        last_row, _count = _write_table(ws, table, widths, row + 1, tick, 10 ** 9)
        ws.append([])
        row = last_row + 2
    _set_page(ws, "portrait", tall=1)


def _set_widths(ws, tables):
    """Each column as wide as the widest table needs it there (and wide enough for its kind)."""
    widths = {}
    for table in tables:
        for index, column in enumerate(table.columns):
            widths[index] = max(widths.get(index, 0), column.width, MIN_WIDTHS.get(column.kind, 0))
    for index, width in widths.items():
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    return [widths[index] for index in sorted(widths)]


def _write_top(ws, heading, subheading, widths):
    """The title and, wrapped across the table's width, the line naming the issuer, period and date."""
    title = WriteOnlyCell(ws, value=heading)
    title.font = Font(bold=True, size=13)
    ws.append([title])
    lines = _lines(subheading, sum(widths))
    if lines > 1:
        ws.row_dimensions[2].height = LINE_HEIGHT * lines + 2
    below = safe_text(WriteOnlyCell(ws), subheading)
    below.alignment = WRAPPED
    ws.append([below])
    last = get_column_letter(len(widths))
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")


def _write_table(ws, sheet, widths, header_row, tick, every):
    """The header at `header_row`, the rows, the borders and colours; returns (last row, rows written)."""
    header = []
    for column in sheet.columns:
        cell = safe_text(WriteOnlyCell(ws), str(column.header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOXED
        header.append(cell)
    lines = max(_lines(str(column.header), width) for column, width in zip(sheet.columns, widths))
    if lines > 1:
        ws.row_dimensions[header_row].height = LINE_HEIGHT * lines + 2
    ws.append(header)

    count = 0
    for values in sheet.rows:
        lines = max((_lines(value, width) for value, width in zip(values, widths)), default=1)
        if lines > 1:  # set before the row is written: no spreadsheet grows a row for wrapped text by itself
            ws.row_dimensions[header_row + count + 1].height = LINE_HEIGHT * lines + 2
        ws.append([_cell(ws, value, column, width) for value, column, width in zip(values, sheet.columns, widths)])
        count += 1
        if count % every == 0:
            tick(every)
    tick(count % every)
    if not count:
        ws.append([str(_("None in this period."))])
    last_row = header_row + max(count, 1)
    last = get_column_letter(len(sheet.columns))
    if sheet.rag_column is not None and count:
        letter = get_column_letter(sheet.rag_column + 1)
        cells = f"{letter}{header_row + 1}:{letter}{last_row}"
        amber, green = ratings.AMBER_FROM / 100, ratings.GREEN_FROM / 100
        for operator, formula, colour in [("lessThan", [str(amber)], RED),
                                          ("between", [str(amber), str(round(green - 0.0001, 4))], AMBER),
                                          ("greaterThanOrEqual", [str(green)], GREEN)]:
            ws.conditional_formatting.add(cells, CellIsRule(operator=operator, formula=formula, border=BOXED,
                                                            fill=PatternFill("solid", fgColor=colour)))
    # Borders at no cost per cell; after the colours, as LibreOffice applies the first rule that matches.
    ws.conditional_formatting.add(f"A{header_row}:{last}{last_row}", Rule(
        type="expression", formula=["TRUE"], dxf=DifferentialStyle(border=BOXED)))
    return last_row, count


def _set_page(ws, orientation, tall=0):
    """A4, fitted to the width (and to `tall` pages high, 0 for as many as it takes), 第 N 页 共 M 页."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = tall
    for footer in (ws.oddFooter, ws.evenFooter):
        footer.center.text = str(_("Page &P of &N"))


def _cell(ws, value, column, width):
    """A plain value where openpyxl writes it as it is; a cell only where it needs a format, must wrap
    (text wider than its column) or must be kept from reading as a formula (plain values are what makes
    the write-only mode fast)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        wraps = _lines(value, width) > 1
        if not wraps and not value.startswith(FORMULA_STARTS):
            return value
        cell = safe_text(WriteOnlyCell(ws), value)
        if wraps:
            cell.alignment = WRAPPED
        return cell
    if column.kind in FORMATS and column.kind != "text":
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = FORMATS[column.kind]
        return cell
    return value


def _lines(value, width):
    """How many lines a text takes in a column of `width` once wrapped (1 for what is not text)."""
    if not isinstance(value, str) or 2 * len(value) <= width:
        return 1
    shown = display_width(value)
    # A wrapped line holds somewhat less than the column's width: a Chinese character prints a little
    # wider than two digits, and lines break between words.
    return 1 if shown <= width else -(-shown // max(int((width - 1) * WRAP_FILL), 1))


# A day or a month as people write it: 2023-05-08, 2023/5/8, 2023.5.8, 2023年5月8日; 2023-05, 2023年5月.
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
