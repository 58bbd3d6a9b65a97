"""Writing any exporter's sheets with openpyxl in write-only mode, with the conventions of an office
file: a title naming the body, the report and its period (山水市清廉建设工作月通报（2023年5月）), a line
naming the issuing task force, the task list, the days covered and the date; a frozen header with
autofilter; thin borders round the table; widths that fit Chinese text, long text wrapped rather than
run into its neighbour; number and date formats; conditional colours; landscape A4 printing fitted to
the width, the header repeated and "第 N 页 共 M 页" at the foot of every page."""

import functools
import io
import shutil
import tempfile
import zipfile

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule, Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter

from .. import ratings
from .base import SummarySheet, display_width

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
    if hasattr(exporter, "write_document"):  # a Word document, not a workbook
        exporter.write_document(into)
        return exporter.filename, exporter.content_type
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
    return _wrapped_lines(value, width)


@functools.lru_cache(maxsize=50_000)  # a sheet repeats its units' names and its measures' titles
def _wrapped_lines(value, width):
    shown = display_width(value)
    # A wrapped line holds somewhat less than the column's width: a Chinese character prints a little
    # wider than two digits, and lines break between words.
    return 1 if shown <= width else -(-shown // max(int((width - 1) * WRAP_FILL), 1))


# A day or a month as people write it: 2023-05-08, 2023/5/8, 2023.5.8, 2023年5月8日; 2023-05, 2023年5月.
