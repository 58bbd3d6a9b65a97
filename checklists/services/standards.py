"""Standard sets, their dimensions and items: changed only by the office that issued the set, and the
standings of every task list on a set counted again when its measures move."""

from django.db import transaction
from django.db.models import Max

from ..models import Dimension, StandardItem, StandardSet, UnitStanding
from .issued import check_issuer


@transaction.atomic
def standard_set_import_apply(*, standard_set: StandardSet, rows, user) -> None:
    """Create or change the set's items from checked rows (each a dict of the item's fields, its
    dimension's name and the item it changes, if any); the standings of every task list on the set
    are counted again."""
    check_issuer(standard_set, user, _set_of)
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
    _standings_forget(standard_set)


def _set_of(record) -> StandardSet:
    return record if isinstance(record, StandardSet) else record.standard_set


def _standings_forget(standard_set) -> None:
    UnitStanding.objects.filter(campaign__standard_set=standard_set).delete()


@transaction.atomic
def standard_record_save(*, record, user) -> None:
    """Save a standard set, a dimension or a standard item as the office that issued the set; the task
    lists on the set count their standings again (a measure's dimension may have moved)."""
    check_issuer(record, user, _set_of)
    record.save()
    _standings_forget(_set_of(record))


@transaction.atomic
def standard_record_delete(*, record, user) -> None:
    """Delete a standard set, a dimension or a standard item not in use (items and task lists protect
    what they were made from)."""
    check_issuer(record, user, _set_of)
    standard_set = _set_of(record)
    record.delete()
    if standard_set.pk is not None:
        _standings_forget(standard_set)


@transaction.atomic
def standard_set_revise(*, standard_set: StandardSet, user=None) -> StandardSet:
    """The set's next version, to be reworded where it changes: its dimensions and measures copied, each
    measure under its code (how `StandardSet.difference` tells what the revision keeps, rewords, adds and
    drops); the task lists on the old version keep it."""
    if user is not None:
        check_issuer(standard_set, user, _set_of)
    newest = StandardSet.objects.filter(owner=standard_set.owner, name=standard_set.name).aggregate(
        newest=Max("version"))["newest"]
    revision = StandardSet.objects.create(
        owner=standard_set.owner, name=standard_set.name, version=newest + 1, unit_kind=standard_set.unit_kind,
        description=standard_set.description, revises=standard_set)
    dimensions = {}
    for dimension in standard_set.dimensions.all():
        dimensions[dimension.pk] = Dimension.objects.create(
            standard_set=revision, code=dimension.code, name=dimension.name, slogan=dimension.slogan,
            order=dimension.order)
    copied = ["code", "order", *(name for name in StandardItem.COMPARED_FIELDS if name != "dimension")]
    for item in standard_set.items.all():
        StandardItem.objects.create(standard_set=revision, dimension=dimensions[item.dimension_id],
                                    **{name: getattr(item, name) for name in copied})
    return revision
