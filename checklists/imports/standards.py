from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..models import MeasureKind, MeasureWord, Recurrence, reach_of
from .base import ImportRefused, Importer, Plan


def labels(choices):
    """Each choice by its Chinese and English label and by its value."""
    names = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.update({str(choice.label).lower(): choice.value for choice in choices})
    names.update({str(choice.value).lower(): choice.value for choice in choices})
    return names


MONTHS = "材料有效期（月）"


class StandardSetImport(Importer):
    """The measures of a standard set: dimensions are created by name, items matched by code."""

    identifier = "standards"
    verbose_name = gettext_lazy("Standard set")
    sheet = "创建标准"
    text_columns = frozenset({"维度", "条目", "指引", "佐证材料"})
    columns = [
        ("维度", True, "维度名称，如“政治建设”；没有的维度会新建。", "政治建设"),
        ("编号", True, "条目编号，同一创建标准内唯一；再次导入时按编号更新。", "POL01"),
        ("条目", True, "标准条目内容。", "落实“第一议题”制度"),
        ("指引", False, "如何落实的说明。", "每月传达学习"),
        ("举措类型", False, "会议、培训、制度文件、责任清单、督导检查、廉洁活动、自查自纠或其他。", "会议"),
        ("频次", True, "一次性、每月、每季度、每半年或每年。", "每月"),
        ("数量目标", False, "整数，如 1。", "1"),
        ("计量单位", False, "次、场、人次、份、册、部、个、项、篇、户、人、期。", "次"),
        ("分值", True, "数字，可有一位小数，如 2 或 2.5。", "2"),
        ("佐证材料", False, "应提供的佐证材料。", "会议记录"),
        ("材料有效期（月）", False, "材料有效的月数，如一年期责任清单填 12；留空为长期有效。", ""),
    ]

    def plan(self, upload):
        plan = Plan()
        standard_set = self.options["standard_set"]
        if not reach_of(self.user).may_issue(standard_set.owner):
            raise ImportRefused(_("Only the office that issued %(set)s imports its measures.") % {"set": standard_set})
        kinds, recurrences = labels(MeasureKind), labels(Recurrence)
        words = {str(word.value): word.value for word in MeasureWord}
        existing = {item.code: item for item in standard_set.items.all()}
        seen = {}
        for row, values in self.rows(upload):
            code = str(values["编号"])
            if code in seen:
                self.problem(plan, row, "编号", _("Code %(code)s is also on row %(other)d; each item needs its own.")
                             % {"code": code, "other": seen[code]})
                continue
            seen[code] = row
            kind = kinds.get(str(values.get("举措类型", "")).lower() or "other")
            if kind is None:
                self.problem(plan, row, "举措类型", _("Unknown kind of measure “%(value)s”; write one of %(kinds)s.")
                             % {"value": values["举措类型"], "kinds": "、".join(str(k.label) for k in MeasureKind)})
                continue
            recurrence = recurrences.get(str(values["频次"]).lower())
            if recurrence is None:
                self.problem(plan, row, "频次", _("Unknown recurrence “%(value)s”; write one of %(choices)s.")
                             % {"value": values["频次"], "choices": "、".join(str(r.label) for r in Recurrence)})
                continue
            target = str(values.get("数量目标", ""))
            if target and not target.isdigit():
                self.problem(plan, row, "数量目标", _("“%(value)s” is not a whole number.") % {"value": target})
                continue
            word = str(values.get("计量单位", ""))
            if word and word not in words:
                self.problem(plan, row, "计量单位", _("Unknown measure word “%(value)s”; write one of %(words)s.")
                             % {"value": word, "words": "、".join(words)})
                continue
            if target and not word:
                self.problem(plan, row, "计量单位", _("A quantity target needs its measure word."))
                continue
            try:
                points = Decimal(str(values["分值"]))
                if not (Decimal(0) <= points < Decimal(1000) and points == points.quantize(Decimal("0.1"))):
                    raise InvalidOperation(points)
            except InvalidOperation:
                self.problem(plan, row, "分值", _("“%(value)s” is not a score such as 2 or 2.5.")
                             % {"value": values["分值"]})
                continue
            months = self.valid_months(plan, row, values)
            if months is None:
                continue
            if not values["维度"] or not values["条目"]:
                column = "维度" if not values["维度"] else "条目"
                self.problem(plan, row, column, _("This column is required."))
                continue
            plan.lines.append((row, "change" if code in existing else "create", f"{code} {values['条目']}", {
                "existing": existing.get(code), "code": code, "dimension": values["维度"], "title": values["条目"],
                "guidance": values.get("指引", ""), "measure_kind": kind, "recurrence": recurrence,
                "quantity_target": int(target) if target else None, "measure_word": word, "points": points,
                "evidence_expected": values.get("佐证材料", ""), "order": row, **months}))
        return plan

    def valid_months(self, plan, row, values):
        """{"evidence_valid_months": …} from the row, {} from a file without the column (the months stay
        as they are); None when refused."""
        if MONTHS not in values:
            return {}
        months = str(values[MONTHS] or "")
        if months and not (months.isdigit() and 0 < int(months) <= 120):
            self.problem(plan, row, MONTHS, _("“%(value)s” is not a number of months from 1 to 120.")
                         % {"value": months})
            return None
        return {"evidence_valid_months": int(months) if months else None}

    def apply(self, plan):
        services.standard_set_import_apply(standard_set=self.options["standard_set"], user=self.user,
                                           rows=[data for _row, _action, _text, data in plan.lines])
