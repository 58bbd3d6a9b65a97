"""Imports of the lists offices keep in Excel: tolerant of real files, exact about errors, all or nothing."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from checklists import services
from checklists.imports import IMPORTERS, ImportRefused
from checklists.imports.tasks import parse_deadline
from checklists.models import Job, Task, Unit



def xlsx(sheet, header, rows, title=True, trailing_empty=2):
    """A workbook as offices make them: a merged title row, the header, the rows, some empty rows."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append(["山水市清廉建设工作专班 2023年名单"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for _ in range(trailing_empty):
        ws.append([None] * len(header))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("名单.xlsx", buffer.getvalue())


UNIT_HEADER = ["单位名称", "上级单位", "编号", "单位类型", "示范点", "命名年度"]


def run_units(user, rows, dry_run=False, **kwargs):
    return IMPORTERS["units"](user=user).run(xlsx("单位", UNIT_HEADER, rows, **kwargs), dry_run=dry_run)


def problems(plan):
    return [str(problem) for problem in plan.problems]


def test_unit_import_tolerates_what_real_files_contain(world):
    rows = [["  甲县　教育局 ", "甲县", "Ｄ０１", "机关", "是", "２０２３"],   # spaces, full-width letters and digits
            ["甲县实验小学", "甲县", None, " 学校 ", "否", None],
            ["甲县实验小学分校", "甲县实验小学", None, "学校", None, None]]  # a parent from a row above
    plan = run_units(world.office_x, rows, dry_run=True)
    assert plan.ok and [(row, action) for row, action, _, _ in plan.lines] == [(4, "create"), (5, "create"),
                                                                              (6, "create")]
    assert not Unit.objects.filter(code="D01").exists()  # a dry run writes nothing
    run_units(world.office_x, rows)
    bureau = Unit.objects.get(code="D01")
    assert (bureau.name, bureau.kind, bureau.is_demonstration_site, bureau.demonstration_year) == (
        "甲县　教育局", "organ", True, 2023)  # the name as written, only the spaces around it dropped
    branch = Unit.objects.get(name="甲县实验小学分校")
    assert Unit.objects.get_parent(branch).name == "甲县实验小学"
    again = run_units(world.office_x, rows)
    assert [action for _, action, _, _ in again.lines] == ["change", "change", "change"]
    assert Unit.objects.filter(name__startswith="甲县实验小学").count() == 2


@pytest.mark.parametrize("row, message", [
    (["乙县新单位", "乙县", None, "机关", None, None],
     "工作表“单位”第 4 行“上级单位”列：在您的权限范围内没有单位“乙县”；请填写已有单位的名称或编号，或把它所在的行放在本行之前。"),
    (["甲县新单位", "甲县", None, "部门", None, None],
     "工作表“单位”第 4 行“单位类型”列：未知的单位类型“部门”；请填写 市、县（区）、机关、学校、村（社区）、医院、企业、其他 之一。"),
    (["甲县新单位", "甲县", None, "机关", "可能", None], "工作表“单位”第 4 行“示范点”列：请填写 是 或 否，而不是“可能”。"),
    (["甲县新单位", "甲县", None, "机关", "是", "二〇二三"], "工作表“单位”第 4 行“命名年度”列：“二〇二三”不是年份；请写作 2023 这样的形式。"),
    (["甲县新单位", "甲县", "C", "机关", None, None],
     "工作表“单位”第 4 行“编号”列：编号 C 属于您权限范围外的单位；请换一个编号。"),
])
def test_each_unit_error_names_the_place_and_the_fix_and_changes_nothing(world, row, message):
    before = Unit.objects.count()
    plan = run_units(world.office_x, [["甲县好单位", "甲县", None, "机关", None, None], row])
    assert problems(plan) == [message.replace("第 4 行", "第 5 行")]
    assert Unit.objects.count() == before


@pytest.mark.parametrize("content, message", [
    (b"not a workbook", "这不是 Excel .xlsx 文件"),
    (None, "工作簿中没有工作表“单位”"),
])
def test_a_file_that_is_not_the_template_is_refused_whole(world, content, message):
    if content is None:
        upload = xlsx("Sheet1", UNIT_HEADER, [])
    else:
        upload = SimpleUploadedFile("x.xlsx", content)
    with pytest.raises(ImportRefused, match=message):
        IMPORTERS["units"](user=world.office_x).run(upload, dry_run=True)


