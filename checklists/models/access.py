"""Who reaches which units: the one scoping path for views, admin, exports and imports."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("Task-force office")
    LIAISON = "liaison", _("Unit liaison")
    LEADER = "leader", _("Unit leader")
    VIEWER = "viewer", _("Leader in charge (read-only)")


@dataclass
class Reach:
    """The units one user reaches, read once from their memberships."""

    is_all: bool = False
    subtree_paths: list = field(default_factory=list)  # office and viewer: the unit and below
    unit_ids: list = field(default_factory=list)  # liaison and leader: the unit itself
    office_paths: list = field(default_factory=list)  # where the user may review and manage
    acting_unit_ids: list = field(default_factory=list)  # where the user may act for the unit
    leading_unit_ids: list = field(default_factory=list)  # where the user is the unit leader
    ancestor_paths: list = field(default_factory=list)  # where standards and task lists come from
    roles: frozenset = frozenset()
    root_path: str = ""  # the tree's one root, when the user reaches its whole subtree: no filter needed

    @property
    def is_empty(self):
        return not (self.is_all or self.subtree_paths or self.unit_ids)

    @property
    def key(self):
        """What tells this reach from another, for the keys of figures cached per reach."""
        return self.is_all, tuple(sorted(self.subtree_paths)), tuple(sorted(self.unit_ids))

    @property
    def manages_all_reached(self):
        """Whether the user does office work on every unit they reach (`q_managed` adds nothing to `q`)."""
        return self.is_all or (not self.unit_ids and set(self.subtree_paths) <= set(self.office_paths))

    def q(self, prefix=""):
        """A Q over the unit reached through `prefix` ("" for Unit itself, "unit" for a FK)."""
        if self.is_all or self.root_path in self.subtree_paths:
            return Q()
        _path, pk = _fields(prefix)
        query = self.q_whole(prefix)
        return query | Q(**{f"{pk}__in": self.unit_ids}) if self.unit_ids else query

    def q_issued(self, prefix="owner"):
        """Standards and task lists: issued within reach or by a unit above the user's own."""
        if self.is_all or self.root_path in self.subtree_paths:  # (an empty Q would vanish in the OR)
            return Q()
        path, _pk = _fields(prefix)
        return self.q(prefix) | Q(**{f"{path}__in": self.ancestor_paths})

    def q_whole(self, prefix=""):
        """Records about a whole subtree (an issued bulletin): those at a unit whose subtree the user
        reaches in full; a liaison's or a leader's one unit is not enough."""
        return self._q_under(self.subtree_paths, prefix)

    def q_managed(self, prefix=""):
        """Records the user does office work on (`manages`): review, verify, close."""
        return self._q_under(self.office_paths, prefix)

    def _q_under(self, paths, prefix):
        if self.is_all or self.root_path in paths:  # the whole tree: nothing to filter (nor to join)
            return Q()
        path, _pk = _fields(prefix)
        query = Q(pk__in=[])
        for unit_path in paths:
            query |= Q(**{f"{path}__startswith": unit_path})
        return query

    def manages(self, unit):
        """Office work on this unit: review, score, plan visits, close problems."""
        return self.is_all or any(unit.path.startswith(p) for p in self.office_paths)

    def may_change_unit(self, unit):
        """Rename, reclassify or move a unit: the office above it (an office does not change its own
        unit); a new unit is added by the office over its parent (`manages`)."""
        return self.is_all or (self.manages(unit) and unit.path not in self.office_paths)

    def may_give_role(self, unit, role):
        """Give or take away a role at a unit: the office over the unit; the office role itself only the
        office above the unit, so an office neither ends its own role nor makes more offices of itself."""
        return self.may_change_unit(unit) if role == Role.OFFICE else self.manages(unit)

    def may_review(self, record):
        """Review and score an item, verify and close a problem: the office over the record's unit."""
        return self.manages(record.unit)

    def may_issue(self, owner):
        """Change a standard set or a task list (and their dimensions, items and tasks): the office
        that issued it (its `owner`), or one above it."""
        return self.manages(owner)

    def acts_for(self, unit):
        """Unit work on this unit: update items, log ledgers, submit, report rectification."""
        return self.is_all or unit.pk in self.acting_unit_ids

    def may_keep_ledger(self, unit, kind):
        """Log and change the unit's ledger of this kind (a LedgerKind value): the unit's own liaison or
        leader, or the office over it; supervision visits are the office's alone."""
        return self.manages(unit) or (kind != "visit" and self.acts_for(unit))

    def may_archive(self, record):
        """Remove (archive) an evidence file, a ledger entry or a problem: the office over its unit, or
        the unit itself where the record is the unit's own (a visit or a problem is the office's)."""
        return self.manages(record.unit) or (self.acts_for(record.unit) and not record.archived_by_office_only)

    def q_keeps_ledger(self, kind):
        """`may_keep_ledger` as a Q over units: the units whose ledger of this kind the user keeps."""
        if self.is_all:
            return Q()
        query = Q(pk__in=self.acting_unit_ids) if kind != "visit" else Q(pk__in=[])
        for path in self.office_paths:
            query |= Q(path__startswith=path)
        return query

    def leads(self, unit):
        """The unit leader's sign-off before the unit's items go to the office."""
        return self.is_all or unit.pk in self.leading_unit_ids


def _fields(prefix):
    if not prefix:
        return "path", "pk"
    return f"{prefix}__path", f"{prefix}_id"


def _the_root_reached(subtree_paths):
    """The path of the unit tree's root if it is the only one and the user reaches all below it; else ""."""
    Unit = apps.get_model("checklists", "Unit")
    tops = [path for path in subtree_paths if len(path) == Unit.steplen]
    if not tops:
        return ""
    roots = list(Unit.objects.filter(depth=1).values_list("path", flat=True)[:2])
    return roots[0] if len(roots) == 1 and roots[0] in tops else ""


def reach_of(user):
    """The user's Reach, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Reach()
    cached = getattr(user, "_clean_ledger_reach", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        reach = Reach(is_all=True)
    else:
        Membership = apps.get_model("checklists", "Membership")  # defined over the units, which use this module
        reach = Reach()
        roles = set()
        ancestors = set()
        for membership in Membership.objects.filter(user=user).select_related("unit"):
            unit = membership.unit
            roles.add(membership.role)
            ancestors.update(unit.ancestor_paths())
            if membership.role in Membership.SUBTREE_ROLES:
                reach.subtree_paths.append(unit.path)
            else:
                reach.unit_ids.append(unit.pk)
            if membership.role == Role.OFFICE:
                reach.office_paths.append(unit.path)
            if membership.role in Membership.UNIT_ROLES:
                reach.acting_unit_ids.append(unit.pk)
            if membership.role == Role.LEADER:
                reach.leading_unit_ids.append(unit.pk)
        reach.ancestor_paths = sorted(ancestors)
        reach.roles = frozenset(roles)
        reach.root_path = _the_root_reached(reach.subtree_paths)
    user._clean_ledger_reach = reach
    return reach


class ScopedQuerySetMixin:
    """`for_user(user)`: the only way to reach scoped rows. Subclasses name the unit FK."""

    unit_field = "unit"

    def for_user(self, user):
        return self.filter(reach_of(user).q(self.unit_field))
