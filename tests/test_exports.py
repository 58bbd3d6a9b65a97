"""Workbooks opened with openpyxl and checked against the database: sheets, headers, values, formats,
freeze panes, filters, print setup, colours; scoped to the user; formula text inert."""

import datetime
import io
import os
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from checklists import services, tasks
from checklists.exports import EXPORTERS, ExportScope, render
from checklists.exports.base import month_bounds
from checklists.exports.checklist import OfflineChecklist
from checklists.models import SUBKINDS, ChecklistItem, Dimension, Duty, ItemStatus, Job, LedgerKind

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


def table_rows(sheet):
    """The rows of every table of a sheet, without their headers (a header follows a one-cell line: the
    sheet's second title line, or a table's caption on a summary page)."""
    rows = [[value for value in row if value is not None] for row in sheet.iter_rows(min_row=2, values_only=True)]
    return [row for before, row in zip(rows, rows[1:]) if len(row) > 1 and len(before) != 1]


def summary_table(sheet, caption):
    """The header row and the data rows of the table under `caption` on a summary page."""
    rows = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    for row in rows:  # the page is as wide as its widest table
        while row and row[-1] is None:
            row.pop()
    start = next(index for index, row in enumerate(rows) if row and row[0] == caption)
    end = next((index for index in range(start, len(rows)) if not any(rows[index])), len(rows))
    return rows[start + 1], rows[start + 2:end]


def test_monthly_bulletin_sheets_and_office_conventions(reviewed):
    name, content_type, book = monthly(reviewed.office_city, reviewed.campaign)
    assert name.endswith("20231201-20231231.xlsx") and content_type.endswith("spreadsheetml.sheet")
    assert book.sheetnames == ["概况", "单位", "逾期事项", "统计"]
    units = book["单位"]
    assert units["A1"].value == "山水市清廉建设工作月通报（2023年12月） · 附表1 单位"
    assert units["A2"].value.startswith(f"山水市清廉建设工作专班 · {reviewed.campaign.name} · 2023年12月1日至2023年12月31日 · 生成时间")
    assert units.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert any(rule.dxf and rule.dxf.border for rules in units.conditional_formatting for rule in rules.rules)
    assert sorted(str(cells) for cells in units.merged_cells.ranges) == ["A1:J1", "A2:J2"]
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
    _, counties = summary_table(book["概况"], "各县（区）完成情况")
    assert [(row[0], row[1], row[2]) for row in counties] == [("甲县", 2, 1), ("乙县", 1, 0), ("合计", 3, 1)]
    header, overdue = table(book["逾期事项"])
    assert header[:3] == ["单位", "县（区）", "编号"]
    assert [(row[0], row[5].date(), row[7]) for row in overdue] == [
        ("甲县司法局", datetime.date(2023, 12, 31), 31), ("乙县组织部", datetime.date(2023, 12, 31), 31)]
    assert book["逾期事项"]["F4"].number_format == 'yyyy"年"m"月"d"日"'


