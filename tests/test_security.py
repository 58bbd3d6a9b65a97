"""Bad input, tried on purpose: each gets a clear message naming the place, and changes nothing.

Oversized files, files that are not what their name says, an executable renamed to .pdf, a zip bomb,
a million rows, formulas in every imported column, HTML and script in every text field (pages, admin
and workbooks), impossible dates, negative quantities, progress over 100 %, a score above the points.
The other points of trust have their own modules: test_views_scoping and test_admin (reach),
test_audit (the record), test_archive (nothing lost), test_accounts (logins), test_faults.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from openpyxl import Workbook

from checklists import services
from checklists.exports import EXPORTERS, ExportScope, render
from checklists.exports.checklist import PROGRESS
from checklists.imports import IMPORTERS, ImportRefused
from checklists.imports.base import MAX_ROWS
from checklists.models import ChecklistItem, Evidence, Job, JobStatus, LedgerEntry, Task, Unit

from . import factories as f


def snapshot():
    """Every row of every model of the tracker, to compare before and after a refused input."""
    return {model.__name__: sorted(map(str, model._base_manager.values_list()))
            for model in apps.get_app_config("checklists").get_models()}


@pytest.fixture
def unchanged(world):
    before = snapshot()
    yield
    assert snapshot() == before


# Evidence files

PDF = b"%PDF-1.7\n1 0 obj\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20


@pytest.mark.parametrize("name, content, says", [
    ("会议记录.pdf", WINDOWS_PROGRAM, ".exe"),
    ("会议记录.pdf", LINUX_PROGRAM, ".elf"),
    ("现场照片.jpg", PDF, ".pdf"),
    ("责任清单.docx", PNG, ".png"),
    ("签到表.xls", PDF, ".pdf"),
    ("说明.txt", WINDOWS_PROGRAM, ".exe"),
    ("setup.exe", WINDOWS_PROGRAM, "pdf, png"),
    ("宏.xlsm", b"PK\x03\x04", "pdf, png"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused_by_name(client, world, unchanged, name, content, says):
    client.force_login(world.liaison_a)
    response = client.post(reverse("evidence_upload", args=[world.item_a.pk]),
                           {"files": [SimpleUploadedFile(name, content)]})
    assert response.status_code == 400
    errors = " ".join(response.context["upload_form"].errors["files"])
    assert name in errors and says in errors


@pytest.mark.parametrize("name, content", [
    ("会议记录.pdf", PDF), ("现场照片.png", PNG), ("记录.txt", "会议记录".encode()), ("照片.JPG", b"\xff\xd8\xff\xe0"),
])
def test_files_that_are_what_they_say_are_accepted(client, world, name, content):
    client.force_login(world.liaison_a)
    client.post(reverse("evidence_upload", args=[world.item_a.pk]), {"files": [SimpleUploadedFile(name, content)]})
    assert list(Evidence.objects.values_list("name", flat=True)) == [name]


def test_every_upload_form_checks_its_files(client, world):
    """The item page, the ledger form, the rectification report and the admin all refuse the same file."""
    client.force_login(world.liaison_a)
    renamed = SimpleUploadedFile("记录.pdf", WINDOWS_PROGRAM)
    problem = f.ProblemFactory(unit=world.unit_a)
    before = snapshot()
    response = client.post(reverse("ledger_new", args=["meeting"]), {
        "unit": world.unit_a.pk, "subkind": "work_meeting", "title": "会议", "occurred_on": "2023-03-01",
        "count": 1, "participants": 0, "materials": 0, "files": [renamed]})
    assert response.status_code == 400 and "记录.pdf" in str(response.context["form"].errors["files"])
    renamed.seek(0)
    response = client.post(reverse("problem_report", args=[problem.pk]),
                           {"rectification": "已整改", "files": [renamed]})
    assert "记录.pdf" in response.content.decode()
    renamed.seek(0)
    response = client.post(reverse("admin:checklists_evidence_add"), {"item": world.item_a.pk, "file": renamed})
    assert response.status_code == 200 and "记录.pdf" in str(response.context["adminform"].form.errors["file"])
    assert snapshot() == before


def test_an_oversized_file_is_refused_on_every_form(client, world, settings, unchanged):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(world.liaison_a)
    response = client.post(reverse("evidence_upload", args=[world.item_a.pk]),
                           {"files": [SimpleUploadedFile("大文件.pdf", PDF + b"x" * 2000)]})
    assert response.status_code == 400 and "大文件.pdf" in str(response.context["upload_form"].errors["files"])


# Workbooks


def workbook_bytes(sheet, rows):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_member(data, name, write):
    """The workbook `data` with the zip member `name` replaced by what `write(stream)` writes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member))
        with target.open(name, "w", force_zip64=True) as stream:
            write(stream)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, world, unchanged):
    """300 MB of sheet in a few hundred kilobytes: refused from the zip's directory, nothing unpacked."""
    def bomb(stream):
        stream.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
        for _ in range(300):
            stream.write(b"A" * 1024 * 1024)
        stream.write(b"</t></is></c></row></sheetData></worksheet>")

    data = with_member(workbook_bytes("单位", [["单位名称"]]), "xl/worksheets/sheet1.xml", bomb)
    assert len(data) < 2 * 1024 * 1024
    client.force_login(world.office_x)
    response = client.post(reverse("import_page"), {"kind": "units", "dry_run": "",
                                                    "file": SimpleUploadedFile("单位.xlsx", data)})
    assert response.status_code == 400
    assert "300 MB" in response.content.decode()


