"""Workbooks opened with openpyxl and checked against the database: sheets, headers, values, formats,
freeze panes, filters, print setup, colours; scoped to the user; formula text inert."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from checklists import services
from checklists.exports import EXPORTERS, ExportScope, render
from checklists.exports.base import month_bounds

from . import factories as f

END = datetime.date(2023, 12, 31)


def monthly(user, campaign, county=None, end=END):
    scope = ExportScope(user=user, campaign=campaign, start=end.replace(day=1), end=end, county=county)
    name, content_type, content = render(EXPORTERS["monthly"](scope))
    return name, content_type, load_workbook(io.BytesIO(content))


def table(sheet):
    """The header row and the data rows of a sheet, as values."""
    rows = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    return rows[0], rows[1:]


@pytest.fixture
def reviewed(world, submitted_item):
    services.item_approve(item=submitted_item, user=world.office_x, score=Decimal("4.5"))
    return world


def test_monthly_bulletin_sheets_and_office_conventions(reviewed):
    name, content_type, book = monthly(reviewed.office_city, reviewed.campaign)
    assert name.endswith("20231201-20231231.xlsx") and content_type.endswith("spreadsheetml.sheet")
    assert book.sheetnames == ["单位", "县（区）", "逾期事项", "统计"]
    units = book["单位"]
    assert "2023年任务清单" in units["A1"].value and "2023年12月31日" in units["A1"].value
    assert str(units.merged_cells.ranges.pop()) == "A1:J1"
    assert units["A2"].value.startswith("生成时间")
    assert units.freeze_panes == "A4" and units.auto_filter.ref == "A3:J6"
    assert units.print_title_rows == "$3:$3"
    assert (units.page_setup.orientation, units.page_setup.paperSize, units.page_setup.fitToWidth) == (
        "landscape", 9, 1)
    assert units.sheet_properties.pageSetUpPr.fitToPage
    assert units.column_dimensions["B"].width == 30
    assert units.conditional_formatting  # red/amber/green on completion


def test_units_sheet_matches_the_database(reviewed):
    _, _, book = monthly(reviewed.office_city, reviewed.campaign)
    header, rows = table(book["单位"])
    assert header == ["排名", "单位", "县（区）", "单位类型", "应完成", "已通过", "完成率", "评分", "逾期", "评级"]
    assert rows[0] == [1, "甲县组织部", "甲县", "机关", 1, 1, 1.0, 4.5, 0, "绿"]
    assert [row[1] for row in rows] == ["甲县组织部", "甲县司法局", "乙县组织部"]
    assert book["单位"]["G4"].number_format == "0.0%"


def test_counties_and_overdue_sheets(reviewed):
    _, _, book = monthly(reviewed.office_city, reviewed.campaign, end=datetime.date(2024, 1, 31))
    _, counties = table(book["县（区）"])
    assert [(row[0], row[1], row[2]) for row in counties] == [("甲县", 2, 1), ("乙县", 1, 0)]
    header, overdue = table(book["逾期事项"])
    assert header[:3] == ["单位", "县（区）", "编号"]
    assert [(row[0], row[5].date(), row[7]) for row in overdue] == [
        ("甲县司法局", datetime.date(2023, 12, 31), 31), ("乙县组织部", datetime.date(2023, 12, 31), 31)]
    assert book["逾期事项"]["F4"].number_format == 'yyyy"年"m"月"d"日"'


def test_a_county_office_gets_only_its_county(reviewed):
    _, _, book = monthly(reviewed.office_x, reviewed.campaign)
    for sheet in book.worksheets:
        assert "乙县" not in " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_choosing_a_county_narrows_an_office_of_the_city(reviewed):
    _, _, book = monthly(reviewed.office_city, reviewed.campaign, county=reviewed.county_y)
    _, rows = table(book["单位"])
    assert [row[1] for row in rows] == ["乙县组织部"]
    assert book["单位"]["A1"].value.startswith("乙县")


def test_text_that_looks_like_a_formula_comes_out_inert(world):
    f.unit('=HYPERLINK("http://evil.example","点我")', world.county_x, code="EVIL")
    services.campaign_generate_items(campaign=world.campaign)
    _, _, book = monthly(world.office_city, world.campaign)
    cells = [cell for row in book["单位"].iter_rows(min_row=4) for cell in row if cell.value and
             str(cell.value).startswith("=HYPERLINK")]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].quotePrefix


def test_the_statistics_sheet_gives_exact_and_report_forms(world):
    entry = f.LedgerEntryFactory(unit=world.unit_a, kind="visit", subkind="routine", inspector_unit=world.county_x,
                                 occurred_on=datetime.date(2023, 5, 1))
    for _ in range(3):
        f.ProblemFactory(unit=world.unit_a, source=entry)
    _, _, book = monthly(world.office_city, world.campaign)
    header, rows = table(book["统计"])
    figures = {row[0]: row[1:] for row in rows}
    assert header == ["指标", "精确数", "报告写法", "计量单位"]
    assert figures["开展督导督办"][:2] == [1, "1次"]
    assert figures["发现问题"][:2] == [3, "3个"]


def test_month_bounds():
    assert month_bounds("2023-02") == (datetime.date(2023, 2, 1), datetime.date(2023, 2, 28))
    assert month_bounds("2023-12") == (datetime.date(2023, 12, 1), datetime.date(2023, 12, 31))
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_bounds("2023年5月")


def test_export_summary_command_writes_the_workbook(reviewed, tmp_path):
    out = tmp_path / "月通报.xlsx"
    call_command("export_summary", kind="monthly", period="2023-12", out=str(out), user="office_x",
                 campaign=reviewed.campaign.pk, stdout=io.StringIO())
    book = load_workbook(out)
    assert book.sheetnames[0] == "单位" and book["单位"]["B4"].value == "甲县组织部"


def test_the_download_page(client, reviewed):
    client.force_login(reviewed.office_x)
    page = client.get(reverse("export_page"))
    assert page.status_code == 200 and "monthly" in page.content.decode()
    response = client.get(reverse("export_page"), {"kind": "monthly", "campaign": reviewed.campaign.pk,
                                                   "period": "2023-12", "county": ""})
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.content))
    assert [row[1] for row in table(book["单位"])[1]] == ["甲县组织部", "甲县司法局"]


def test_the_download_page_refuses_another_county_and_a_bad_month(client, reviewed):
    client.force_login(reviewed.office_x)
    response = client.get(reverse("export_page"), {"kind": "monthly", "campaign": reviewed.campaign.pk,
                                                   "period": "2023/13", "county": reviewed.county_y.pk})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"period", "county"}
