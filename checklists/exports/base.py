"""One exporter class per workbook; one renderer that writes any of them with openpyxl in write-only
mode, with the conventions of an office file: a title row naming the body, the task list and the period,
a generated-at line, a frozen header with autofilter, widths that fit Chinese text, number and date
formats, conditional colours, and landscape A4 printing fitted to the width with the header repeated."""

import datetime
import io
from dataclasses import dataclass, field
from typing import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .. import ratings

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
FORMATS = {"int": "#,##0", "decimal": "0.0", "percent": "0.0%", "date": DATE_FORMAT, "text": "@"}
# A text cell starting with one of these would be a formula, or start one, once edited in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RED, AMBER, GREEN = "F8CBAD", "FFE699", "C6EFCE"


@dataclass
class Column:
    header: str
    width: int = 12
    kind: str = "text"  # text, int, decimal, percent (a fraction: 0.857), date


@dataclass
class Sheet:
    name: str
    columns: list
    rows: Iterable  # lists of values, in the columns' order
    rag_column: int | None = None  # index of a percent column to colour red/amber/green
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

    def within(self, queryset, unit="unit"):
        """The rows of the county asked for, if one was (`unit`: the path to the row's unit; "" for units)."""
        if self.county is None:
            return queryset
        return queryset.filter(**{f"{unit}__path__startswith" if unit else "path__startswith": self.county.path})


class Exporter:
    identifier = ""
    verbose_name = ""
    period_help = _("the month, as YYYY-MM")

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

    def expected_rows(self) -> int | None:
        """How many rows the workbook will have, where a count is cheap; the progress bar's end."""
        return None

    @property
    def filename(self):
        return f"{self.verbose_name}_{self.scope.start:%Y%m%d}-{self.scope.end:%Y%m%d}.xlsx"

    def heading(self, sheet):
        scope = self.scope
        body = scope.county.name if scope.county else scope.campaign.owner.name
        return f"{body} · {scope.campaign.name} · {sheet.name}"

    def subheading(self, sheet):
        scope = self.scope
        period = _("%(start)s to %(end)s") % {"start": chinese_date(scope.start), "end": chinese_date(scope.end)}
        generated = _("generated on %(when)s") % {"when": f"{scope.generated_at:%Y年%m月%d日 %H:%M}"}
        return " · ".join(part for part in (str(period), str(generated), sheet.note) if part)


class YearOrMonthExporter(Exporter):
    """A workbook over a whole year, or one month of it."""

    period_help = _("a year YYYY or a month YYYY-MM")

    @classmethod
    def period_of(cls, day):
        return str(day.year)

    @classmethod
    def period_bounds(cls, text):
        text = text.strip()
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
    workbook = Workbook(write_only=True)
    written = 0

    def tick(rows):
        nonlocal written
        written += rows
        if progress is not None:
            progress(written)

    for sheet in exporter.sheets():
        _write_sheet(workbook, exporter, sheet, tick, every)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if progress is not None:
        progress(written)
    return exporter.filename, CONTENT_TYPE, buffer.getvalue()


def _write_sheet(workbook, exporter, sheet, tick, every):
    ws = workbook.create_sheet(sheet.name[:31])
    width = len(sheet.columns)
    last = get_column_letter(width)
    for index, column in enumerate(sheet.columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header_row = 3
    # Written with the sheet's top, so set before the first row: panes and fitting the page.
    ws.freeze_panes = f"A{header_row + 1}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    title = WriteOnlyCell(ws, value=exporter.heading(sheet))
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append([exporter.subheading(sheet)])
    thin = Side(style="thin", color="999999")
    header = []
    for column in sheet.columns:
        cell = safe_text(WriteOnlyCell(ws), str(column.header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        header.append(cell)
    ws.append(header)

    count = 0
    for values in sheet.rows:
        ws.append([_cell(ws, value, column) for value, column in zip(values, sheet.columns)])
        count += 1
        if count % every == 0:
            tick(every)
    tick(count % every)
    if not count:
        ws.append([str(_("None in this period."))])
    last_row = header_row + max(count, 1)
    ws.merged_cells.add(f"A1:{last}1")
    ws.auto_filter.ref = f"A{header_row}:{last}{last_row}"
    if sheet.rag_column is not None and count:
        letter = get_column_letter(sheet.rag_column + 1)
        cells = f"{letter}{header_row + 1}:{letter}{last_row}"
        amber, green = ratings.AMBER_FROM / 100, ratings.GREEN_FROM / 100
        for operator, formula, colour in [("lessThan", [str(amber)], RED),
                                          ("between", [str(amber), str(round(green - 0.0001, 4))], AMBER),
                                          ("greaterThanOrEqual", [str(green)], GREEN)]:
            ws.conditional_formatting.add(cells, CellIsRule(operator=operator, formula=formula,
                                                            fill=PatternFill("solid", fgColor=colour)))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{header_row}:{header_row}"


def _cell(ws, value, column):
    """A plain value where openpyxl writes it as it is; a cell only where it needs a format or must be
    kept from reading as a formula (plain values are what makes the write-only mode fast)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return safe_text(WriteOnlyCell(ws), value) if value.startswith(FORMULA_STARTS) else value
    if column.kind in FORMATS and column.kind != "text":
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = FORMATS[column.kind]
        return cell
    return value


def day_of(text):
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("Write the day as YYYY-MM-DD, for example 2023-05-08.")) from None


def month_bounds(text):
    """"2023-05" → the first and last day of May 2023; a clear ValueError otherwise."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        start = datetime.date(year, month, 1)
    except ValueError:
        raise ValueError(_("Write the month as YYYY-MM, for example 2023-05.")) from None
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)
