"""Units: where a unit sits in the tree."""

from django.db import transaction

from ..models import Unit


@transaction.atomic
def unit_save(*, unit: Unit, parent: Unit | None) -> Unit:
    """Create a unit under its parent, or save it and move it under a new parent."""
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
