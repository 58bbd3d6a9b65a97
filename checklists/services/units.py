"""Units: where a unit sits in the tree, and who belongs to which unit in what role."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Membership, Role, Unit, UnitAlias, reach_of
from .errors import IllegalTransition, NotPermitted


@transaction.atomic
def unit_save(*, unit: Unit, parent: Unit | None, user=None) -> Unit:
    """Create a unit under its parent, or save it and move it under a new parent. A user (None: a
    command or the demo) must be the office over the parent, and above a unit it changes."""
    if user is not None:
        _check_may_place(unit, parent, reach_of(user))
    if unit.pk is None:
        if parent is None:
            return Unit.objects.add_root(instance=unit)
        return Unit.objects.add_child(parent, instance=unit)
    current_parent = Unit.objects.get_parent(unit, update=True)
    if parent is not None and (current_parent is None or current_parent.pk != parent.pk):
        Unit.objects.move(unit, parent, "last-child")
        moved = Unit.objects.get(pk=unit.pk)
        unit.path, unit.depth = moved.path, moved.depth
    unit.save()
    return unit


def _check_may_place(unit, parent, reach):
    if unit.pk is not None and not reach.may_change_unit(Unit.objects.get(pk=unit.pk)):
        raise NotPermitted(_("Only the office above %(unit)s may change it.") % {"unit": unit})
    if parent is None and unit.pk is None and not reach.is_all:
        raise NotPermitted(_("Only an administrator adds a unit at the top of the tree."))
    if parent is not None and not reach.manages(parent):
        raise NotPermitted(_("You do not manage %(unit)s; ask its office to add units under it.") % {"unit": parent})


@transaction.atomic
def unit_delete(*, unit: Unit, user) -> None:
    """Delete a unit with no units under it (items, ledgers and memberships protect a unit in use)."""
    reach = reach_of(user)
    if not reach.may_change_unit(unit):
        raise NotPermitted(_("Only the office above %(unit)s may change it.") % {"unit": unit})
    if not Unit.objects.get(pk=unit.pk).is_leaf():
        raise IllegalTransition(_("%(unit)s has units under it; move or delete them first.") % {"unit": unit})
    unit.delete()


def membership_refusal(membership: Membership, user) -> str | None:
    """Why the user may not give this role at this unit (or change it from what it was), or None: the
    office over the unit, and for the office role the office above it (`Reach.may_give_role`)."""
    reach = reach_of(user)
    roles = [(membership.unit, membership.role)]
    if membership.pk is not None:
        saved = Membership.objects.select_related("unit").get(pk=membership.pk)
        roles.append((saved.unit, saved.role))
    for unit, role in roles:
        if not reach.may_give_role(unit, role):
            if role == Role.OFFICE:
                return _("Only the office above %(unit)s gives or takes away the office role there.") % {"unit": unit}
            return _("Only the office over %(unit)s may change who belongs to it.") % {"unit": unit}
    return None


def _check_membership(membership: Membership, user) -> None:
    refusal = membership_refusal(membership, user)
    if refusal:
        raise NotPermitted(refusal)


@transaction.atomic
def membership_save(*, membership: Membership, user) -> None:
    """Give a person a role at a unit, or change it (`membership_refusal` says who may)."""
    _check_membership(membership, user)
    membership.save()


@transaction.atomic
def membership_delete(*, membership: Membership, user) -> None:
    _check_membership(membership, user)
    membership.delete()


@transaction.atomic
def unit_aliases_save(*, unit: Unit, user, added=(), changed=(), removed=()) -> None:
    """The other names a unit goes by in the lists offices import: kept by whoever may change the unit."""
    if not reach_of(user).may_change_unit(unit):
        raise NotPermitted(_("Only the office above %(unit)s may change it.") % {"unit": unit})
    for alias in removed:
        UnitAlias.objects.filter(pk=alias.pk, unit=unit).delete()
    for alias in [*added, *changed]:
        alias.unit = unit
        alias.save()
