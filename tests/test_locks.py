"""Locked means locked: a submitted or approved item, and everything that counts towards it (its
evidence, the ledger entries linked to it, their figures and files), changes only after the office
returns it, whatever the path (web, admin, import). A change that is refused changes no row of any
model, history included; a change that goes through leaves a history record on each item whose
quantity moved, saying why."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from checklists import services
from checklists.exports import ExportScope, render
from checklists.exports.checklist import ACCOUNT, ITEM_ID, OfflineChecklist
from checklists.imports import IMPORTERS
from checklists.models import (
    ChecklistItem,
    Evidence,
    ItemStatus,
    LedgerEntry,
    LedgerKind,
    LedgerLink,
    MeasureKind,
    Recurrence,
    Training,
)

from . import factories as f
from .test_admin import _url, post_change_form
from .test_security import snapshot

PDF = b"%PDF-1.4 sign-in sheet"


@pytest.fixture
def locked(world):
    """Unit A: an approved item with its evidence, an open item, and a training counted towards both."""
    f.StandardItemFactory(standard_set=world.standard_set, dimension=world.standard_item.dimension, code="OPEN",
                          measure_kind=MeasureKind.TRAINING, recurrence=Recurrence.YEARLY)
    services.campaign_generate_items(campaign=world.campaign)
    approved, open_item = world.item_a, world.campaign.items.get(unit=world.unit_a, standard_item__code="OPEN")
    training = Training(unit=world.unit_a, kind=LedgerKind.TRAINING, subkind="special_training", title="廉政专题培训",
                        occurred_on=datetime.date(2023, 5, 10), count=2, participants=40)
    services.entry_save(entry=training, user=world.liaison_a, items=[approved, open_item])
    evidence = services.evidence_attach(owner=approved, user=world.liaison_a,
                                        upload=SimpleUploadedFile("签到表.pdf", PDF, "application/pdf"))
    services.item_submit(item=approved, user=world.liaison_a)
    services.item_approve(item=approved, user=world.office_x, score=Decimal("4"))
    approved.refresh_from_db()
    assert approved.status == ItemStatus.APPROVED and approved.quantity_achieved == 2
    world.approved, world.open_item, world.training, world.evidence = approved, open_item, training, evidence
    return world


def refused_without_a_trace(attempt):
    before = snapshot()
    response = attempt()
    assert snapshot() == before
    return response


def messages_of(response):
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""


LOCK_WORDS = "在工作专班退回之前"


def test_the_web_refuses_a_file_for_an_approved_item(client, locked):
    client.force_login(locked.liaison_a)
    response = refused_without_a_trace(lambda: client.post(
        reverse("evidence_upload", args=[locked.approved.pk]),
        {"files": [SimpleUploadedFile("补充.pdf", PDF, "application/pdf")]}, follow=True))
    assert LOCK_WORDS in messages_of(response)


def test_the_web_refuses_to_remove_an_approved_items_file(client, locked):
    client.force_login(locked.liaison_a)
    response = refused_without_a_trace(lambda: client.post(
        reverse("evidence_remove", args=[locked.evidence.pk]), follow=True))
    assert LOCK_WORDS in messages_of(response)


def ledger_form_data(client, entry, **changes):
    form = client.get(reverse("ledger_edit", args=[entry.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields if name != "files"}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    return {**data, **changes}


def test_the_web_refuses_new_figures_for_an_entry_of_an_approved_item_and_keeps_what_was_typed(client, locked):
    client.force_login(locked.liaison_a)
    data = ledger_form_data(client, locked.training, count=40, description="补充说明")
    response = refused_without_a_trace(lambda: client.post(reverse("ledger_edit", args=[locked.training.pk]), data))
    assert response.status_code == 400 and LOCK_WORDS in response.content.decode()
    assert response.context["form"]["count"].value() == "40"
    assert response.context["form"]["description"].value() == "补充说明"


def test_the_web_refuses_a_file_for_an_entry_of_an_approved_item(client, locked):
    client.force_login(locked.liaison_a)
    data = ledger_form_data(client, locked.training, files=[SimpleUploadedFile("照片.pdf", PDF, "application/pdf")])
    response = refused_without_a_trace(lambda: client.post(reverse("ledger_edit", args=[locked.training.pk]), data))
    assert response.status_code == 400 and LOCK_WORDS in response.content.decode()


def test_resaving_an_entry_keeps_its_link_to_the_approved_item(client, locked):
    client.force_login(locked.liaison_a)
    data = ledger_form_data(client, locked.training)
    assert data["items"] == [locked.open_item.pk]  # the approved item is not offered
    assert client.post(reverse("ledger_edit", args=[locked.training.pk]), data).status_code == 302
    assert set(locked.training.items.all()) == {locked.approved, locked.open_item}
    refused = refused_without_a_trace(lambda: client.post(reverse("ledger_remove", args=[locked.training.pk]),
                                                          follow=True))
    assert LOCK_WORDS in messages_of(refused)


@pytest.mark.parametrize("changes", [{"title": "改过的标题"}, {"occurred_on": "2024-04-21"}, {"speaker": "另一位"},
                                     {"description": "补充说明"}])
def test_nothing_of_an_entry_counted_towards_an_approved_item_changes_on_the_web_or_in_the_admin(
        client, locked, changes):
    client.force_login(locked.liaison_a)
    data = ledger_form_data(client, locked.training, **changes)
    response = refused_without_a_trace(lambda: client.post(reverse("ledger_edit", args=[locked.training.pk]), data))
    assert response.status_code == 400 and LOCK_WORDS in response.content.decode()
    url = _url(Training, "change", locked.training.pk)
    form = client.get(url).context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    response = refused_without_a_trace(lambda: post_change_form(client, url, {**data, **changes}))
    assert LOCK_WORDS in messages_of(client.get(url)) or LOCK_WORDS in response.content.decode()


def test_a_crafted_save_of_an_approved_item_says_why_and_shows_what_is_stored(client, locked):
    client.force_login(locked.liaison_a)
    response = refused_without_a_trace(lambda: client.post(reverse("item_save", args=[locked.approved.pk]), {
        "version": locked.approved.version, "progress": 10, "account": "被篡改"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert LOCK_WORDS in page or "不能修改" in page
    assert "被篡改" not in page and response.context["item"].progress == locked.approved.progress


def test_unlinking_the_open_item_moves_only_its_quantity_on_the_record(client, locked):
    client.force_login(locked.liaison_a)
    data = ledger_form_data(client, locked.training, items=[])
    assert client.post(reverse("ledger_edit", args=[locked.training.pk]), data).status_code == 302
    assert list(locked.training.items.all()) == [locked.approved]
    open_item = ChecklistItem.objects.get(pk=locked.open_item.pk)
    assert open_item.quantity_achieved == 0
    record = open_item.history.latest("history_date")
    assert record.history_user == locked.liaison_a and record.history_source == "web"
    assert record.history_change_reason == "不再计入：培训 2023年5月10日 《廉政专题培训》"


def test_the_service_refuses_whatever_the_form_offered(locked):
    training = Training.objects.get(pk=locked.training.pk)
    training.participants = 400
    refused_without_a_trace(lambda: pytest.raises(services.IllegalTransition, services.entry_save,
                                                  entry=training, user=locked.office_x))
    other = Training.objects.create(unit=locked.unit_a, kind=LedgerKind.TRAINING, subkind="special_training", title="另一次",
                                    occurred_on=datetime.date(2023, 6, 1))
    refused_without_a_trace(lambda: pytest.raises(services.IllegalTransition, services.entry_link_items,
                                                  entry=other, items=[locked.approved], user=locked.liaison_a))
    refused_without_a_trace(lambda: pytest.raises(services.IllegalTransition, services.evidence_attach,
                                                  owner=locked.training, user=locked.liaison_a,
                                                  upload=SimpleUploadedFile("x.pdf", PDF)))


def test_the_admin_refuses_new_figures_and_keeps_what_was_typed(client, locked):
    client.force_login(locked.office_x)
    url = _url(Training, "change", locked.training.pk)
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {**{name: "" if value is None else value for name, value in data.items()}, "count": 40}
    response = refused_without_a_trace(lambda: post_change_form(client, url, data))
    assert response.status_code == 200
    assert LOCK_WORDS in str(response.context["adminform"].form.non_field_errors())
    assert response.context["adminform"].form["count"].value() == "40"


def test_the_admin_refuses_evidence_for_an_approved_item_and_a_changed_file(client, locked):
    client.force_login(locked.liaison_a)
    response = refused_without_a_trace(lambda: client.post(_url(Evidence, "add"), {
        "item": locked.approved.pk, "file": SimpleUploadedFile("补充.pdf", PDF, "application/pdf")}, follow=True))
    assert LOCK_WORDS in messages_of(response) + response.content.decode()
    client.force_login(locked.office_x)
    response = refused_without_a_trace(lambda: client.post(_url(Evidence, "change", locked.evidence.pk), {
        "item": locked.open_item.pk, "file": SimpleUploadedFile("换掉.pdf", PDF, "application/pdf")}, follow=True))
    assert Evidence.objects.get(pk=locked.evidence.pk).item_id == locked.approved.pk


@pytest.mark.parametrize("model, record", [(Evidence, "evidence"), (Training, "training")])
def test_the_admin_archive_action_refuses_what_counts_towards_an_approved_item(client, locked, model, record):
    client.force_login(locked.office_x)
    response = refused_without_a_trace(lambda: client.post(_url(model, "changelist"), {
        "action": "archive_records", "_selected_action": [getattr(locked, record).pk]}, follow=True))
    assert LOCK_WORDS in messages_of(response)


def test_the_admin_refuses_unit_fields_of_an_approved_item(client, locked):
    client.force_login(locked.liaison_a)
    response = refused_without_a_trace(lambda: post_change_form(
        client, _url(ChecklistItem, "change", locked.approved.pk),
        {"progress": 10, "account": "改写", "loaded_version": locked.approved.version}))
    assert ChecklistItem.objects.get(pk=locked.approved.pk).account == ""
    assert response.status_code in (200, 302)


def test_the_offline_file_cannot_change_an_approved_item(locked):
    scope = ExportScope(user=locked.liaison_a, campaign=locked.campaign, start=locked.campaign.period_start,
                        end=locked.campaign.period_end)
    _name, _type, content = render(OfflineChecklist(scope))
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    header_row = next(row for row in sheet.iter_rows() if any(cell.value == ITEM_ID for cell in row))
    columns = {cell.value: cell.column for cell in header_row}
    for row in sheet.iter_rows(min_row=header_row[0].row + 1):
        if row[columns[ITEM_ID] - 1].value == locked.approved.pk:
            row[columns[ACCOUNT] - 1].value = "事后改写的完成情况"
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    before = snapshot()
    plan = IMPORTERS["checklist"](user=locked.liaison_a, campaign=locked.campaign).run(upload, dry_run=False)
    assert not plan.ok and snapshot() == before


def test_the_item_page_shows_why_its_quantity_moved_even_without_a_user(client, locked):
    client.force_login(locked.liaison_a)
    data = ledger_form_data(client, locked.training, items=[])
    client.post(reverse("ledger_edit", args=[locked.training.pk]), data)
    Training.objects.filter(pk=locked.training.pk).update(count=3)
    services.item_refresh_quantities(item_ids=[locked.approved.pk])  # a command's recount: no user
    page = client.get(reverse("item_detail", args=[locked.open_item.pk]))
    assert page.status_code == 200
    assert "不再计入：培训 2023年5月10日 《廉政专题培训》" in page.content.decode()
    assert client.get(reverse("item_detail", args=[locked.approved.pk])).status_code == 200


@pytest.mark.parametrize("path", ["web", "admin"])
def test_a_new_count_on_an_open_entry_is_on_each_items_record(client, locked, path):
    entry = Training.objects.create(unit=locked.unit_a, kind=LedgerKind.TRAINING, subkind="special_training",
                                    title="第二次培训", occurred_on=datetime.date(2023, 6, 1), count=2)
    services.entry_link_items(entry=entry, items=[locked.open_item], user=locked.liaison_a)
    client.force_login(locked.liaison_a)
    if path == "web":
        data = ledger_form_data(client, entry, count=5)
        assert client.post(reverse("ledger_edit", args=[entry.pk]), data).status_code == 302
    else:
        url = _url(Training, "change", entry.pk)
        form = client.get(url).context["adminform"].form
        data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
        assert post_change_form(client, url, {**data, "count": 5}).status_code == 302
    item = ChecklistItem.objects.get(pk=locked.open_item.pk)
    assert item.quantity_achieved == 7  # the locked training's 2 and this one's 5
    record = item.history.latest("history_date")
    assert record.history_user == locked.liaison_a and record.history_source == path
    assert record.history_change_reason == "培训 2023年6月1日 《第二次培训》 场次/件数 2 → 5"
    assert record.prev_record.quantity_achieved == 4 and record.quantity_achieved == 7


def test_the_admin_item_form_cannot_skip_the_version_check(client, locked):
    client.force_login(locked.liaison_a)
    url = _url(ChecklistItem, "change", locked.open_item.pk)
    response = refused_without_a_trace(lambda: post_change_form(client, url, {"progress": 10, "account": "没带版本"}))
    assert response.status_code == 200 and "loaded_version" in response.context["adminform"].form.errors


def test_a_draft_item_is_not_scored_in_the_admin_or_the_service(client, locked):
    client.force_login(locked.office_x)
    url = _url(ChecklistItem, "change", locked.open_item.pk)
    refused_without_a_trace(lambda: post_change_form(client, url, {
        "score": "1", "review_comment": "", "due_date": "2023-12-31", "loaded_version": locked.open_item.version}))
    assert ChecklistItem.objects.get(pk=locked.open_item.pk).score is None
    with pytest.raises(services.IllegalTransition):
        services.item_update(item=locked.open_item, user=locked.office_x, expected_version=locked.open_item.version,
                             score=Decimal("1"))


def test_the_admin_adds_evidence_to_an_open_item(client, locked):
    client.force_login(locked.liaison_a)
    response = client.post(_url(Evidence, "add"), {
        "item": locked.open_item.pk, "file": SimpleUploadedFile("议程.pdf", PDF, "application/pdf")})
    added = Evidence.objects.get(item=locked.open_item)
    assert response.status_code == 302 and added.name == "议程.pdf" and added.uploaded_by == locked.liaison_a


# Management commands: none changes a locked item or what counts towards it.

def locked_records(world):
    """The approved item, its evidence, the training counted towards it and their links and history."""
    return {
        "item": list(ChecklistItem.objects.filter(pk=world.approved.pk).values_list()),
        "item history": list(ChecklistItem.history.filter(id=world.approved.pk).values_list(
            "history_id", "quantity_achieved", "status")),
        "evidence": list(Evidence.all_objects.filter(pk=world.evidence.pk).values_list()),
        "entry": list(LedgerEntry.all_objects.filter(pk=world.training.pk).values_list()),
        "links": sorted(LedgerLink.objects.filter(entry=world.training).values_list()),
    }


COMMANDS = {
    "refresh_standings": lambda world, tmp: ["--quiet"],
    "send_reminders": lambda world, tmp: ["--date", "2023-06-01"],
    "prune_exports": lambda world, tmp: ["--days", "0"],
    "export_summary": lambda world, tmp: ["--kind", "monthly", "--period", "2023-05", "--out", str(tmp / "月通报.xlsx"),
                                          "--user", world.office_x.username, "--quiet"],
    "backup": lambda world, tmp: ["--out", str(tmp / "backup.tar.gz")],
    "restore": lambda world, tmp: [str(tmp / "backup.tar.gz")],  # refused: the database is not empty
    "load_demo": lambda world, tmp: ["--if-empty"],  # nothing: the database has units
    "generate_scale_data": lambda world, tmp: ["--units", "10", "--quiet"],  # a city of its own beside
    "import_tasks": lambda world, tmp: [task_list_file(tmp), "--campaign", str(world.campaign.pk),
                                        "--user", world.office_city.username],
    "campaign_copy": lambda world, tmp: ["--from", str(world.campaign.pk), "--year", "2024"],  # a new list beside
    "summary_draft": lambda world, tmp: ["--unit", world.county_x.name, "--year", "2023", "--out",
                                         str(tmp / "总结.docx")],  # reads only
}


def task_list_file(tmp):
    """A task list for the approved item's measure: a new task, never the item's figures."""
    book = Workbook()
    book.active.append(["序号", "任务", "责任单位", "完成时限"])
    book.active.append(["1", "落实“第一议题”制度", "甲县组织部", "年底前"])
    path = tmp / "任务清单.xlsx"
    book.save(path)
    return str(path)
NOT_RUN_HERE = {
    "bench": "builds and measures its own databases in its own work directory, never the tracker's",
}


def test_every_command_is_in_the_locked_world_attack():
    commands = {path.stem for path in Path("checklists/management/commands").glob("*.py") if path.stem != "__init__"}
    assert commands == set(COMMANDS) | set(NOT_RUN_HERE)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_command_changes_a_locked_item(locked, tmp_path, settings, command):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    if command == "restore":
        call_command("backup", "--out", str(tmp_path / "backup.tar.gz"), stdout=io.StringIO())
    before = locked_records(locked)
    try:
        call_command(command, *COMMANDS[command](locked, tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError:
        assert command == "restore"
    assert locked_records(locked) == before
