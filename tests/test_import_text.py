"""Text is sacred: what an import stores (names, titles, measures, accounts) is byte for byte what the
file holds, Chinese punctuation included; only what is matched (headers, codes, numbers, unit names
looked up) is read leniently. An untouched row is not an edit, and leaves no history."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from checklists import services
from checklists.exports import ExportScope, render
from checklists.exports.checklist import ACCOUNT, ITEM_ID, PROGRESS, OfflineChecklist
from checklists.imports import IMPORTERS
from checklists.models import ChecklistItem, StandardItem, Task, Unit

from .test_imports import STANDARD_HEADER, TASK_HEADER, UNIT_HEADER, xlsx

PUNCTUATED = "召开“第一议题”学习会（2次）：传达精神；部署任务，落实责任——全覆盖…、再部署！"


def test_an_imported_unit_task_and_standard_keep_their_punctuation(world):
    name = "甲县（开发区）管委会·党建办"
    plan = IMPORTERS["units"](user=world.office_x).run(
        xlsx("单位", UNIT_HEADER, [[name, "甲县", None, "机关", "否", None]]), dry_run=False)
    assert plan.ok, plan.problems
    assert Unit.objects.filter(name=name).exists()

    plan = IMPORTERS["tasks"](user=world.office_city, campaign=world.campaign).run(xlsx("任务清单", TASK_HEADER, [
        ["1", PUNCTUATED, PUNCTUATED, "市委副书记（分管）", name, f"{name}、甲县司法局", "长期坚持（每季度）", None],
    ]), dry_run=False)
    assert plan.ok, plan.problems
    task = Task.objects.get(campaign=world.campaign, number=1)
    assert (task.title, task.measures, task.leader_in_charge, task.deadline_text) == (
        PUNCTUATED, PUNCTUATED, "市委副书记（分管）", "长期坚持（每季度）")
    assert task.lead_department.name == name
    assert task.history.latest().title == PUNCTUATED

    plan = IMPORTERS["standards"](user=world.office_city, standard_set=world.standard_set).run(
        xlsx("创建标准", STANDARD_HEADER, [["政治建设（首位）", "P９", PUNCTUATED, PUNCTUATED, None, "每年", None, None,
                                            "2", "会议记录；签到表（原件）"]]), dry_run=False)
    assert plan.ok, plan.problems
    standard = StandardItem.objects.get(standard_set=world.standard_set, code="P9")  # a code is matched: P９ is P9
    assert (standard.title, standard.guidance, standard.dimension.name, standard.evidence_expected) == (
        PUNCTUATED, PUNCTUATED, "政治建设（首位）", "会议记录；签到表（原件）")


def offline_file(world):
    scope = ExportScope(user=world.liaison_a, campaign=world.campaign, start=world.campaign.period_start,
                        end=world.campaign.period_end)
    return load_workbook(io.BytesIO(render(OfflineChecklist(scope))[2]))


def upload(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("清单.xlsx", buffer.getvalue())


def test_an_account_comes_back_byte_identical_and_an_untouched_one_is_no_edit(world):
    book = offline_file(world)
    sheet = book["清单事项"]
    header = [cell.value for cell in sheet[3]]
    row = next(sheet.iter_rows(min_row=4))
    assert row[header.index(ITEM_ID)].value == world.item_a.pk
    row[header.index(ACCOUNT)].value = PUNCTUATED
    plan = IMPORTERS["checklist"](user=world.liaison_a).run(upload(book), dry_run=False)
    assert plan.ok and len(plan.lines) == 1, plan.problems
    item = ChecklistItem.objects.get(pk=world.item_a.pk)
    assert item.account == PUNCTUATED
    assert item.history.latest().account == PUNCTUATED
    edits = item.history.count()

    again = offline_file(world)  # downloaded anew, uploaded untouched
    plan = IMPORTERS["checklist"](user=world.liaison_a).run(upload(again), dry_run=False)
    assert plan.ok and plan.lines == [], [line[2] for line in plan.lines]
    assert item.history.count() == edits

    services.item_submit(item=item, user=world.liaison_a)
    locked = offline_file(world)  # a submitted item's row, untouched: skipped and said so
    plan = IMPORTERS["checklist"](user=world.liaison_a).run(upload(locked), dry_run=True)
    assert plan.ok and plan.lines == [] and len(plan.skipped) == 1
    assert "已报送" in plan.skipped[0][1] and "跳过" in plan.skipped[0][1]

    sheet = locked["清单事项"]
    next(sheet.iter_rows(min_row=4))[header.index(PROGRESS)].value = 100  # now touched: refused, naming it
    plan = IMPORTERS["checklist"](user=world.liaison_a).run(upload(locked), dry_run=True)
    assert not plan.ok and "已报送" in str(plan.problems[0]) and "进度" in str(plan.problems[0])