def test_a_sheet_without_the_header_is_refused(world):
    upload = xlsx("单位", ["名称", "上级"], [["甲县新单位", "甲县"]])
    with pytest.raises(ImportRefused, match="单位名称"):
        IMPORTERS["units"](user=world.office_x).run(upload, dry_run=True)


def test_a_failure_halfway_through_writing_leaves_nothing_behind(world, monkeypatch):
    calls = []
    real = services.unit_save

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "unit_save", failing)
    before = Unit.objects.count()
    with pytest.raises(RuntimeError):
        run_units(world.office_x, [["甲县一", "甲县", None, "机关", None, None], ["甲县二", "甲县", None, "机关", None, None]])
    assert Unit.objects.count() == before


TASK_HEADER = ["序号", "任务", "工作举措", "分管领导", "牵头部门", "责任单位", "完成时限", "标准条目编号"]


def run_tasks(user, campaign, rows, dry_run=False):
    return IMPORTERS["tasks"](user=user, campaign=campaign).run(xlsx("任务清单", TASK_HEADER, rows), dry_run=dry_run)


def test_task_list_import_reads_units_deadlines_and_numbers_as_text(world):
    rows = [["１", "落实“第一议题”制度", "每月学习", "市委副书记 赵某", "甲县组织部", "甲县组织部、甲县司法局",
             "2023年6月底前", world.standard_item.code],
            ["2", "专项治理", None, None, None, "甲县司法局，乙县组织部", datetime.datetime(2023, 9, 30), None],
            ["3", "长期任务", None, None, None, None, "每季度末", None]]
    plan = run_tasks(world.office_city, world.campaign, rows)
    assert plan.ok, problems(plan)
    first, second, third = Task.objects.filter(campaign=world.campaign).order_by("number")
    assert (first.deadline, first.deadline_text, first.lead_department, first.standard_item) == (
        datetime.date(2023, 6, 30), "2023年6月底前", world.unit_a, world.standard_item)
    assert set(first.responsible_units.values_list("code", flat=True)) == {"A", "B"}
    assert set(second.responsible_units.values_list("code", flat=True)) == {"B", "C"}
    assert second.deadline == datetime.date(2023, 9, 30)
    assert (third.deadline, third.deadline_text) == (None, "每季度末")


@pytest.mark.parametrize("row, column, message", [
    (["1", "任务", None, None, None, None, "2023-02-30", None], "完成时限", "2023-02-30 不是日历上的日期。"),
    (["1", "任务", None, None, None, None, "下个月", None], "完成时限",
     "无法识别完成时限“下个月”：请填写日期（如 2023年6月30日）、月份（如 2023年6月底前）、上半年、下半年、年底前、第三季度"),
    (["1", "任务", None, None, None, "甲县组织部、丙县财政局", None, None], "责任单位",
     "在您的权限范围内没有单位“丙县财政局”；请按单位名单填写名称"),
    (["一", "任务", None, None, None, None, None, None], "序号", "“一”不是任务序号；请填写整数，如 1。"),
    (["1", "任务", None, None, None, None, None, "XYZ9"], "标准条目编号", "XYZ9 不在"),
])
def test_each_task_error_names_the_place_and_the_fix_and_changes_nothing(world, row, column, message):
    plan = run_tasks(world.office_city, world.campaign, [row])
    assert len(plan.problems) == 1
    assert str(plan.problems[0]).startswith(f"工作表“任务清单”第 4 行“{column}”列：")
    assert message in str(plan.problems[0])
    assert not Task.objects.exists()


def test_two_rows_with_one_number_are_refused(world):
    plan = run_tasks(world.office_city, world.campaign, [["1", "甲", *[None] * 6], ["1", "乙", *[None] * 6]])
    assert problems(plan) == ["工作表“任务清单”第 5 行“序号”列：序号 1 已在第 4 行使用；每个任务须有自己的序号。"]


def test_only_the_issuing_office_imports_a_task_list(world):
    with pytest.raises(ImportRefused):
        run_tasks(world.office_x, world.campaign, [["1", "任务", *[None] * 6]])