def test_a_million_rows_are_refused_without_reading_them_all(world, unchanged):
    header = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>' for c, h in zip("ABCD", [
        "单位名称", "上级单位", "编号", "单位类型"]))

    def million(stream):
        stream.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                     b'2006/main"><dimension ref="A1:D1000000"/><sheetData>')
        stream.write(f'<row r="1">{header}</row>'.encode())
        for row in range(2, 1_000_001):
            stream.write(f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>单位{row}</t></is></c>'
                         f'<c r="B{row}" t="inlineStr"><is><t>甲县</t></is></c>'
                         f'<c r="D{row}" t="inlineStr"><is><t>机关</t></is></c></row>'.encode())
        stream.write(b"</sheetData></worksheet>")

    data = with_member(workbook_bytes("单位", [["x"]]), "xl/worksheets/sheet1.xml", million)
    importer = IMPORTERS["units"](user=world.office_x)
    assert importer.row_count(io.BytesIO(data)) == 1_000_000
    with pytest.raises(ImportRefused, match=str(MAX_ROWS)):
        importer.run(io.BytesIO(data), dry_run=False)


def test_a_file_over_the_size_limit_or_not_a_workbook_is_refused(client, world, unchanged):
    client.force_login(world.office_x)
    for upload in (SimpleUploadedFile("大.xlsx", b"PK\x03\x04" + b"\x00" * (11 * 1024 * 1024)),
                   SimpleUploadedFile("程序.xlsx", WINDOWS_PROGRAM)):
        response = client.post(reverse("import_page"), {"kind": "units", "dry_run": "", "file": upload})
        assert response.status_code == 400 and response.context["refused"]


def importer_cases(world):
    return {
        "units": (world.office_x, {}),
        "standards": (world.office_city, {"standard_set": world.standard_set}),
        "tasks": (world.office_city, {"campaign": world.campaign}),
        "checklist": (world.liaison_a, {}),
    }


@pytest.mark.parametrize("identifier", list(IMPORTERS))
def test_formulas_in_every_imported_column_are_refused_cell_by_cell(world, unchanged, identifier):
    importer_class = IMPORTERS[identifier]
    user, options = importer_cases(world)[identifier]
    headers = [header for header, *_rest in importer_class.columns]
    formulas = [f'=CONCAT("{header}","1")' for header in headers]
    data = workbook_bytes(importer_class.sheet, [headers, formulas])
    plan = importer_class(user=user, **options).run(io.BytesIO(data), dry_run=False)
    refused = {(problem.row, problem.column) for problem in plan.problems if "CONCAT" in problem.message}
    assert refused == {(2, header) for header in headers}
    assert not plan.ok


