"""What `manage.py bench` measures in its child processes, on the database the environment names."""

import datetime
import io
import resource
import statistics
import tempfile
import time
import zipfile

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from .exports import EXPORTERS, ExportScope, render, write
from .exports.checklist import OfflineChecklist
from .imports.checklist import OfflineChecklistImport
from .imports.tasks import TaskListImport
from .models import (
    Campaign,
    ChecklistItem,
    ItemStatus,
    LedgerKind,
    Membership,
    Role,
    Unit,
    UnitKind,
    UnitStanding,
)

PASSWORD = "bench-pw-2023"


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _users(load_users):
    """The office of the scale city, and liaisons of as many units, each with the password."""
    User = get_user_model()
    office = User.objects.get(username="scale-office")
    office.set_password(PASSWORD)
    office.save()
    units = list(Unit.objects.filter(kind__in=[UnitKind.ORGAN, UnitKind.SCHOOL, UnitKind.VILLAGE])
                 .order_by("path")[:load_users])
    liaisons = []
    for n, unit in enumerate(units):
        user, _created = User.objects.get_or_create(username=f"bench-liaison-{n:02d}")
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.get_or_create(user=user, unit=unit, role=Role.LIAISON)
        liaisons.append(user)
    return office, liaisons


def _time(client, url, repeat):
    client.get(url)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return {"p50_ms": 1000 * statistics.median(times), "p95_ms": 1000 * percentile(times, 0.95),
            "queries": count}


FLOOR = "floor: Django's stock admin changelist of the items, 100 rows"


class ServerTime:
    """Each response says the CPU time its app server process spent on it (X-Server-CPU-ms), for the
    load test's CPU time per request of each kind."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.process_time()
        response = self.get_response(request)
        response["X-Server-CPU-ms"] = f"{1000 * (time.process_time() - started):.2f}"
        return response


class StockItemAdmin(admin.ModelAdmin):
    """Django's admin changelist with nothing changed: the floor every page is compared with."""


# Served at /bench-floor/ only where BENCH_FLOOR=1 (the bench's own processes), to a superuser.
floor_site = admin.AdminSite(name="floor")
floor_site.register(ChecklistItem, StockItemAdmin)


def measure_pages_and_imports(repeat, load_users, imports=True):
    office, liaisons = _users(load_users)
    campaign = Campaign.objects.for_user(office).get()
    county = Unit.objects.filter(kind=UnitKind.COUNTY).order_by("path")[3]
    item = ChecklistItem.objects.filter(unit__path__startswith=county.path).order_by("pk")[50]
    entry = item.unit.ledger_entries.filter(kind=LedgerKind.TRAINING).first() or item.unit.ledger_entries.first()
    office_client, liaison_client = Client(), Client()
    office_client.force_login(office)
    liaison_client.force_login(liaisons[0])
    deep = f"status=approved&county={county.path}&page=20"
    root, _created = get_user_model().objects.get_or_create(
        username="bench-floor", defaults={"is_superuser": True, "is_staff": True})
    floor_client = Client()
    floor_client.force_login(root)
    pages = [
        (FLOOR, floor_client, reverse("floor:checklists_checklistitem_changelist")),
        ("office overview", office_client, reverse("home")),
        ("unit home (liaison)", liaison_client, reverse("home")),
        ("items, first page", office_client, reverse("item_list")),
        ("items, page 20 filtered by status and county", office_client, f"{reverse('item_list')}?{deep}"),
        ("item page", office_client, item.get_absolute_url()),
        ("units and ranking, first page", office_client, reverse("unit_list")),
        ("units and ranking, page 20", office_client, f"{reverse('unit_list')}?page=20"),
        ("training ledger, first page", office_client, reverse("ledger_list", args=["training"])),
        ("training ledger, page 20 in one county", office_client,
         f"{reverse('ledger_list', args=['training'])}?county={county.path}&page=5"),
        ("ledger entry page", office_client, reverse("ledger_detail", args=[entry.pk])),
        ("problems, first page", office_client, reverse("problem_list")),
        ("problems, open, page 5", office_client, f"{reverse('problem_list')}?status=open&page=5"),
        ("export page", office_client, reverse("export_page")),
        ("admin: items", office_client, reverse("admin:checklists_checklistitem_changelist")),
        ("admin: items, page 20 filtered", office_client,
         reverse("admin:checklists_checklistitem_changelist") + "?status__exact=approved&p=20"),
        ("admin: units", office_client, reverse("admin:checklists_unit_changelist")),
        ("admin: ledger entries", office_client, reverse("admin:checklists_ledgerentry_changelist")),
        ("admin: problems", office_client, reverse("admin:checklists_problem_changelist")),
        ("admin: item change page", office_client, reverse("admin:checklists_checklistitem_change", args=[item.pk])),
    ]
    results = [{"name": name, **_time(client, url, repeat)} for name, client, url in pages]
    load = [{"username": user.username, "items": list(
        ChecklistItem.objects.filter(unit__memberships__user=user, campaign=campaign).values_list("pk", flat=True))}
        for user in liaisons]
    return {"pages": results, "imports": _imports(office, campaign) if imports else {}, "load_users": load}


