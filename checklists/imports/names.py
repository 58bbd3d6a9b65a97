"""Unit names as offices write them in their lists, matched to the units within the importer's reach.

A name matches a unit's full name (郊区·区委组织部), its name within its county (区委组织部), one of its
other names (`UnitAlias`, kept in the admin) or any of these with the usual abbreviations written out
(区委办 = 区委办公室). Several units of one name: those under the importer's own office first. A group
(区直各单位, 各县（区）…) stands for the units it means, and the preview says which.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import Unit, UnitAlias, UnitKind, reach_of
from .base import key

# Short forms offices write, and the full form they stand for (compared whole, after `key`).
ABBREVIATIONS = {
    f"{level}{short}": f"{level}{full}"
    for level in ("市", "县", "区")
    for short, full in (("委办", "委办公室"), ("政府办", "政府办公室"), ("工商联", "工商业联合会"),
                        ("纪委", "纪委监委"), ("人大办", "人大常委会办公室"), ("政协办", "政协办公室"),
                        ("直工委", "直机关工委"))
}

# Groups: the words, and (kind of unit, where): "home" under the importer's own county or district,
# "city" directly under the city, "all" anywhere in reach.
GROUPS = {
    "区直各单位": (UnitKind.ORGAN, "home"), "县直各单位": (UnitKind.ORGAN, "home"),
    "区直各部门": (UnitKind.ORGAN, "home"), "县直各部门": (UnitKind.ORGAN, "home"),
    "市直各单位": (UnitKind.ORGAN, "city"), "市直各部门": (UnitKind.ORGAN, "city"),
    "各县(区)": (UnitKind.COUNTY, "all"), "各县(市、区)": (UnitKind.COUNTY, "all"), "各县区": (UnitKind.COUNTY, "all"),
    "各县(市)区": (UnitKind.COUNTY, "all"),
    "各村(社区)": (UnitKind.VILLAGE, "all"), "各村(居)": (UnitKind.VILLAGE, "all"), "各村居": (UnitKind.VILLAGE, "all"),
    "各学校": (UnitKind.SCHOOL, "all"), "各中小学": (UnitKind.SCHOOL, "all"), "各中小学校": (UnitKind.SCHOOL, "all"),
    "各医院": (UnitKind.HOSPITAL, "all"), "各医疗机构": (UnitKind.HOSPITAL, "all"),
    "各国有企业": (UnitKind.ENTERPRISE, "all"), "各国企": (UnitKind.ENTERPRISE, "all"),
    "各乡镇(街道)": (UnitKind.OTHER, "all"), "各乡镇": (UnitKind.OTHER, "all"), "各街道": (UnitKind.OTHER, "all"),
}


def canonical(name) -> str:
    """A name as matched: `key`, then an abbreviation written out."""
    name = key(name)
    return ABBREVIATIONS.get(name, name)


def short_name(unit_name) -> str:
    """The name within its county: 郊区·区委组织部 → 区委组织部."""
    return unit_name.rsplit("·", 1)[-1]


@dataclass
class Found:
    units: list
    group: str = ""  # the group's words, when the name was one


class UnitNames:
    def __init__(self, user):
        reach = reach_of(user)
        self.units = list(Unit.objects.for_user(user).only("pk", "name", "path", "depth", "kind"))
        self.home_paths = reach.office_paths or [unit.path for unit in self.units if unit.depth == 1]
        self.by_name = {}
        for unit in self.units:
            for name in {unit.name, short_name(unit.name)}:
                self.by_name.setdefault(canonical(name), []).append(unit)
        by_pk = {unit.pk: unit for unit in self.units}
        for unit_id, name in UnitAlias.objects.filter(unit_id__in=by_pk).values_list("unit_id", "name"):
            matches = self.by_name.setdefault(canonical(name), [])
            if by_pk[unit_id] not in matches:
                matches.append(by_pk[unit_id])

    def find(self, name) -> Found:
        """The units a name stands for, or LookupError with a message that says why and what to write."""
        if key(name) in GROUPS:
            return Found(self.group(key(name), name), group=name)
        matches = self.by_name.get(canonical(name), [])
        if len(matches) > 1:
            mine = [unit for unit in matches if any(unit.path.startswith(path) for path in self.home_paths)]
            matches = mine if len(mine) == 1 else matches
        if not matches:
            raise LookupError(_("No unit “%(name)s” within your reach; write the name as in the unit list (full, "
                                "or within its county), or add it as the unit's other name in the admin.")
                              % {"name": name})
        if len(matches) > 1:
            raise LookupError(_("“%(name)s” could be %(units)s; write the full name.")
                              % {"name": name, "units": "、".join(unit.name for unit in matches[:3])
                                 + ("等" if len(matches) > 3 else "")})
        return Found(matches)

    def group(self, words, written):
        kind, where = GROUPS[words]
        if where == "home":
            homes = [path for path in self.home_paths if len(path) == 2 * Unit.steplen]
            if len(homes) != 1:
                raise LookupError(_("“%(group)s” names the units of one county or district; import the list as "
                                    "that county's office, or write the units.") % {"group": written})
            units = [u for u in self.units if u.kind == kind and u.depth == 3 and u.path.startswith(homes[0])]
        elif where == "city":
            units = [u for u in self.units if u.kind == kind and u.depth == 2]
        else:
            units = [u for u in self.units if u.kind == kind]
        if not units:
            raise LookupError(_("“%(group)s”: no such units within your reach; write the units.")
                              % {"group": written})
        return units
