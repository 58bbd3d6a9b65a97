"""Task lists as offices write them: their own header words, a header over two rows, section rows,
numbering that starts again in each section, abbreviations, groups, notes, formulas and every deadline
form; all problems of all rows in one pass, nothing written after a refusal."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from checklists.imports import IMPORTERS
from checklists.models import Task, Unit, UnitAlias

from . import factories as f
from .test_security import snapshot


def workbook(rows, sheet="Sheet1", merges=()):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("任务清单.xlsx", buffer.getvalue())


@pytest.fixture
def district(world):
    """County X's own task list, and its departments named the way a district names them."""
    for name in ("区委办公室", "区工商业联合会", "区纪委监委", "区委组织部"):
        f.unit(f"甲县·{name}", world.county_x)
    f.unit("乙县·区委组织部", world.county_y)
    f.unit("市委办公室", world.city)
    world.district_campaign = f.CampaignFactory(owner=world.county_x, standard_set=world.standard_set, year=2023)
    return world


DISTRICT_LIST = [
    ["甲县2023年清廉机关建设任务清单"],
    ["（甲县清廉机关建设工作专班 2023年3月）"],
    [],
    ["序号", "重点任务", "具体举措", "责任分工", None, "完成时限", "备注"],
    [None, None, None, "牵头单位", "责任单位", None, None],
    ["一、聚焦政治建设，构建清廉生态"],
    ["1", "落实“第一议题”制度", "每月传达学习习近平总书记重要讲话精神", "区委办", "区直各单位", "每月", None],
    ["2", "开展廉政专题培训", "分层分类组织培训", "区委组织部", "区工商联、区纪委", "2023年下半年", "不少于400人次"],
    ["二、聚焦制度建设，构建清廉机制"],
    ["1", "梳理权力清单", "查找廉政风险点，补齐制度漏洞", "区委组织部", "甲县司法局", "上半年", None],
    ["2", "开展警示教育", None, "组织部", "区委组织部", "第三季度", None],
    ["备注：本清单由区清廉机关建设工作专班负责解释。"],
]


def test_a_districts_own_list_is_read_as_it_is_written(district):
    UnitAlias.objects.create(unit=district.unit_a, name="组织部")  # kept in the admin
    upload = workbook(DISTRICT_LIST, merges=["A1:G1", "A2:G2", "A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:F5", "G4:G5",
                                             "A6:G6", "A9:G9", "A12:G12"])
    plan = IMPORTERS["tasks"](user=district.office_x, campaign=district.district_campaign).run(upload, dry_run=False)
    assert plan.ok, [str(p) for p in plan.problems]
    tasks = list(Task.objects.filter(campaign=district.district_campaign).order_by("number"))
    assert [task.number for task in tasks] == [1, 2, 3, 4]  # each section counted from 1: numbered in order
    assert [task.section for task in tasks] == ["一、聚焦政治建设，构建清廉生态"] * 2 + ["二、聚焦制度建设，构建清廉机制"] * 2
    first, second, third, fourth = tasks
    assert first.lead_department.name == "甲县·区委办公室"
    assert set(first.responsible_units.values_list("name", flat=True)) == set(
        Unit.objects.get_children(district.county_x).filter(kind="organ").values_list("name", flat=True))
    assert (first.deadline, first.deadline_text) == (None, "每月")
    assert set(second.responsible_units.values_list("name", flat=True)) == {"甲县·区工商业联合会", "甲县·区纪委监委"}
    assert (second.deadline, second.deadline_text, second.note) == (datetime.date(2023, 12, 31), "2023年下半年",
                                                                    "不少于400人次")
    assert third.deadline == datetime.date(2023, 6, 30) and fourth.deadline == datetime.date(2023, 9, 30)
    assert fourth.lead_department == district.unit_a  # by its other name
    assert list(fourth.responsible_units.all()) == [Unit.objects.get(name="甲县·区委组织部")]  # not 乙县's
    skipped = [text for _row, text in plan.skipped]
    assert any("一、聚焦政治建设" in text for text in skipped) and any("本清单由" in text for text in skipped)
    assert any("1 至 4 号" in text for text in skipped)
    assert any("区直各单位 → " in text for _row, _action, text, _data in plan.lines)


def test_the_same_list_again_changes_nothing_and_an_edit_is_shown_field_by_field(district):
    UnitAlias.objects.create(unit=district.unit_a, name="组织部")
    importer = IMPORTERS["tasks"](user=district.office_x, campaign=district.district_campaign)
    assert importer.run(workbook(DISTRICT_LIST), dry_run=False).ok
    history = Task.history.count()
    again = IMPORTERS["tasks"](user=district.office_x, campaign=district.district_campaign).run(
        workbook(DISTRICT_LIST), dry_run=False)
    assert again.ok and again.lines == [] and Task.history.count() == history
    assert sum("不变" in text or "未改动" in text for _row, text in again.skipped) == 4
    edited = [list(row) for row in DISTRICT_LIST]
    edited[9][5] = "下半年"  # the third task's deadline
    plan = IMPORTERS["tasks"](user=district.office_x, campaign=district.district_campaign).run(
        workbook(edited), dry_run=True)
    assert [(row, action) for row, action, _text, _data in plan.lines] == [(10, "change")]
    assert "完成时限 2023年6月30日 → 2023年12月31日" in plan.lines[0][2]
    assert "完成时限（原文） “上半年” → “下半年”" in plan.lines[0][2]


