"""Figures that do not move: a period's figures are computed as the items stood at the period's end
(their workflow moves and history), so a past period exported again gives the same numbers however
its items changed since; and the period's days are local days (Asia/Shanghai)."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from checklists import services
from checklists.exports import EXPORTERS, ExportScope, render
from checklists.models import ChecklistItem, ItemStatus, ItemTransition, Recurrence

from . import factories as f


def exported(world, kind, period):
    start, end = EXPORTERS[kind].period_bounds(period)
    scope = ExportScope(user=world.office_city, campaign=world.campaign, start=start, end=end)
    book = load_workbook(io.BytesIO(render(EXPORTERS[kind](scope))[2]))
    return {sheet.title: [row for row in sheet.iter_rows(min_row=3, values_only=True)] for sheet in book.worksheets}


def test_may_exported_again_after_julys_changes_gives_the_same_figures(world):
    monthly = f.StandardItemFactory(standard_set=world.standard_set, dimension=world.standard_item.dimension,
                                    code="M01", recurrence=Recurrence.MONTHLY)
    services.campaign_generate_items(campaign=world.campaign)
    january, february, march = (world.campaign.items.get(unit=world.unit_a, standard_item=monthly, period=p)
                                for p in ("2023-01", "2023-02", "2023-03"))
    for item in (january, february, march):
        services.item_submit(item=item, user=world.liaison_a)
    for item in (january, february):
        services.item_approve(item=ChecklistItem.objects.get(pk=item.pk), user=world.office_x, score=Decimal("4"))
    f.backdate([january, february, march], timezone.make_aware(datetime.datetime(2023, 5, 10, 10, 0)))

    may = exported(world, "monthly", "2023-05")
    spring = exported(world, "bimonthly", "2023-04")
    units = {row[1]: row for row in may["单位"] if row and row[1]}
    assert units["甲县组织部"][4:6] == (5, 2) and units["甲县组织部"][8] == 1  # due, approved; April overdue

    # July: January returned, March approved, February scored again; then May again.
    services.item_return(item=ChecklistItem.objects.get(pk=january.pk), user=world.office_x, comment="补材料")
    services.item_approve(item=ChecklistItem.objects.get(pk=march.pk), user=world.office_x, score=Decimal("5"))
    february = ChecklistItem.objects.get(pk=february.pk)
    services.item_update(item=february, user=world.office_x, expected_version=february.version, score=Decimal("1"))
    assert ChecklistItem.objects.get(pk=january.pk).status == ItemStatus.RETURNED

    assert exported(world, "monthly", "2023-05") == may
    assert exported(world, "bimonthly", "2023-04") == spring
    now = exported(world, "monthly", f"{timezone.localdate():%Y-%m}")
    assert now["单位"] != may["单位"]  # today's figures do see July


def test_a_move_at_half_past_midnight_on_monday_in_beijing_is_mondays(world, monkeypatch):
    monday_0030 = datetime.datetime(2026, 11, 29, 16, 30, tzinfo=datetime.timezone.utc)  # 2026-11-30 00:30 +08
    monkeypatch.setattr(timezone, "now", lambda: monday_0030)
    assert timezone.localdate() == datetime.date(2026, 11, 30)
    weekly = EXPORTERS["weekly"]
    assert weekly.period_bounds(weekly.period_of(timezone.localdate())) == (
        datetime.date(2026, 11, 30), datetime.date(2026, 12, 6))
    item = services.item_submit(item=world.item_a, user=world.liaison_a)
    ItemTransition.objects.filter(item=item).update(at=monday_0030)  # a field's default was bound at import
    this_week = exported(world, "weekly", "2026-11-30")["本周进展"]
    assert [row[0] for row in this_week if row and row[1] == "甲县组织部"] == [datetime.datetime(2026, 11, 30)]
    last_week = exported(world, "weekly", "2026-11-29")["本周进展"]
    assert not [row for row in last_week if row and row[1] == "甲县组织部"]


def test_a_score_corrected_later_on_an_item_loaded_in_bulk_leaves_the_past_alone(world):
    """An item loaded approved (its history written at loading, after the period) keeps the score it
    was loaded with in a past period when an office corrects the score today."""
    item = world.item_a
    ChecklistItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.APPROVED, score=Decimal("4"), reviewed_at=timezone.make_aware(datetime.datetime(2023, 12, 5)))
    ChecklistItem.history.filter(id=item.pk).delete()
    item = ChecklistItem.objects.get(pk=item.pk)
    item.save()  # the record loading writes, today
    december = exported(world, "monthly", "2023-12")
    assert [row[7] for row in december["单位"] if row and row[1] == "甲县组织部"] == [4.0]
    services.item_update(item=item, user=world.office_x, expected_version=item.version, score=Decimal("1"))
    assert exported(world, "monthly", "2023-12") == december


def test_each_months_share_is_the_items_as_they_stood_at_its_end(world):
    """The bimonthly trend, counted in SQL from the moves, says for every month what counting the items
    as they stood at its end says: approved late, approved before the item fell due, returned and
    approved again, and approved in bulk with no move recorded."""
    from checklists.selectors import completion_by_month

    monthly = f.StandardItemFactory(standard_set=world.standard_set, dimension=world.standard_item.dimension,
                                    code="M01", recurrence=Recurrence.MONTHLY)
    services.campaign_generate_items(campaign=world.campaign)
    items = {p: world.campaign.items.get(unit=world.unit_a, standard_item=monthly, period=p)
             for p in ("2023-01", "2023-02", "2023-03", "2023-04")}

    def at(month, day):
        return timezone.make_aware(datetime.datetime(2023, month, day, 10, 0))

    def move(item, to_status, moment, **fields):
        item = ChecklistItem.objects.get(pk=item.pk)
        getattr(services, {"submitted": "item_submit", "approved": "item_approve", "returned": "item_return"}[
            to_status])(item=item, user=world.liaison_a if to_status == "submitted" else world.office_x, **fields)
        ItemTransition.objects.filter(item=item, to_status=to_status, at__gt=at(12, 31)).update(at=moment)

    move(items["2023-01"], "submitted", at(2, 1))
    move(items["2023-01"], "approved", at(2, 10))  # late
    move(items["2023-01"], "returned", at(4, 3), comment="补材料")
    move(items["2023-01"], "submitted", at(5, 1))
    move(items["2023-01"], "approved", at(6, 2))  # again
    move(items["2023-02"], "submitted", at(1, 15))
    move(items["2023-02"], "approved", at(1, 20))  # before it fell due
    ChecklistItem.objects.filter(pk=items["2023-03"].pk).update(  # loaded in bulk, approved, no move
        status=ItemStatus.APPROVED, reviewed_at=at(3, 31).replace(hour=23), submitted_at=at(3, 30))

    every = ChecklistItem.objects.filter(campaign=world.campaign)
    months = [datetime.date(2023, month, 1) for month in range(1, 13)]
    shares = completion_by_month(every, "standard_item__dimension__name", months)[world.standard_item.dimension.name]
    for month, share in zip(months, shares):
        end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        due = every.filter(due_date__lte=end)
        approved = due.as_of(end).filter(status_then=ItemStatus.APPROVED).count()
        assert share == (approved / due.count() if due.count() else None), month
    assert len({share for share in shares if share is not None}) > 3