def test_a_formula_cell_message_names_the_sheet_row_and_column(world, unchanged):
    data = workbook_bytes("单位", [["单位名称", "上级单位", "单位类型"], ["=A1", "甲县", "机关"]])
    plan = IMPORTERS["units"](user=world.office_x).run(io.BytesIO(data), dry_run=False)
    [problem] = plan.problems
    assert (problem.sheet, problem.row, problem.column) == ("单位", 2, "单位名称")
    assert "单位" in str(problem) and "2" in str(problem) and "=A1" in str(problem)


# Impossible values


@pytest.mark.parametrize("field, value", [
    ("occurred_on", "2023-02-30"), ("occurred_on", "2023-13-01"), ("count", "-1"), ("participants", "-20"),
    ("materials", "-5"), ("count", "一"),
])
def test_the_ledger_form_refuses_impossible_values_and_keeps_the_rest(client, world, unchanged, field, value):
    client.force_login(world.liaison_a)
    data = {"unit": world.unit_a.pk, "subkind": "work_meeting", "title": "我写的标题", "occurred_on": "2023-03-01",
            "count": 1, "participants": 0, "materials": 0, field: value}
    response = client.post(reverse("ledger_new", args=["meeting"]), data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert "我写的标题" in response.content.decode()


@pytest.mark.parametrize("identifier, row, column", [
    ("tasks", ["1", "任务", None, None, None, None, "2023-02-30", None], "完成时限"),
    ("standards", ["政治建设", "P1", "条目", None, "会议", "每月", "-1", "次", "2", None], "数量目标"),
    ("standards", ["政治建设", "P1", "条目", None, "会议", "每月", "1", "次", "-2", None], "分值"),
])
def test_imports_refuse_impossible_dates_and_negative_numbers(world, unchanged, identifier, row, column):
    importer_class = IMPORTERS[identifier]
    user, options = importer_cases(world)[identifier]
    data = workbook_bytes(importer_class.sheet, [[h for h, *_rest in importer_class.columns], row])
    plan = importer_class(user=user, **options).run(io.BytesIO(data), dry_run=False)
    assert [(problem.row, problem.column) for problem in plan.problems] == [(2, column)]


@pytest.mark.parametrize("progress", ["101", "150", "-1", "五十"])
def test_progress_outside_0_to_100_is_refused_on_the_web_in_the_import_and_by_the_database(
        client, world, unchanged, progress):
    client.force_login(world.liaison_a)
    response = client.post(reverse("item_save", args=[world.item_a.pk]),
                           {"progress": progress, "account": "我写的说明", "version": 1})
    assert response.status_code == 400 and "progress" in response.context["unit_form"].errors
    assert "我写的说明" in response.content.decode()
    checklist = IMPORTERS["checklist"]
    data = workbook_bytes(checklist.sheet, [[h for h, *_rest in checklist.columns],
                                            [world.item_a.pk, 1, progress, "说明"]])
    plan = checklist(user=world.liaison_a).run(io.BytesIO(data), dry_run=False)
    assert [(problem.row, problem.column) for problem in plan.problems] == [(2, PROGRESS)]


def test_progress_over_100_cannot_be_stored_even_bypassing_the_forms(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistItem.objects.filter(pk=world.item_a.pk).update(progress=101)


@pytest.mark.parametrize("score", ["5.5", "6", "-1", "100"])
def test_a_score_above_the_points_is_refused_on_the_web_in_the_admin_and_in_the_service(
        client, world, submitted_item, score):
    before = snapshot()
    client.force_login(world.office_x)
    response = client.post(reverse("item_approve", args=[submitted_item.pk]), {"score": score})
    assert response.status_code == 400 and "score" in response.context["approve_form"].errors
    with pytest.raises(services.ServiceError):
        services.item_approve(item=submitted_item, user=world.office_x, score=Decimal(score))
    assert snapshot() == before


# HTML and script in every text field

SCRIPT = '<script>alert("x")</script>'


def text_fields(model):
    return [field for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices
            and field.name not in {"path", "file", "content_type", "period", "code"}
            and (field.max_length or 1000) >= len(SCRIPT)]


@pytest.fixture
def scripted(world, settings, tmp_path):
    """Every text field of every record holds a script tag."""
    settings.MEDIA_ROOT = tmp_path
    services.evidence_attach(owner=world.item_a, upload=SimpleUploadedFile("a.pdf", PDF), user=world.liaison_a)
    entry = f.LedgerEntryFactory(unit=world.unit_a)
    services.entry_link_items(entry=entry, items=[world.item_a], user=world.liaison_a)
    f.ProblemFactory(unit=world.unit_a)
    Task.objects.create(campaign=world.campaign, number=1, title="任务", lead_department=world.unit_a)
    for model in apps.get_app_config("checklists").get_models():
        fields = text_fields(model)
        if fields and not model._meta.proxy and not model.__name__.startswith("Historical"):
            model._base_manager.update(**{field.name: SCRIPT for field in fields})
    assert Unit.objects.get(pk=world.unit_a.pk).name == SCRIPT
    return world


def test_script_in_every_text_field_is_shown_as_text_on_every_page(client, scripted):
    world = scripted
    entry = LedgerEntry.objects.get()
    pages = [reverse("home"), reverse("item_list"), reverse("item_detail", args=[world.item_a.pk]),
             reverse("ledger_list", args=["meeting"]), reverse("ledger_detail", args=[entry.pk]),
             reverse("problem_list"), reverse("unit_list"), reverse("export_page"), reverse("import_page")]
    for user in (world.office_city, world.liaison_a):
        client.force_login(user)
        for url in pages:
            page = client.get(url).content.decode()
            assert "<script>alert" not in page, url
    client.force_login(world.office_city)
    assert "&lt;script&gt;alert" in client.get(reverse("item_detail", args=[world.item_a.pk])).content.decode()


def test_script_in_every_text_field_is_shown_as_text_in_the_admin(client, scripted):
    from django.contrib import admin

    client.force_login(scripted.superuser)
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        obj = model_admin.get_queryset(client.get(url).wsgi_request).first()
        if obj is not None:
            change = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                                        args=[obj.pk])).content.decode()
            assert "<script>alert" not in change, model.__name__