def test_every_problem_of_every_row_is_reported_at_once_and_nothing_is_written(district):
    rows = [["序号", "主要任务", "工作措施", "牵头部门", "配合单位", "时间节点", "说明"],
            ["1", "任务甲", None, "区委宣传部", "区委组织部、丙县财政局", "下个月", None],
            ["2", None, None, "区直各单位", None, "2023年2月30日", "=SUM(1,2)"],
            ["3", "任务丙", None, None, "市直各单位", "长期坚持", None]]
    before = snapshot()
    plan = IMPORTERS["tasks"](user=district.office_city, campaign=district.campaign).run(
        workbook([["山水市任务清单"], *rows], sheet="2023年"), dry_run=False)
    assert snapshot() == before
    found = {(problem.row, problem.column) for problem in plan.problems}
    assert {(3, "牵头部门"), (3, "配合单位"), (3, "时间节点"), (4, "说明")} <= found  # as the file heads them
    messages = " ".join(str(problem) for problem in plan.problems)
    assert "工作表“2023年”第 3 行“配合单位”列" in messages
    assert "“区委组织部”可能是 甲县·区委组织部、乙县·区委组织部；请填写全称" in messages  # the city office: ambiguous
    assert "丙县财政局" in messages and "下个月" in messages and "公式" in messages
    assert not any(problem.row == 5 for problem in plan.problems)  # 市直各单位 and 长期坚持 are fine


def test_the_template_header_still_works_and_the_header_can_be_found_low_in_any_sheet(district):
    rows = [[f"第{n}行说明"] for n in range(1, 12)] + [
        ["序号", "任务", "工作举措", "分管领导", "牵头部门", "责任单位", "完成时限", "标准条目编号", "备注"],
        ["7", "任务", None, "区委副书记", "甲县·区委组织部", "甲县组织部", "2023年6月底前", None, None]]
    plan = IMPORTERS["tasks"](user=district.office_x, campaign=district.district_campaign).run(
        workbook(rows, sheet="附件1"), dry_run=False)
    assert plan.ok, [str(p) for p in plan.problems]
    task = Task.objects.get(campaign=district.district_campaign)
    assert (task.number, task.leader_in_charge, task.deadline) == (7, "区委副书记", datetime.date(2023, 6, 30))


def test_the_import_command_checks_and_imports(district, tmp_path):
    UnitAlias.objects.create(unit=district.unit_a, name="组织部")
    path = tmp_path / "任务清单.xlsx"
    path.write_bytes(workbook(DISTRICT_LIST).read())
    out = io.StringIO()
    call_command("import_tasks", str(path), "--campaign", str(district.district_campaign.pk), "--user",
                 district.office_x.username, "--dry-run", stdout=out)
    assert "4 task(s) would be imported" in out.getvalue() and not Task.objects.exists()
    call_command("import_tasks", str(path), "--campaign", str(district.district_campaign.pk), "--user",
                 district.office_x.username, stdout=io.StringIO())
    assert Task.objects.filter(campaign=district.district_campaign).count() == 4
    with pytest.raises(CommandError, match="only|Only|只有"):
        call_command("import_tasks", str(path), "--campaign", str(district.campaign.pk), "--user",
                     district.office_x.username, stdout=io.StringIO())


def test_the_readme_lists_every_header_word_the_import_reads():
    from pathlib import Path

    from checklists.imports.tasks import TaskListImport

    readme = Path(__file__).resolve().parents[1].joinpath("README.md").read_text()
    for header, words in TaskListImport.synonyms.items():
        line = next(line for line in readme.splitlines() if line.strip().startswith(f"| {header} |"))
        assert all(word in line for word in words), (header, words)


def test_a_sub_section_keeps_the_section_it_is_under(district):
    rows = [["序号", "重点任务", "牵头单位", "完成时限"], ["一、聚焦政治建设"], ["（一）强化理论武装"],
            ["1", "落实“第一议题”制度", "区委组织部", "每月"], ["（二）压实主体责任"], ["2", "签订责任书", "区委组织部", "上半年"],
            ["二、聚焦制度建设"], ["3", "梳理权力清单", "区委组织部", "下半年"]]
    plan = IMPORTERS["tasks"](user=district.office_x, campaign=district.district_campaign).run(
        workbook(rows), dry_run=False)
    assert plan.ok, [str(p) for p in plan.problems]
    assert list(Task.objects.filter(campaign=district.district_campaign).order_by("number").values_list(
        "section", flat=True)) == ["一、聚焦政治建设 › （一）强化理论武装", "一、聚焦政治建设 › （二）压实主体责任", "二、聚焦制度建设"]