def _imports(office, campaign):
    runs = {}
    book = Workbook()
    sheet = book.active
    sheet.title = TaskListImport.sheet
    sheet.append([header for header, *_rest in TaskListImport.columns])
    for n in range(1, 10_001):
        sheet.append([n, f"压力测试任务{n}", "按月推进", "市委副书记 赵某", "", "", "2026年6月底前", ""])
    data = io.BytesIO()
    book.save(data)
    started = time.perf_counter()
    plan = TaskListImport(user=office, campaign=campaign).run(io.BytesIO(data.getvalue()), dry_run=False)
    assert plan.ok, plan.problems[:3]
    runs["task list, 10,000 rows (check and write)"] = {"rows": 10_000, "seconds": time.perf_counter() - started}

    # The offline round trip for a large unit: a liaison acting for the 40 units of one county's first part.
    User = get_user_model()
    user, _created = User.objects.get_or_create(username="bench-round-trip")
    for unit in Unit.objects.filter(kind=UnitKind.ORGAN).order_by("-path")[:40]:
        Membership.objects.get_or_create(user=user, unit=unit, role=Role.LIAISON)
    scope = ExportScope(user=user, campaign=campaign, start=campaign.period_start, end=campaign.period_end)
    started = time.perf_counter()
    _name, _type, content = render(OfflineChecklist(scope))
    exported = time.perf_counter() - started
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[3]]
    progress, account, status = header.index("进度（%）"), header.index("完成情况"), header.index("状态")
    editable = {str(label) for value, label in ItemStatus.choices
                if value in (ItemStatus.DRAFT, ItemStatus.IN_PROGRESS, ItemStatus.RETURNED)}
    rows = 0
    for row in sheet.iter_rows(min_row=4):
        if row[0].value and row[status].value in editable:
            row[progress].value, row[account].value = 60, "离线填写：已完成部署。"
            rows += 1
    edited = io.BytesIO()
    book.save(edited)
    started = time.perf_counter()
    plan = OfflineChecklistImport(user=user).run(io.BytesIO(edited.getvalue()), dry_run=False)
    assert plan.ok, plan.problems[:3]
    runs["offline checklist of 40 units: export"] = {"rows": sheet.max_row - 3, "seconds": exported}
    runs["offline checklist of 40 units: import back (rows changed)"] = {
        "rows": rows, "seconds": time.perf_counter() - started}
    return runs