def test_a_county_office_gets_only_its_county(reviewed):
    _, _, book = monthly(reviewed.office_x, reviewed.campaign)
    for sheet in book.worksheets:
        assert "乙县" not in " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_a_liaisons_unit_is_labelled_with_its_own_county(reviewed):
    _, _, book = monthly(reviewed.liaison_a, reviewed.campaign, end=datetime.date(2024, 1, 31))
    assert [row[1:3] for row in table(book["单位"])[1]] == [["甲县组织部", "甲县"]]
    assert [row[0] for row in summary_table(book["概况"], "各县（区）完成情况")[1]] == ["甲县", "合计"]
    city_department = f.unit("市委组织部", reviewed.city, code="CITYORG")
    f.member("liaison_city", city_department, "liaison")
    services.campaign_generate_items(campaign=reviewed.campaign)
    _, _, book = monthly(User.objects.get(username="liaison_city"), reviewed.campaign, end=datetime.date(2024, 1, 31))
    assert [row[1:3] for row in table(book["单位"])[1]] == [["市委组织部", "市直单位"]]


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
    for written in ("2023年2月", "2023/2", "２０２３－０２", "2023.02"):  # as people type them
        assert month_bounds(written) == (datetime.date(2023, 2, 1), datetime.date(2023, 2, 28)), written
    assert EXPORTERS["weekly"].period_bounds("2023/5/10") == EXPORTERS["weekly"].period_bounds("2023年5月10日")
    assert EXPORTERS["ledgers"].period_bounds("2023年") == (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    assert month_bounds("2023-12") == (datetime.date(2023, 12, 1), datetime.date(2023, 12, 31))
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_bounds("5月")


def test_export_summary_command_writes_the_workbook(reviewed, tmp_path):
    out = tmp_path / "月通报.xlsx"
    call_command("export_summary", kind="monthly", period="2023-12", out=str(out), user="office_x",
                 campaign=reviewed.campaign.pk, stdout=io.StringIO())
    book = load_workbook(out)
    assert book.sheetnames[1] == "单位" and book["单位"]["B4"].value == "甲县组织部"


def test_the_export_page_writes_the_workbook_in_the_background_and_offers_it(client, reviewed):
    client.force_login(reviewed.office_x)
    page = client.get(reverse("export_page"))
    assert page.status_code == 200 and "monthly" in page.content.decode()
    response = client.post(reverse("export_page"), {"kind": "monthly", "campaign": reviewed.campaign.pk,
                                                    "period": "2023-12", "county": ""})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    status = client.get(reverse("job_status", args=[job.pk])).json()
    assert (status["status"], status["percent"], status["finished"]) == ("done", 100, True)
    data_rows = [row for sheet in load_workbook(job.file.path).worksheets for row in table_rows(sheet)]
    assert job.done == len(data_rows) > 0
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response["Content-Disposition"].startswith("attachment") and job.filename.startswith("月通报")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [row[1] for row in table(book["单位"])[1]] == ["甲县组织部", "甲县司法局"]
    assert job.filename in client.get(reverse("export_page")).content.decode()


def test_the_export_page_refuses_another_county_and_a_bad_month(client, reviewed):
    client.force_login(reviewed.office_x)
    response = client.post(reverse("export_page"), {"kind": "monthly", "campaign": reviewed.campaign.pk,
                                                    "period": "2023/13", "county": reviewed.county_y.pk})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"period", "county"}
    assert not Job.objects.exists()


def test_a_failed_export_says_why_on_its_page(client, reviewed, monkeypatch):
    def broken(self):
        raise RuntimeError("磁盘已满")
        yield

    monkeypatch.setattr(EXPORTERS["monthly"], "sheets", broken)
    client.force_login(reviewed.office_x)
    client.post(reverse("export_page"), {"kind": "monthly", "campaign": reviewed.campaign.pk, "period": "2023-12"})
    job = Job.objects.get()
    assert (job.status, job.message) == ("failed", "磁盘已满")
    assert "磁盘已满" in client.get(job.get_absolute_url()).content.decode()
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_the_item_ledger_lists_every_item_in_reach_due_in_the_period(reviewed):
    book = workbook("items", reviewed.office_x, reviewed.campaign, "2023")
    header, rows = table(book["清单事项"])
    expected = ChecklistItem.objects.for_user(reviewed.office_x).filter(campaign=reviewed.campaign)
    assert len(rows) == expected.count() and {row[0] for row in rows} == {"甲县组织部", "甲县司法局"}
    assert header[:3] == ["单位", "县（区）", "维度"]


