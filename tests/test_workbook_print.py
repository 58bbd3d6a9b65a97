"""Workbooks that go into the official record unchanged: every workbook of the demo city, converted to
PDF by LibreOffice as an office would print it, has "第 N 页 共 M 页" at the foot of every page and stays
within a page count; and no cell's text is wider than its column (long text wraps instead).

Outside CI a machine without LibreOffice and poppler skips this with the reason; in CI it must run."""

import datetime
import io
import os
import re
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from checklists.exports import EXPORTERS, ExportScope, render
from checklists.exports.base import display_width
from checklists.models import Campaign

# (workbook, period, most pages the demo's may print on); the weekly's week has 364 moves in its log
WORKBOOKS = [("weekly", "2023-05-03", 35), ("monthly", "2023-05", 15), ("bimonthly", "2023-04", 7),
             ("ledgers", "2023-05", 40), ("items", "2023-05", 120)]
FOOTER = re.compile(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页")


def tools():
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{', '.join(missing)} missing; CI must print the workbooks "
                        "(apt-get install libreoffice-calc-nogui poppler-utils)")
        pytest.skip(f"{', '.join(missing)} missing: apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk")


def shown(value, number_format):
    """A cell's value as the sheet shows it."""
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if number_format.endswith("%"):
        return f"{value * 100:.1f}%"
    if number_format == "0.0":
        return f"{value:.1f}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def too_wide(book):
    """Cells below the header whose text, unwrapped, is wider than their column, or wrapped, taller
    than their row."""
    found = []
    for sheet in book.worksheets:
        widths = {}
        for row in sheet.iter_rows(min_row=4):
            for cell in row:
                if cell.value is None:
                    continue
                letter = get_column_letter(cell.column)
                width = widths.setdefault(letter, sheet.column_dimensions[letter].width)
                text = shown(cell.value, cell.number_format)
                if cell.alignment and cell.alignment.wrap_text:
                    shown_width = display_width(text)
                    lines = 1 if shown_width <= width else -(-shown_width // (width - 1))
                    height = sheet.row_dimensions[cell.row].height or 15
                    if height < 14 * lines:
                        found.append(f"{sheet.title}!{cell.coordinate}: {lines} lines in a row {height} high")
                    continue
                if display_width(text) > width and not (len(row) == 1 or cell.column == 1 and row[1].value is None):
                    found.append(f"{sheet.title}!{cell.coordinate} “{text}” > {width}")
    return found


def test_every_workbook_prints_with_its_footer_on_every_page_and_nothing_wider_than_its_column(db, tmp_path):
    tools()
    call_command("load_demo", stdout=io.StringIO())
    office = get_user_model().objects.get(username="office")
    campaign = Campaign.objects.get(year=2023)
    for kind, period, most in WORKBOOKS:
        start, end = EXPORTERS[kind].period_bounds(period)
        name, _type, content = render(EXPORTERS[kind](ExportScope(user=office, campaign=campaign, start=start,
                                                                     end=end)))
        assert too_wide(load_workbook(io.BytesIO(content))) == [], kind
        (tmp_path / f"{kind}.xlsx").write_bytes(content)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    *(str(tmp_path / f"{kind}.xlsx") for kind, _period, _most in WORKBOOKS)],
                   check=True, capture_output=True, timeout=600, env={**os.environ, "HOME": str(tmp_path)})
    for kind, _period, most in WORKBOOKS:
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{kind}.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
        pages = [page for page in text.split("\f") if page.strip()]
        assert 1 <= len(pages) <= most, (kind, len(pages))
        if kind in ("weekly", "monthly"):  # a summary page first, the appendices after it
            assert "· 概况" in pages[0] and "· 附表1" not in pages[0] and "· 附表1" in pages[1], kind
        for number, page in enumerate(pages, 1):
            assert FOOTER.search(page) and FOOTER.search(page).groups() == (str(number), str(len(pages))), (
                kind, number)
