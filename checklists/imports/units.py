from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..models import Unit, UnitKind, reach_of
from .base import Importer, Plan, key

YES = {"是", "yes", "y", "√", "1", "true"}
NO = {"否", "no", "n", "", "0", "false"}


def kind_names():
    names = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.update({str(kind.label).lower(): kind.value for kind in UnitKind})
    names.update({kind.value: kind.value for kind in UnitKind})
    return names


class UnitTreeImport(Importer):
    identifier = "units"
    verbose_name = gettext_lazy("Unit tree")
    sheet = "单位"
    text_columns = frozenset({"单位名称", "上级单位"})
    columns = [
        ("单位名称", True, "单位全称，如“郊区·区委组织部”。", "郊区·区委组织部"),
        ("上级单位", True, "上级单位的名称或编号；须在您管理的范围内，或是本表中前面的行。", "郊区"),
        ("编号", False, "单位编号；填写后按编号查找已有单位并更新。", "C01O01"),
        ("单位类型", True, "机关、学校、村（社区）、医院、企业、县（区）或其他。", "机关"),
        ("示范点", False, "是或否。", "是"),
        ("命名年度", False, "命名为示范点的年度，如 2023。", "2023"),
    ]

    def plan(self, upload):
        plan = Plan()
        reach = reach_of(self.user)
        units = Unit.objects.for_user(self.user)
        kinds = kind_names()
        by_name = {key(unit.name): unit for unit in units}
        planned = {}  # name (as matched) -> row, for parents created earlier in the file
        for row, values in self.rows(upload):
            name, parent_name, code = values["单位名称"], values["上级单位"], str(values.get("编号", ""))
            if not name:
                self.problem(plan, row, "单位名称", _("The name is empty; write the unit's full name."))
                continue
            parent = units.filter(code=key(parent_name)).first() or by_name.get(key(parent_name))
            if parent is None and key(parent_name) not in planned:
                self.problem(plan, row, "上级单位", _("No unit “%(name)s” within your reach; write the name or code "
                                                     "of an existing unit, or put its row above this one.")
                             % {"name": parent_name})
                continue
            if parent is not None and not reach.manages(parent):
                self.problem(plan, row, "上级单位", _("You do not manage “%(name)s”; ask its office to add units "
                                                     "under it.") % {"name": parent_name})
                continue
            kind = kinds.get(str(values["单位类型"]).lower())
            if kind is None:
                self.problem(plan, row, "单位类型", _("Unknown kind “%(kind)s”; write one of %(kinds)s.")
                             % {"kind": values["单位类型"], "kinds": "、".join(str(k.label) for k in UnitKind)})
                continue
            site = str(values.get("示范点", "")).lower()
            if site not in YES | NO:
                self.problem(plan, row, "示范点", _("Write 是 or 否, not “%(value)s”.") % {"value": values["示范点"]})
                continue
            year = str(values.get("命名年度", ""))
            if year and not (year.isdigit() and 1990 <= int(year) <= 2100):
                self.problem(plan, row, "命名年度", _("“%(value)s” is not a year; write it like 2023.")
                             % {"value": year})
                continue
            is_site = site in YES
            fields = {"name": name, "kind": kind, "is_demonstration_site": is_site,
                      "demonstration_year": int(year) if year and is_site else None}
            existing = (units.filter(code=code).first() if code else None) or (
                parent and units.filter(path__startswith=parent.path, depth=parent.depth + 1, name=name).first())
            if code and not existing and Unit.objects.filter(code=code).exists():
                self.problem(plan, row, "编号", _("The code %(code)s belongs to a unit outside your reach; "
                                                 "choose another.") % {"code": code})
                continue
            action = "change" if existing else "create"
            if existing is not None and not reach.may_change_unit(existing):
                self.problem(plan, row, "单位名称", _("You do not manage “%(name)s”.") % {"name": name})
                continue
            planned[key(name)] = row
            plan.lines.append((row, action, f"{parent_name} › {name}", {
                "existing": existing, "parent": parent, "parent_name": parent_name, "code": code, **fields}))
        return plan

    def apply(self, plan):
        created = {}
        for _row, action, _text, data in plan.lines:
            parent = data["parent"] or created[key(data["parent_name"])]
            unit = data["existing"] or Unit()
            for name in ("name", "kind", "is_demonstration_site", "demonstration_year"):
                setattr(unit, name, data[name])
            if data["code"]:
                unit.code = data["code"]
            created[key(data["name"])] = services.unit_save(
                unit=unit, parent=parent if action == "create" else None, user=self.user)
