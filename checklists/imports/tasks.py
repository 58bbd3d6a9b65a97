"""A task list as offices keep it: the template's header or the words offices use for it (a documented
table, `TaskListImport.synonyms`), on whatever sheet; section rows (一、…, （一）…) kept as the
section of the tasks under them; closing notes (备注：…) recognised and left out; units as the list
writes them (`names.py`); every problem of every row reported at once."""

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..models import Task, reach_of
from .base import ImportRefused, Importer, Plan, key
from .deadlines import parse_deadline
from .names import UnitNames

SEPARATORS = re.compile(r"[、,，;；/\s]+")
SECTION = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[部分章])")
CLOSING_NOTE = re.compile(r"^(?:备注|附注|注|说明|填报说明|填表说明)\s*[：:、.]?")


class TaskListImport(Importer):
    """A campaign's task list: each task with leader in charge, lead department, responsible units, deadline."""

    identifier = "tasks"
    verbose_name = gettext_lazy("Task list")
    sheet = "任务清单"
    any_sheet = True
    text_columns = frozenset({"序号", "任务", "工作举措", "分管领导", "牵头部门", "责任单位", "完成时限", "备注"})
    columns = [
        ("序号", False, "任务序号，整数；同一序号再次导入时更新该任务。不填则按行的顺序编号。", "1"),
        ("任务", True, "任务名称。", "落实“第一议题”制度"),
        ("工作举措", False, "具体措施。", "每月传达学习习近平总书记重要讲话重要指示精神"),
        ("分管领导", False, "分管领导的职务和姓名。", "市委副书记 赵某"),
        ("牵头部门", False, "牵头部门的单位名称（全称、县区内的名称、简称或别名）。", "市委办公室"),
        ("责任单位", False, "一个或多个单位名称，或“区直各单位”“各县（区）”等，用“、”或“，”分隔；"
                        "填写后只有这些单位生成清单事项。", "市委组织部、市委宣传部"),
        ("完成时限", False, "日期（2023年6月30日）、月份（2023年6月底前）、上半年、下半年、年底前、第三季度，"
                        "或“每季度”“长期坚持”等。", "2023年6月底前"),
        ("标准条目编号", False, "对应创建标准中的条目编号，如 POL01。", "POL01"),
        ("备注", False, "目标、说明等，随任务保存。", "不少于400人次"),
    ]
    synonyms = {
        "序号": ("编号", "序"),
        "任务": ("重点任务", "主要任务", "工作任务", "任务内容", "工作内容", "任务名称"),
        "工作举措": ("具体举措", "工作措施", "主要举措", "具体措施", "主要措施", "举措", "措施", "工作要求"),
        "分管领导": ("责任领导", "牵头领导", "分管市领导", "分管区领导", "分管县领导", "包联领导"),
        "牵头部门": ("牵头单位", "主责单位", "主责部门"),
        "责任单位": ("配合单位", "参与单位", "责任部门", "协办单位", "配合部门"),
        "完成时限": ("时间节点", "完成时间", "时限", "时限要求", "完成时限要求"),
        "标准条目编号": ("标准编号", "条目编号"),
        "备注": ("说明",),
    }

    def plan(self, upload):
        plan = Plan()
        campaign = self.options["campaign"]
        if not reach_of(self.user).may_issue(campaign.owner):
            raise ImportRefused(_("Only the office that issued %(campaign)s imports its tasks.")
                                % {"campaign": campaign})
        self.names = UnitNames(self.user)
        self.standard_items = {s.code: s for s in campaign.standard_set.items.all()}
        self.taken = dict(campaign.tasks.exclude(standard_item=None).values_list("standard_item__code", "number"))
        tasks = {task.number: task for task in campaign.tasks.prefetch_related("responsible_units")}
        self.codes_seen = set()
        top, section, rows = "", "", []
        for row, values in self.rows(upload):
            first = values.cells[0] if values.cells else ""
            if len(values.cells) == 1 and SECTION.match(key(first)):
                if key(first).startswith("(") and top:  # （一）… under 一、…: both kept
                    section = f"{top} › {first}"[:200]
                else:
                    top = section = first
                plan.skipped.append((row, _("section: %(section)s") % {"section": first}))
            elif CLOSING_NOTE.match(key(first)) and not values["任务"]:
                plan.skipped.append((row, _("a note, not a task: %(text)s") % {"text": first[:60]}))
            else:
                rows.append((row, values, section))
        for (row, values, section), number in zip(rows, self.numbers(plan, rows)):
            data = self.read_task(plan, row, values, number)
            if data is None:
                continue
            existing = tasks.get(number)
            data.update(existing=existing, number=number, section=section)
            if existing is None:
                plan.lines.append((row, "create", self.describe(data), data))
                continue
            changes = self.changes(existing, data)
            if changes:
                plan.lines.append((row, "change", f"{number}. {existing.title[:20]}：" + "；".join(changes), data))
            else:
                plan.skipped.append((row, _("task %(number)d: as it is, not changed") % {"number": number}))
        return plan

    @staticmethod
    def changes(task, data):
        """What the row changes on the task, field by field: “完成时限 2023年6月30日 → 2023年12月31日”."""
        def shown(value):
            if value in (None, ""):
                return "—"
            if isinstance(value, datetime.date):
                return f"{value.year}年{value.month}月{value.day}日"
            text = str(value)
            return f"“{text[:30]}…”" if len(text) > 30 else f"“{text}”" if isinstance(value, str) else text

        found = []
        for name in Task.IMPORTED_FIELDS:
            old, new = getattr(task, name), data[name]
            if old != new and {old, new} - {None, ""}:
                found.append(f"{Task._meta.get_field(name).verbose_name} {shown(old)} → {shown(new)}")
        old_units, new_units = list(task.responsible_units.all()), data["responsible_units"]
        if {unit.pk for unit in old_units} != {unit.pk for unit in new_units}:
            found.append(_("responsible units %(old)s → %(new)s") % {
                "old": "、".join(unit.name for unit in old_units) or "—",
                "new": "、".join(unit.name for unit in new_units) or "—"})
        return found

    def numbers(self, plan, rows):
        """Each row's task number: as written when every row has its own; in the rows' order when the
        column is missing or each section counts from 1 again (said so); otherwise the problems."""
        written = [values.get("序号", "") for _row, values, _section in rows]
        if not any(written):
            return list(range(1, len(rows) + 1))
        numbers, seen, ok = [], {}, True
        for (row, _values, section), value in zip(rows, written):
            number = _number(value)
            if number is None:
                self.problem(plan, row, "序号", _("“%(value)s” is not a task number; write a whole number such as 1.")
                             % {"value": value})
                ok = False
            elif number in seen and seen[number][1] == section:
                self.problem(plan, row, "序号", _("Number %(number)d is also on row %(other)d; each task needs its "
                                                 "own.") % {"number": number, "other": seen[number][0]})
                ok = False
            seen.setdefault(number, (row, section))
            numbers.append(number)
        if ok and len(set(numbers)) < len(numbers):
            plan.skipped.append((rows[0][0], _("Each section counts its tasks from 1: the tasks are numbered 1 to "
                                               "%(n)d in the list's order.") % {"n": len(rows)}))
            return list(range(1, len(rows) + 1))
        return numbers

    def read_task(self, plan, row, values, number):
        """The task's fields from the row, or None with every problem of the row noted."""
        problems = []
        if not values["任务"]:
            problems.append(("任务", _("The task is empty; write what is to be done.")))
        elif len(values["任务"]) > 300:
            problems.append(("任务", _("The task is %(n)d characters long, more than 300; put the detail under "
                                     "工作举措.") % {"n": len(values["任务"])}))
        lead, responsible, expansions = None, [], []
        if values.get("牵头部门"):
            try:
                found = self.names.find(values["牵头部门"])
                lead = found.units[0] if not found.group else None
                if found.group:
                    problems.append(("牵头部门", _("“%(name)s” is a group; write the one lead unit.")
                                     % {"name": values["牵头部门"]}))
            except LookupError as error:
                problems.append(("牵头部门", str(error)))
        for name in (n for n in SEPARATORS.split(values.get("责任单位", "")) if n):
            try:
                found = self.names.find(name)
            except LookupError as error:
                problems.append(("责任单位", str(error)))
                continue
            responsible += [unit for unit in found.units if unit not in responsible]
            if found.group:
                expansions.append(_("%(group)s → %(n)d units") % {"group": found.group, "n": len(found.units)})
        try:
            deadline, deadline_text = parse_deadline(values.get("完成时限", ""), self.options["campaign"].year)
        except ValueError as error:
            problems.append(("完成时限", str(error)))
        code = key(values.get("标准条目编号", ""))
        if code and code not in self.standard_items:
            problems.append(("标准条目编号", _("No item %(code)s in %(set)s; write a code from the standard set, or "
                                           "leave it empty.") % {"code": code, "set": self.options["campaign"]
                                                                 .standard_set}))
        elif code and (code in self.codes_seen or self.taken.get(code, number) != number):
            problems.append(("标准条目编号", _("Item %(code)s already has a task; one task per item.")
                             % {"code": code}))
        self.codes_seen.add(code)
        for column, message in problems:
            self.problem(plan, row, column, message)
        if problems:
            return None
        return {"title": values["任务"], "measures": values.get("工作举措", ""),
                "leader_in_charge": values.get("分管领导", ""), "lead_department": lead,
                "responsible_units": responsible, "expansions": expansions, "deadline": deadline,
                "deadline_text": deadline_text, "standard_item": self.standard_items.get(code),
                "note": values.get("备注", "")}

    @staticmethod
    def describe(data):
        """The preview's line: number, task, and what a group in it stood for and the deadline read."""
        head = f"{data['number']}. {data['title']}"
        if data["section"]:
            head += _("(under %(section)s)") % {"section": data["section"][:20]}
        parts = [head, *data["expansions"]]
        if data["deadline"] and data["deadline_text"]:
            parts.append(_("deadline %(text)s → %(date)s") % {"text": data["deadline_text"],
                                                               "date": data["deadline"].isoformat()})
        return "；".join(str(part) for part in parts)

    def apply(self, plan):
        services.task_list_import_apply(campaign=self.options["campaign"], user=self.user,
                                        rows=[data for _row, _action, _text, data in plan.lines])


def _number(value):
    try:
        number = int(float(key(value)))
    except (ValueError, OverflowError):
        return None
    return number if number > 0 else None
