"""Factories for the test world; every test builds its records through these."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from checklists.models import (
    Campaign,
    ChecklistItem,
    Dimension,
    LedgerEntry,
    LedgerKind,
    MeetingKind,
    Membership,
    Problem,
    StandardItem,
    StandardSet,
    Unit,
    UnitKind,
)


def unit(name, parent=None, kind=UnitKind.ORGAN, **fields):
    instance = Unit(name=name, kind=kind, **fields)
    if parent is None:
        return Unit.objects.add_root(instance=instance)
    return Unit.objects.add_child(parent, instance=instance)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("pw")


def member(username, unit, role):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


class StandardSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardSet

    name = factory.Sequence(lambda n: f"标准{n}")
    unit_kind = UnitKind.ORGAN


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension

    standard_set = factory.SubFactory(StandardSetFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    name = "政治建设"


class StandardItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardItem

    standard_set = factory.SelfAttribute("dimension.standard_set")
    dimension = factory.SubFactory(DimensionFactory)
    code = factory.Sequence(lambda n: f"S{n:03d}")
    title = "落实“第一议题”制度"
    measure_kind = "meeting"
    recurrence = "yearly"
    quantity_target = 2
    measure_word = "次"
    points = Decimal("5")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"2023年任务清单{n}")
    year = 2023
    period_start = datetime.date(2023, 1, 1)
    period_end = datetime.date(2023, 12, 31)


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    period = "2023"
    period_start = datetime.date(2023, 1, 1)
    period_end = datetime.date(2023, 12, 31)
    due_date = datetime.date(2023, 12, 31)


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    kind = LedgerKind.MEETING
    subkind = MeetingKind.THREE_MEETINGS
    title = "“三会一课”"
    occurred_on = datetime.date(2023, 3, 1)


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem

    description = "台账不完整"
    found_on = datetime.date(2023, 4, 1)
    deadline = datetime.date(2023, 5, 1)


def backdate(records, moment):
    """Items or problems as if their workflow moves (and the history they wrote) happened at `moment`."""
    from checklists.models import ChecklistItem, ItemTransition, Problem, ProblemTransition

    items = [record.pk for record in records if isinstance(record, ChecklistItem)]
    problems = [record.pk for record in records if isinstance(record, Problem)]
    ItemTransition.objects.filter(item_id__in=items).update(at=moment)
    ChecklistItem.history.filter(id__in=items).update(history_date=moment)
    ChecklistItem.objects.filter(pk__in=items, submitted_at__isnull=False).update(submitted_at=moment)
    ChecklistItem.objects.filter(pk__in=items, reviewed_at__isnull=False).update(reviewed_at=moment)
    ProblemTransition.objects.filter(problem_id__in=problems).update(at=moment)
    Problem.objects.filter(pk__in=problems, closed_at__isnull=False).update(closed_at=moment)