@pytest.mark.parametrize("text, expected", [
    ("2023年6月30日", datetime.date(2023, 6, 30)), ("2023年6月30日前", datetime.date(2023, 6, 30)),
    ("2023-06-30", datetime.date(2023, 6, 30)), ("2023/6/30", datetime.date(2023, 6, 30)),
    ("2023年6月底前", datetime.date(2023, 6, 30)), ("2023年2月", datetime.date(2023, 2, 28)),
    ("6月30日", datetime.date(2023, 6, 30)), ("上半年", datetime.date(2023, 6, 30)),
    ("2023年下半年", datetime.date(2023, 12, 31)), ("下半年", datetime.date(2023, 12, 31)),
    ("年底前", datetime.date(2023, 12, 31)), ("2023年底前", datetime.date(2023, 12, 31)),
    ("年内", datetime.date(2023, 12, 31)), ("第三季度", datetime.date(2023, 9, 30)),
    ("三季度末", datetime.date(2023, 9, 30)), ("2024年第1季度", datetime.date(2024, 3, 31)),
    ("长期坚持", None), ("每季度末", None), ("每月", None), ("每半年", None), ("持续推进", None),
])
def test_deadlines_as_real_files_write_them(text, expected):
    date, written = parse_deadline(text, 2023)
    assert date == expected and written == text


def test_the_import_page_checks_then_imports(client, world):
    client.force_login(world.office_x)
    rows = [["甲县新单位", "甲县", None, "机关", None, None]]
    checked = client.post(reverse("import_page"), {"kind": "units", "dry_run": "on",
                                                   "file": xlsx("单位", UNIT_HEADER, rows)})
    assert checked.status_code == 200 and "甲县 › 甲县新单位" in checked.content.decode()
    assert not Unit.objects.filter(name="甲县新单位").exists()
    client.post(reverse("import_page"), {"kind": "units", "file": xlsx("单位", UNIT_HEADER, rows)})
    assert Unit.objects.filter(name="甲县新单位").exists()
    bad = client.post(reverse("import_page"), {"kind": "units", "file": xlsx("单位", UNIT_HEADER, [
        ["乙县新单位", "乙县", None, "机关", None, None]])})
    assert bad.status_code == 400 and "第 4 行" in bad.content.decode()


def test_the_import_page_offers_each_template_by_name(client, world):
    client.force_login(world.office_x)
    page = client.get(reverse("import_page")).content.decode()
    assert "模板：单位名单" in page and "模板：任务清单" in page


def test_viewers_cannot_import_and_units_only_their_checklist(client, world):
    client.force_login(world.viewer_x)
    assert client.get(reverse("import_page")).status_code == 403
    client.force_login(world.liaison_a)
    page = client.get(reverse("import_page"))
    assert [key for key, _ in page.context["form"].fields["kind"].choices] == ["checklist"]
    assert set(page.context["form"].fields) == {"kind", "file", "dry_run"}  # nothing that cannot apply
    assert client.get(reverse("import_template", args=["units"])).status_code == 404


@pytest.mark.parametrize("kind", [key for key, importer in IMPORTERS.items() if importer.has_template])
def test_templates_have_the_header_an_example_and_instructions(client, world, kind):
    client.force_login(world.office_x)
    response = client.get(reverse("import_template", args=[kind]))
    book = load_workbook(io.BytesIO(response.content))
    importer = IMPORTERS[kind]
    assert quote(f"{importer.verbose_name}模板.xlsx") in response["Content-Disposition"]  # named in Chinese
    sheet = book[importer.sheet]
    assert [cell.value for cell in sheet[1]] == [header for header, *_ in importer.columns]
    assert len(book.sheetnames) == 2 and book.worksheets[1].max_row >= len(importer.columns) + 1




STANDARD_HEADER = ["维度", "编号", "条目", "指引", "举措类型", "频次", "数量目标", "计量单位", "分值", "佐证材料"]


def run_standards(user, standard_set, rows, dry_run=False):
    return IMPORTERS["standards"](user=user, standard_set=standard_set).run(
        xlsx("创建标准", STANDARD_HEADER, rows), dry_run=dry_run)


def test_standard_set_import_creates_dimensions_and_items(world):
    rows = [["思想建设", "IDE01", "讲廉政党课", None, "廉洁活动", "每季度", "１", "次", "3", "讲稿"],
            ["思想建设", "IDE02", "专题培训", None, "培训", "每年", "30", "人次", "2.5", None],
            [world.standard_item.dimension.name, world.standard_item.code, "改过的标题", None, None, "每月", None,
             None, "5", None]]
    plan = run_standards(world.office_city, world.standard_set, rows)
    assert plan.ok, problems(plan)
    assert [action for _, action, _, _ in plan.lines] == ["create", "create", "change"]
    lecture = world.standard_set.items.get(code="IDE01")
    assert (lecture.dimension.name, lecture.recurrence, lecture.quantity_target, lecture.measure_word,
            str(lecture.points)) == ("思想建设", "quarterly", 1, "次", "3.0")
    world.standard_item.refresh_from_db()
    assert (world.standard_item.title, world.standard_item.recurrence) == ("改过的标题", "monthly")


