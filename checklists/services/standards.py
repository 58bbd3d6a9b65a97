"""Standard sets: their dimensions and items, as an office imports them."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Dimension, StandardItem, StandardSet, UnitStanding, reach_of
from .errors import NotPermitted


@transaction.atomic
def standard_set_import_apply(*, standard_set: StandardSet, rows, user) -> None:
    """Create or change the set's items from checked rows (each a dict of the item's fields, its
    dimension's name and the item it changes, if any); the standings of every task list on the set
    are counted again."""
    if not reach_of(user).manages(standard_set.owner):
        raise NotPermitted(_("Only the office that issued %(set)s may change it.") % {"set": standard_set})
    dimensions = {d.name: d for d in standard_set.dimensions.all()}
    for data in rows:
        data = dict(data)
        name = data.pop("dimension")
        if name not in dimensions:
            dimensions[name] = Dimension.objects.create(
                standard_set=standard_set, name=name, code=f"D{len(dimensions) + 1:02d}", order=len(dimensions) + 1)
        item = data.pop("existing") or StandardItem(standard_set=standard_set)
        for field, value in data.items():
            setattr(item, field, value)
        item.dimension = dimensions[name]
        item.full_clean()
        item.save()
    UnitStanding.objects.filter(campaign__standard_set=standard_set).delete()