def measure_workbook(name, county=None):
    """Write one workbook, then the same cells (values and number formats) with a bare write-only loop:
    the floor for this library."""
    office = get_user_model().objects.get(username="scale-office")
    campaign = Campaign.objects.for_user(office).get()
    exporter = EXPORTERS[name]
    today = timezone.localdate()
    start, end = exporter.period_bounds(exporter.period_of(today - datetime.timedelta(days=30)))
    workbook = exporter(ExportScope(user=office, campaign=campaign, start=start, end=end, county=county))
    UnitStanding.objects.all().delete()  # cold: no figures counted before
    gathering = _time_gathering(workbook)
    before = peak_mb()
    started = time.perf_counter()
    _filename, _type, content = render(workbook)
    seconds = time.perf_counter() - started
    peak = peak_mb()
    book = load_workbook(io.BytesIO(content), read_only=True)
    sheets = [(sheet.title, [[(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()])
              for sheet in book.worksheets]
    started = time.perf_counter()
    _write_floor(sheets)
    floor_seconds = time.perf_counter() - started
    # The floor of a bulletin end to end: the units' figures as of the period's end in one GROUP BY,
    # then the bare loop above.
    started = time.perf_counter()
    ChecklistItem.objects.for_user(office).filter(campaign=campaign, due_date__lte=end).figures_as_of(
        end, {"unit": F("unit_id")}, [("unit",)])
    group_seconds = time.perf_counter() - started
    rows = sum(len(rows) for _title, rows in sheets)
    cells = sum(sum(1 for value, _format in row if value is not None) for _title, rows in sheets for row in rows)
    writing = seconds - gathering[0]
    return {"rows": rows, "cells": cells, "seconds": seconds, "gathering_seconds": gathering[0],
            "writing_seconds": writing, "floor_seconds": floor_seconds, "group_seconds": group_seconds,
            "ratio": writing / floor_seconds if floor_seconds else 0, "peak_mb": peak, "start_mb": before}


def _write_floor(sheets):
    """The same cells, values and number formats, with openpyxl's bare write-only loop."""
    floor = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = floor.create_sheet(title)
        for row in rows:
            cells = []
            for value, number_format in row:
                if number_format == "General" or value is None:
                    cells.append(value)
                else:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = number_format
                    cells.append(cell)
            sheet.append(cells)
    floor.save(io.BytesIO())


def _time_gathering(workbook):
    """Count, in the returned one-item list, the time the exporter spends producing its sheets and rows
    (the queries and the values), apart from writing them."""
    spent = [0.0]
    sheets = workbook.sheets

    def timed(iterable):
        iterator = iter(iterable)
        while True:
            started = time.perf_counter()
            try:
                value = next(iterator)
            except StopIteration:
                spent[0] += time.perf_counter() - started
                return
            spent[0] += time.perf_counter() - started
            yield value

    def timed_sheets():
        for sheet in timed(sheets()):
            for table in getattr(sheet, "tables", [sheet]):  # a summary page: its small tables
                table.rows = timed(table.rows)
            yield sheet

    workbook.sheets = timed_sheets
    return spent


def measure_ledger_zip():
    """The province's item ledger for a user who reaches every unit: one workbook per county in a zip,
    written to a temporary file. Its rows a second against the bare write-only loop writing the first
    part's cells (values and number formats)."""
    root, _created = get_user_model().objects.get_or_create(
        username="bench-province", defaults={"is_superuser": True, "is_staff": True})
    campaign = Campaign.objects.order_by("pk").first()
    scope = ExportScope(user=root, campaign=campaign, start=campaign.period_start, end=campaign.period_end)
    ledger = EXPORTERS["items"](scope)
    before = peak_mb()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        name, _type = write(ledger, output)
        size = output.tell()
        output.seek(0)
        with zipfile.ZipFile(output) as archive:
            parts = archive.namelist()
            first = archive.read(parts[0])
    seconds = time.perf_counter() - started
    peak = peak_mb()
    rows = ledger.expected_rows()
    book = load_workbook(io.BytesIO(first), read_only=True)
    part_rows = [[(cell.value, cell.number_format) for cell in row] for row in book.worksheets[0].iter_rows()]
    started = time.perf_counter()
    _write_floor([(book.worksheets[0].title, part_rows)])
    floor_seconds = time.perf_counter() - started
    return {"name": name, "parts": len(parts), "rows": rows, "seconds": seconds, "mb": size / 2**20,
            "rows_per_second": rows / seconds, "floor_rows_per_second": len(part_rows) / floor_seconds,
            "peak_mb": peak, "start_mb": before}