@pytest.mark.parametrize("identifier", list(EXPORTERS))
def test_script_in_every_text_field_comes_out_as_plain_text_in_every_workbook(scripted, identifier):
    world = scripted
    scope = ExportScope(user=world.office_city, campaign=world.campaign, start=datetime.date(2023, 1, 1),
                        end=datetime.date(2023, 12, 31), county=None)
    _name, _type, content = render(EXPORTERS[identifier](scope))
    book = zipfile.ZipFile(io.BytesIO(content))
    xml = b"".join(book.read(name) for name in book.namelist() if name.endswith(".xml"))
    assert b"<script>" not in xml
    assert "&lt;script&gt;alert".encode() in xml


# CSRF


def test_every_form_is_refused_without_its_csrf_token(world, settings, tmp_path):
    """Each POST of the web app, the login and an admin form, from a browser that enforces CSRF."""
    from django.test import Client

    from .test_views_scoping import CASES

    settings.MEDIA_ROOT = tmp_path
    owned = {"item": world.item_a, "problem": f.ProblemFactory(unit=world.unit_a),
             "entry": f.LedgerEntryFactory(unit=world.unit_a),
             "evidence": services.evidence_attach(owner=world.item_a, upload=SimpleUploadedFile("a.pdf", PDF),
                                                  user=world.liaison_a),
             "job": Job.objects.create(user=world.liaison_a, identifier="monthly", status=JobStatus.FAILED)}
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("login"), {"username": "liaison_a", "password": "pw"}).status_code == 403
    client.force_login(world.liaison_a)
    before = snapshot()
    posts = [(name, kind) for name, (method, kind) in CASES.items() if method == "post"]
    assert len(posts) >= 10
    for name, kind in posts:
        args = [owned["item"].pk, owned["evidence"].pk] if kind == "reuse" else [owned[kind].pk] if kind else []
        url = reverse(name, args=args)
        assert client.post(url, {"progress": 50, "version": 1}).status_code == 403, name
    assert client.post(reverse("item_save", args=[world.item_a.pk]), {}).status_code == 403
    assert client.post(reverse("admin:checklists_meeting_add"), {"title": "x"}).status_code == 403
    assert snapshot() == before


def test_the_benchs_stock_admin_is_not_served_outside_the_bench(client, world):
    """`make bench` compares pages with Django's unscoped stock admin; it exists only in its processes."""
    client.force_login(world.superuser)
    assert client.get("/bench-floor/checklists/checklistitem/").status_code == 404
