"""The offline round trip: download the unit's checklist, fill it in with a spreadsheet, upload it back."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from checklists import services
from checklists.exports import ExportScope, render
from checklists.exports.checklist import ACCOUNT, ITEM_ID, PROGRESS, OfflineChecklist
from checklists.imports import IMPORTERS
from checklists.models import Campaign, ChecklistItem, ItemStatus, Membership, Role


@pytest.fixture
def downloaded(client, world):
    client.force_login(world.liaison_a)
    response = client.get(reverse("offline_checklist"), {"campaign": world.campaign.pk})
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.content))


def header_and_row(book, item):
    sheet = book["清单事项"]
    header = [cell.value for cell in sheet[3]]
    for row in sheet.iter_rows(min_row=4):
        if row[0].value == item.pk:
            return {name: cell for name, cell in zip(header, row)}
    raise AssertionError(f"item {item.pk} not in the file")


def upload(client, book, dry_run=False):
    buffer = io.BytesIO()
    book.save(buffer)
    data = {"kind": "checklist", "file": SimpleUploadedFile("清单.xlsx", buffer.getvalue())}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("import_page"), data)


def test_the_download_holds_only_the_units_own_items(downloaded, world):
    ids = [row[0].value for row in downloaded["清单事项"].iter_rows(min_row=4)]
    assert ids == [world.item_a.pk]
    assert downloaded["清单事项"].freeze_panes == "A4"


def test_progress_and_account_filled_in_offline_come_back(client, world, downloaded):
    row = header_and_row(downloaded, world.item_a)
    row["进度（%）"].value = 60
    row["完成情况"].value = "已召开两次“第一议题”学习会"
    row["状态"].value = "已通过"  # not the unit's to change: ignored
    response = upload(client, downloaded)
    assert response.status_code == 200
    item = ChecklistItem.objects.get(pk=world.item_a.pk)
    assert (item.progress, item.account, item.status, item.version) == (
        60, "已召开两次“第一议题”学习会", ItemStatus.IN_PROGRESS, 2)
    assert item.history.first().history_user == world.liaison_a


def test_an_item_changed_on_the_web_since_the_download_is_a_conflict(client, world, downloaded):
    services.item_update(item=world.item_a, user=world.leader_a, expected_version=1, account="负责人在网上改的")
    row = header_and_row(downloaded, world.item_a)
    row["完成情况"].value = "联络员离线写的"
    response = upload(client, downloaded)
    assert response.status_code == 400
    problems = [str(p) for p in response.context["plan"].problems]
    assert len(problems) == 1 and "冲突" in problems[0] and "版本" in problems[0]
    assert ChecklistItem.objects.get(pk=world.item_a.pk).account == "负责人在网上改的"


def test_another_units_item_is_refused(client, world, downloaded):
    row = header_and_row(downloaded, world.item_a)
    row["事项ID"].value = world.item_c.pk
    row["完成情况"].value = "越权修改"
    response = upload(client, downloaded)
    assert response.status_code == 400
    assert f"事项 {world.item_c.pk} 不是本单位的事项" in str(response.context["plan"].problems[0])
    assert ChecklistItem.objects.get(pk=world.item_c.pk).account == ""


def test_a_submitted_item_cannot_be_changed_offline(client, world, downloaded):
    services.item_submit(item=world.item_a, user=world.liaison_a)
    row = header_and_row(downloaded, world.item_a)
    row["进度（%）"].value = 90
    response = upload(client, downloaded)
    assert response.status_code == 400 and "已报送" in str(response.context["plan"].problems[0])


def test_unchanged_rows_are_left_alone(client, world, downloaded):
    response = upload(client, downloaded, dry_run=True)
    assert response.status_code == 200 and response.context["plan"].lines == []



def test_every_demo_units_file_comes_back_untouched_as_no_change_and_edited_as_exactly_the_edits(db):
    """Each liaison of the demo city, for both task lists: the download uploaded as it is changes
    nothing (rows of submitted and approved items are skipped, said so); with one open row's progress
    and another's account edited, the plan is exactly those two rows, field by field."""
    call_command("load_demo", stdout=io.StringIO())
    liaisons = Membership.objects.filter(role=Role.LIAISON).select_related("user")
    assert liaisons.count() > 100
    checked = edited = 0
    for campaign in Campaign.objects.all():
        for membership in liaisons:
            user = membership.user
            scope = ExportScope(user=user, campaign=campaign, start=campaign.period_start, end=campaign.period_end)
            book = load_workbook(io.BytesIO(render(OfflineChecklist(scope))[2]))
            plan = IMPORTERS["checklist"](user=user).run(_saved(book), dry_run=True)
            assert plan.ok and plan.lines == [], (user.username, campaign.year, plan.problems[:3], plan.lines[:3])
            checked += 1
            sheet = book["清单事项"]
            header = [cell.value for cell in sheet[3]]
            items = {item.pk: item for item in ChecklistItem.objects.filter(unit=membership.unit, campaign=campaign)}
            assert len(plan.skipped) == sum(item.is_locked for item in items.values())
            open_rows = [row for row in sheet.iter_rows(min_row=4)
                         if not items[row[header.index(ITEM_ID)].value].is_locked]
            if len(open_rows) < 2:
                continue
            first, second = open_rows[0], open_rows[1]
            first[header.index(PROGRESS)].value = (first[header.index(PROGRESS)].value + 10) % 101
            second[header.index(ACCOUNT)].value = f"{second[header.index(ACCOUNT)].value or ''}补充：已整改（附件）。"
            plan = IMPORTERS["checklist"](user=user).run(_saved(book), dry_run=True)
            assert plan.ok, plan.problems[:3]
            assert [(row, "进度" in text, "完成情况" in text) for row, _action, text, _data in plan.lines] == [
                (first[0].row, True, False), (second[0].row, False, True)]
            edited += 1
    assert checked == 2 * liaisons.count() and edited > 100


def _saved(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("清单.xlsx", buffer.getvalue())


@pytest.mark.parametrize("typed, message", [
    (0.6, "“0.6”是表格以小数保存的百分数；请填写 60"), (55.5, "请填写 0 到 100 的整数，而不是“55.5”"),
    (150, "请填写 0 到 100 的整数，而不是“150”")])
def test_a_progress_that_is_not_a_whole_percent_is_refused_with_the_fix_not_dropped(client, world, downloaded,
                                                                                   typed, message):
    row = header_and_row(downloaded, world.item_a)
    row["进度（%）"].value = typed
    row["进度（%）"].number_format = "0%" if typed < 1 else "General"
    response = upload(client, downloaded)
    assert response.status_code == 400 and message in response.content.decode()
    assert ChecklistItem.objects.get(pk=world.item_a.pk).progress == world.item_a.progress
