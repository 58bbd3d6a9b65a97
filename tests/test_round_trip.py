"""The offline round trip: download the unit's checklist, fill it in with a spreadsheet, upload it back."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from checklists import services
from checklists.models import ChecklistItem, ItemStatus


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