@pytest.mark.parametrize("row, column, message", [
    (["政治建设", "X1", "条目", None, "讲座", "每月", None, None, "2", None], "举措类型", "未知的举措类型“讲座”"),
    (["政治建设", "X1", "条目", None, None, "每两周", None, None, "2", None], "频次", "未知的频次“每两周”"),
    (["政治建设", "X1", "条目", None, None, "每月", "2", "公斤", "2", None], "计量单位", "未知的计量单位“公斤”"),
    (["政治建设", "X1", "条目", None, None, "每月", "2", None, "2", None], "计量单位", "填写数量目标时须选择计量单位。"),
    (["政治建设", "X1", "条目", None, None, "每月", None, None, "2.25", None], "分值", "“2.25”不是 2 或 2.5 这样的分值。"),
])
def test_each_standard_error_names_the_place_and_changes_nothing(world, row, column, message):
    before = world.standard_set.items.count()
    plan = run_standards(world.office_city, world.standard_set, [row])
    assert len(plan.problems) == 1 and str(plan.problems[0]).startswith(f"工作表“创建标准”第 4 行“{column}”列：")
    assert message in str(plan.problems[0])
    assert world.standard_set.items.count() == before


def test_a_measure_says_how_long_its_evidence_counts_and_a_file_without_the_column_keeps_it(world):
    header = [*STANDARD_HEADER, "材料有效期（月）"]
    row = ["政治建设", "RES01", "签订责任清单", None, "责任清单", "每年", "1", "份", "3", "责任清单"]
    plan = IMPORTERS["standards"](user=world.office_city, standard_set=world.standard_set).run(
        xlsx("创建标准", header, [[*row, "12"]]), dry_run=False)
    assert plan.ok, problems(plan)
    assert world.standard_set.items.get(code="RES01").evidence_valid_months == 12
    run_standards(world.office_city, world.standard_set, [row])  # an older file, without the column
    assert world.standard_set.items.get(code="RES01").evidence_valid_months == 12
    plan = IMPORTERS["standards"](user=world.office_city, standard_set=world.standard_set).run(
        xlsx("创建标准", header, [[*row, "一年"]]), dry_run=False)
    assert "工作表“创建标准”第 4 行“材料有效期（月）”列" in str(plan.problems[0])
    assert world.standard_set.items.get(code="RES01").evidence_valid_months == 12


def test_only_the_issuing_office_imports_standards(world):
    with pytest.raises(ImportRefused):
        run_standards(world.office_x, world.standard_set, [["政治建设", "X1", "条目", None, None, "每月", None, None,
                                                              "2", None]])


def test_a_long_task_list_is_checked_and_imported_in_the_background(client, world, settings):
    settings.IMPORT_BACKGROUND_ROWS = 20
    client.force_login(world.office_city)
    rows = [[n, f"任务{n}", "", "", "", "", "2023年6月底前", ""] for n in range(1, 31)]
    response = client.post(reverse("import_page"), {"kind": "tasks", "campaign": world.campaign.pk,
                                                    "file": xlsx("任务清单", TASK_HEADER, rows)})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.result["ok"]) == ("import", "done", True)
    assert world.campaign.tasks.count() == 30
    page = client.get(job.get_absolute_url()).content.decode()
    assert "任务30" in page and "30" in page
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404  # nothing to download


def test_a_long_file_with_a_bad_row_says_where_and_writes_nothing(client, world, settings):
    settings.IMPORT_BACKGROUND_ROWS = 20
    client.force_login(world.office_city)
    rows = [[n, f"任务{n}", "", "", "", "", "2023年2月30日" if n == 25 else "2023年6月底前", ""]
            for n in range(1, 31)]
    client.post(reverse("import_page"), {"kind": "tasks", "campaign": world.campaign.pk,
                                         "file": xlsx("任务清单", TASK_HEADER, rows)})
    job = Job.objects.get()
    assert job.result["ok"] is False and not world.campaign.tasks.exists()
    assert any("第 28 行" in problem and "完成时限" in problem for problem in job.result["problems"])
    assert "第 28 行" in client.get(job.get_absolute_url()).content.decode()