def test_an_item_ledger_past_one_sheet_is_a_zip_of_one_workbook_per_county(client, reviewed, monkeypatch):
    """A province's ledger passes Excel's 1,048,576 rows; here the limit is lowered to two rows."""
    f.unit("市纪委", reviewed.city, code="DEPT")  # a city department: its own workbook
    services.campaign_generate_items(campaign=reviewed.campaign)
    monkeypatch.setattr(EXPORTERS["items"], "sheet_rows", 2)
    client.force_login(reviewed.office_city)
    client.post(reverse("export_page"), {"kind": "items", "campaign": reviewed.campaign.pk, "period": "2023"})
    job = Job.objects.get()
    assert job.status == "done" and job.filename == "清单台账_20230101-20231231.zip"
    response = client.get(reverse("job_download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert [name.split("_")[1] for name in names] == ["甲县", "乙县", "市纪委"]
    units = {}
    for name in names:
        book = load_workbook(io.BytesIO(archive.read(name)), read_only=True)
        units[name.split("_")[1]] = sorted(row[0] for row in table(book["清单事项"])[1])
    assert units == {"甲县": ["甲县司法局", "甲县组织部"], "乙县": ["乙县组织部"], "市纪委": ["市纪委"]}
    assert job.done == ChecklistItem.objects.filter(campaign=reviewed.campaign).count() == 4


def workbook(kind, user, campaign, period, county=None):
    start, end = EXPORTERS[kind].period_bounds(period)
    scope = ExportScope(user=user, campaign=campaign, start=start, end=end, county=county)
    return load_workbook(io.BytesIO(render(EXPORTERS[kind](scope))[2]))


def test_weekly_dispatch_lists_the_weeks_moves_next_weeks_items_and_who_is_late(reviewed):
    book = workbook("weekly", reviewed.office_x, reviewed.campaign, "2023-12-20")
    assert book.sheetnames == ["概况", "本周进展", "下周到期", "逾期（按单位）", "本周问题", "统计"]
    _, moves = table(book["本周进展"])
    assert [(row[1], row[4], row[5]) for row in moves] == [("甲县组织部", "草稿", "已报送"), ("甲县组织部", "已报送", "已通过")]
    assert [row[1] for row in table(book["下周到期"])[1]] == ["甲县司法局"]  # due 31 December, not done
    assert table(book["逾期（按单位）"])[1] == [["本期无。", None, None, None]]
    book = workbook("weekly", reviewed.office_x, reviewed.campaign, "2024-01-03")
    _, late = table(book["逾期（按单位）"])
    assert [(row[0], row[2]) for row in late] == [("甲县司法局", 1)]


def test_weekly_period_is_the_monday_to_sunday_around_the_day():
    assert EXPORTERS["weekly"].period_bounds("2023-05-10") == (datetime.date(2023, 5, 8), datetime.date(2023, 5, 14))
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        EXPORTERS["weekly"].period_bounds("5月10日")


def test_bimonthly_analysis_trends_problems_and_ledger_totals(reviewed):
    f.LedgerEntryFactory(unit=reviewed.unit_a, count=3, participants=40, occurred_on=datetime.date(2023, 11, 5))
    problem = f.ProblemFactory(unit=reviewed.unit_c, found_on=datetime.date(2023, 11, 1))
    services.problem_report_rectification(problem=problem, user=f.member("liaison_c", reviewed.unit_c, "liaison"),
                                          rectification="已整改")
    services.problem_close(problem=problem, user=reviewed.office_y)
    f.backdate([problem], timezone.make_aware(datetime.datetime(2023, 11, 20, 10, 0)))
    book = workbook("bimonthly", reviewed.office_city, reviewed.campaign, "2023-11")
    assert book.sheetnames == ["分维度走势", "分县（区）走势", "问题整改", "台账汇总", "统计"]
    header, rows = table(book["分维度走势"])
    assert header[0] == "维度" and header[-1] == "2023-12" and len(header) == 13
    # Three items fall due in December; one of them was approved on 20 December.
    assert rows == [["政治建设"] + [None] * 11 + [1 / 3]]
    _, problems = table(book["问题整改"])
    assert [(row[0], row[1], row[2], row[5]) for row in problems] == [("乙县", 1, 1, 1.0), ("合计", 1, 1, 1.0)]
    _, totals = table(book["台账汇总"])
    assert totals == [["会议", "三会一课", 1, 3, 40, 0]]


def test_the_ledger_workbook_has_a_row_per_problem_and_per_duty(world):
    from checklists.models import Duty

    visit = f.LedgerEntryFactory(unit=world.unit_a, kind="visit", subkind="routine", inspector_unit=world.county_x,
                                 inspectors="督导组", occurred_on=datetime.date(2023, 5, 1))
    for text in ("台账不全", "制度缺失"):
        f.ProblemFactory(unit=world.unit_a, source=visit, description=text)
    letter = f.LedgerEntryFactory(unit=world.unit_b, kind="responsibility", subkind="responsibility_letter",
                                  title="责任书", occurred_on=datetime.date(2023, 3, 1))
    Duty.objects.create(responsibility_list=letter, holder="张某", is_head=True, duties="第一责任人")
    book = workbook("ledgers", world.office_x, world.campaign, "2023")
    _, visits = table(book["督导检查台账"])
    assert [(row[1], row[5], row[7]) for row in visits] == [("甲县组织部", "甲县", "台账不全"), ("甲县组织部", "甲县", "制度缺失")]
    _, duties = table(book["责任清单台账"])
    assert [(row[5], row[7]) for row in duties] == [("张某", "是")]
    assert book["督导检查台账"]["A4"].number_format == 'yyyy"年"m"月"d"日"'


@pytest.mark.parametrize("kind", list(EXPORTERS))
def test_the_admin_writes_each_workbook_for_the_selected_task_list(client, reviewed, kind):
    client.force_login(reviewed.office_x)
    response = client.post(reverse("admin:checklists_campaign_changelist"),
                           {"action": f"download_{kind}", "_selected_action": [reviewed.campaign.pk]})
    job = Job.objects.get(identifier=kind)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    download = client.get(reverse("job_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    if kind == "summary":  # a Word document, of the county the office reaches, for the list's year
        assert download["Content-Type"].endswith("wordprocessingml.document")
        text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs)
        assert "甲县2023年" in text and "乙县" not in text
        return
    assert download["Content-Type"].endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(content))
    text = " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert reviewed.campaign.name in text and "乙县" not in text


def _add_records(world, count):
    """`count` more units in county X, each with its items (one approved), an entry of every ledger kind,
    a duty, and a visit that found a problem; and one more transition this week."""
    for n in range(count):
        unit = f.unit(f"甲县增补单位{n}", world.county_x)
        for kind, subkind in SUBKIND_OF_EACH_KIND.items():
            entry = f.LedgerEntryFactory(unit=unit, kind=kind, subkind=subkind, title=f"{unit.name}{kind}",
                                         occurred_on=world.campaign.period_end, inspector_unit=world.county_x)
            if kind == LedgerKind.RESPONSIBILITY:
                Duty.objects.create(responsibility_list=entry, holder="王某", duties="全面负责")
            if kind == LedgerKind.VISIT:
                f.ProblemFactory(unit=unit, source=entry, found_on=world.campaign.period_end)
    services.campaign_generate_items(campaign=world.campaign)
    for item in ChecklistItem.objects.filter(unit__name__startswith="甲县增补单位", status=ItemStatus.DRAFT)[:count]:
        services.item_submit(item=item, user=world.superuser)


SUBKIND_OF_EACH_KIND = {kind: SUBKINDS[kind].values[0] for kind in SUBKINDS}


@pytest.mark.parametrize("kind", [*EXPORTERS, "checklist"])
def test_each_workbook_runs_a_fixed_number_of_queries(reviewed, kind):
    """Rows of every sheet at two sizes: the weekly dispatch around today (its moves), the rest in the
    task list's last month or year."""
    exporter = EXPORTERS.get(kind, OfflineChecklist)
    day = datetime.date.today() if kind == "weekly" else reviewed.campaign.period_end

    def count():
        start, end = (reviewed.campaign.period_start, reviewed.campaign.period_end) if kind == "checklist" else (
            exporter.period_bounds(exporter.period_of(day)))
        scope = ExportScope(user=reviewed.superuser, campaign=reviewed.campaign, start=start, end=end)
        with CaptureQueriesContext(connection) as queries:
            render(exporter(scope))
        return len(queries)

    _add_records(reviewed, 1)
    small = count()
    _add_records(reviewed, 20)
    assert count() == small


def test_prune_exports_deletes_old_jobs_and_their_files(reviewed):
    old = tasks.export_start(user=reviewed.office_x, exporter="monthly", campaign=reviewed.campaign,
                                start=datetime.date(2023, 12, 1), end=datetime.date(2023, 12, 31))
    new = tasks.export_start(user=reviewed.office_x, exporter="monthly", campaign=reviewed.campaign,
                                start=datetime.date(2023, 12, 1), end=datetime.date(2023, 12, 31))
    Job.objects.filter(pk=old.pk).update(created_at=old.created_at - datetime.timedelta(days=31))
    old.refresh_from_db()
    path = old.file.path
    call_command("prune_exports", stdout=io.StringIO())
    assert list(Job.objects.values_list("pk", flat=True)) == [new.pk]
    assert not os.path.exists(path) and os.path.exists(Job.objects.get().file.path)


@pytest.mark.parametrize("start, end, words", [
    ("2023-05-01", "2023-05-31", "2023年5月"), ("2023-04-01", "2023-05-31", "2023年4月至5月"),
    ("2023-01-01", "2023-12-31", "2023年"), ("2023-05-08", "2023-05-14", "2023年5月8日至14日"),
    ("2023-05-29", "2023-06-04", "2023年5月29日至6月4日"), ("2023-12-25", "2024-01-07", "2023年12月25日至2024年1月7日"),
    ("2023-12-01", "2024-01-31", "2023年12月至2024年1月"),
])
def test_a_period_is_named_as_the_reports_name_it(start, end, words):
    from checklists.exports.base import period_words

    assert period_words(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)) == words


def test_the_bimonthly_trend_shows_no_month_that_has_not_begun(reviewed):
    today = timezone.localdate()
    book = workbook("bimonthly", reviewed.office_city, reviewed.campaign, f"{today:%Y-%m}")
    header, _rows = table(book["分维度走势"])
    next_month = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    assert header[-1] == f"{today:%Y-%m}" and f"{next_month:%Y-%m}" not in header


def test_bimonthly_rows_follow_the_standard_sets_dimensions_and_fold_the_city_departments(reviewed):
    world = reviewed
    Dimension.objects.filter(pk=world.standard_item.dimension_id).update(order=5)
    first = f.DimensionFactory(standard_set=world.standard_set, code="DIM-ORG", name="组织建设", order=1)
    f.StandardItemFactory(standard_set=world.standard_set, dimension=first, code="S-Z")
    for name, code in (("市委办", "CITY1"), ("市政府办", "CITY2")):
        f.ProblemFactory(unit=f.unit(name, world.city, code=code), found_on=datetime.date(2023, 11, 2))
    services.campaign_generate_items(campaign=world.campaign)
    for item in ChecklistItem.objects.filter(unit__code="CITY1"):
        item.status, item.reviewed_at = ItemStatus.APPROVED, timezone.make_aware(datetime.datetime(2023, 12, 20))
        item.save()
    book = workbook("bimonthly", world.office_city, world.campaign, "2023-11")
    assert [row[0] for row in table(book["分维度走势"])[1]] == ["组织建设", "政治建设"]
    by_county = {row[0]: row[-1] for row in table(book["分县（区）走势"])[1]}
    assert list(by_county) == ["甲县", "乙县", "市直单位"]
    assert by_county["市直单位"] == 0.5  # one department's two items approved, the other's not: both counted
    assert [(row[0], row[1]) for row in table(book["问题整改"])[1]] == [("市直单位", 2), ("合计", 2)]
