import calendar
import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..models import Unit, reach_of
from .base import ImportRefused, Importer, Plan

SEPARATORS = re.compile(r"[、,，;；/\s]+")
FULL_DATE = re.compile(r"^(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?\s*(前|之前|以前)?$")
MONTH_END = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(底|末)?\s*(前|之前|以前)?$")
STANDING = ("每", "长期", "持续", "常态", "年底", "季度", "半年", "月底", "随时")


def parse_deadline(value):
    """(date or None, the deadline as written), or ValueError: a date, 2023年6月底前, or 每季度末 / 长期坚持."""
    if isinstance(value, datetime.date):
        return value, ""
    text = str(value)
    if not text:
        return None, ""
    if match := FULL_DATE.match(text):
        year, month, day = (int(part) for part in match.groups()[:3])
        try:
            return datetime.date(year, month, day), text
        except ValueError:
            raise ValueError(_("%(text)s is not a date in the calendar.") % {"text": text}) from None
    if match := MONTH_END.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(_("%(text)s names no month.") % {"text": text})
        return datetime.date(year, month, calendar.monthrange(year, month)[1]), text
    if any(word in text for word in STANDING):
        return None, text
    raise ValueError(_("Cannot read the deadline “%(text)s”: write a date like 2023年6月30日, a month like "
                       "2023年6月底前, or words like 每季度末 or 长期坚持.") % {"text": text})


class TaskListImport(Importer):
    """A campaign's task list: each task with leader in charge, lead department, responsible units, deadline."""

    identifier = "tasks"
    verbose_name = gettext_lazy("Task list")
    sheet = "任务清单"
    columns = [
        ("序号", True, "任务序号，整数；同一序号再次导入时更新该任务。", "1"),
        ("任务", True, "任务名称。", "落实“第一议题”制度"),
        ("工作举措", False, "具体措施。", "每月传达学习习近平总书记重要讲话重要指示精神"),
        ("分管领导", False, "分管领导的职务和姓名。", "市委副书记 赵某"),
        ("牵头部门", False, "牵头部门的单位名称。", "市委办公室"),
        ("责任单位", False, "一个或多个单位名称，用“、”或“，”分隔；填写后只有这些单位生成清单事项。", "市委组织部、市委宣传部"),
        ("完成时限", False, "日期（2023年6月30日）、月份（2023年6月底前）或“每季度末”“长期坚持”等。", "2023年6月底前"),
        ("标准条目编号", False, "对应创建标准中的条目编号，如 POL01。", "POL01"),
    ]

    def plan(self, upload):
        plan = Plan()
        campaign = self.options["campaign"]
        if not reach_of(self.user).manages(campaign.owner):
            raise ImportRefused(_("Only the office that issued %(campaign)s imports its tasks.")
                                % {"campaign": campaign})
        units = {u.name: u for u in Unit.objects.for_user(self.user)}
        standard_items = {s.code: s for s in campaign.standard_set.items.all()}
        taken = dict(campaign.tasks.exclude(standard_item=None).values_list("standard_item__code", "number"))
        tasks = {task.number: task for task in campaign.tasks.all()}
        seen, seen_codes = {}, {}
        for row, values in self.rows(upload):
            number = str(values["序号"])
            try:
                number = int(float(number))
                if number <= 0:
                    raise ValueError(number)
            except (ValueError, OverflowError):
                self.problem(plan, row, "序号", _("“%(value)s” is not a task number; write a whole number such as 1.")
                             % {"value": values["序号"]})
                continue
            if number in seen:
                self.problem(plan, row, "序号", _("Number %(number)d is also on row %(other)d; each task needs its "
                                                 "own.") % {"number": number, "other": seen[number]})
                continue
            seen[number] = row
            if not values["任务"]:
                self.problem(plan, row, "任务", _("The task is empty; write what is to be done."))
                continue
            lead_name = values.get("牵头部门", "")
            lead = units.get(lead_name) if lead_name else None
            if lead_name and lead is None:
                self.problem(plan, row, "牵头部门", _("No unit “%(name)s” within your reach; write the name as in "
                                                     "the unit list, or import the units first.") % {"name": lead_name})
                continue
            names = [n for n in SEPARATORS.split(str(values.get("责任单位", ""))) if n]
            unknown = [n for n in names if n not in units]
            if unknown:
                self.problem(plan, row, "责任单位", _("No unit “%(name)s” within your reach; write the names as in "
                                                     "the unit list, separated by 、 or ，.") % {"name": unknown[0]})
                continue
            try:
                deadline, deadline_text = parse_deadline(values.get("完成时限", ""))
            except ValueError as error:
                self.problem(plan, row, "完成时限", str(error))
                continue
            code = str(values.get("标准条目编号", ""))
            if code and code not in standard_items:
                self.problem(plan, row, "标准条目编号", _("No item %(code)s in %(set)s; write a code from the "
                                                       "standard set, or leave it empty.")
                             % {"code": code, "set": campaign.standard_set})
                continue
            if code and (code in seen_codes or taken.get(code, number) != number):
                self.problem(plan, row, "标准条目编号", _("Item %(code)s already has a task; one task per item.")
                             % {"code": code})
                continue
            seen_codes[code] = row
            existing = tasks.get(number)
            plan.lines.append((row, "change" if existing else "create", f"{number}. {values['任务']}", {
                "existing": existing, "number": number, "title": values["任务"], "measures": values.get("工作举措", ""),
                "leader_in_charge": values.get("分管领导", ""), "lead_department": lead,
                "responsible_units": [units[n] for n in names], "deadline": deadline,
                "deadline_text": deadline_text, "standard_item": standard_items.get(code)}))
        return plan

    def apply(self, plan):
        services.task_list_import_apply(campaign=self.options["campaign"], user=self.user,
                                        rows=[data for _row, _action, _text, data in plan.lines])
