"""The units' standings must always say what counting the items says."""

import datetime
import io
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from checklists import selectors, services
from checklists.models import ChecklistItem, ItemStatus, Unit, UnitStanding
from checklists.selectors.figures import merge_outside

from . import factories as f


def monthly_completion(items, today):
    """Month by month from the items themselves: due by each month's end, approved by then."""
    due = dict(items.annotate(month=TruncMonth("due_date")).values("month").annotate(n=Count("pk"))
               .values_list("month", "n"))
    approved = dict(items.filter(status=ItemStatus.APPROVED).annotate(month=TruncMonth("reviewed_at"))
                    .values("month").annotate(n=Count("pk")).values_list("month", "n"))
    approved = {(m.date() if hasattr(m, "date") else m): n for m, n in approved.items() if m}
    return selectors.cumulative_completion(due, approved, today)


def rows_by(queryset, key, names, today):
    """Rows by `key` counted straight from the items, each with its status and score as of `today`."""
    rows = queryset.as_of(today).values(key=key).annotate(
        due=Count("pk"),
        approved=Count("pk", filter=Q(status_then=ItemStatus.APPROVED)),
        submitted=Count("pk", filter=Q(status_then=ItemStatus.SUBMITTED)),
        overdue=Count("pk", filter=ChecklistItem.overdue_q(today, status="status_then")),
        score=Sum("score_then"),
    ).order_by("key")
    return [selectors.Row(row["key"], names.get(row["key"], row["key"]), row["due"], row["approved"],
                          row["submitted"], row["overdue"], float(row["score"] or 0)) for row in rows]


def county_totals(items, units, today):
    counties = units.county_names()
    return merge_outside(rows_by(items, Substr("unit__path", 1, 2 * Unit.steplen), counties, today), counties)


def counted(user, campaign, today):
    """The dashboard's figures counted straight from the items."""
    items = selectors.campaign_items_due(user=user, campaign=campaign, today=today)
    by_unit = rows_by(items, F("unit"), {}, today)
    return {
        "county": [(r.name, r.due, r.approved, r.submitted, r.overdue, r.score)
                   for r in county_totals(items, Unit.objects.for_user(user), today)],
        "dimension": sorted((r.name, r.due, r.approved, r.submitted, r.overdue, r.score) for r in
                            rows_by(items, F("standard_item__dimension__name"), {}, today)),
        "unit": sorted((r.key, r.due, r.approved, r.overdue, r.score) for r in by_unit),
        "month": monthly_completion(items, today),
    }


def shown(user, campaign, today):
    home = selectors.office_home(user=user, campaign=campaign, today=today)
    ranking = selectors.unit_scores(user=user, campaign=campaign, today=today)
    return {
        "county": [(r.name, r.due, r.approved, r.submitted, r.overdue, r.score) for r in home["by_county"]],
        "dimension": sorted((r.name, r.due, r.approved, r.submitted, r.overdue, r.score) for r in home["by_dimension"]),
        "unit": sorted((u.pk, u.due, u.approved, u.overdue, float(u.score)) for u in ranking),
        "month": home["by_month"],
    }


def assert_agree(world, today):
    for user in (world.office_city, world.office_x):
        assert shown(user, world.campaign, today) == counted(user, world.campaign, today)


def test_standings_agree_with_the_items_through_every_change(world):
    today = datetime.date(2024, 2, 1)
    second = f.StandardItemFactory(dimension=f.DimensionFactory(standard_set=world.standard_set, name="作风建设"))
    services.campaign_generate_items(campaign=world.campaign)
    assert_agree(world, today)
    item = services.item_submit(item=world.item_a, user=world.liaison_a)
    assert_agree(world, today)
    services.item_approve(item=item, user=world.office_x, score=Decimal("4.5"))
    assert_agree(world, today)
    other = ChecklistItem.objects.get(unit=world.unit_a, standard_item=second)
    services.item_submit(item=other, user=world.liaison_a)
    assert_agree(world, today)
    services.item_return(item=item, user=world.office_x, comment="补充材料")
    assert_agree(world, today)
    f.unit("甲县新单位", world.county_x)
    services.campaign_generate_items(campaign=world.campaign)
    assert_agree(world, today)
    assert_agree(world, datetime.date(2023, 6, 1))


def test_a_unit_changed_while_it_is_counted_is_counted_again(world):
    """An item saved after counting began (here: stamped later) drops its unit's fresh row."""
    today = datetime.date(2024, 2, 1)
    ChecklistItem.objects.filter(pk=world.item_a.pk).update(
        updated_at=timezone.now() + datetime.timedelta(minutes=5))
    UnitStanding.objects.fill(campaign=world.campaign, units=Unit.objects.all(), as_of=today)
    counted_units = set(UnitStanding.objects.values_list("unit_id", flat=True))
    assert world.unit_a.pk not in counted_units and world.unit_b.pk in counted_units


def test_a_change_drops_only_its_units_rows(world, submitted_item):
    today = timezone.localdate()
    UnitStanding.objects.fill(campaign=world.campaign, units=Unit.objects.all(), as_of=today)
    before = set(UnitStanding.objects.values_list("unit_id", flat=True))
    services.item_approve(item=submitted_item, user=world.office_x, score=Decimal("4"))
    after = set(UnitStanding.objects.values_list("unit_id", flat=True))
    assert before - after == {world.unit_a.pk}


def test_refresh_standings_counts_every_unit_with_items_for_today(world):
    world.campaign.period_start, world.campaign.period_end = datetime.date(2000, 1, 1), datetime.date(2999, 12, 31)
    world.campaign.save()
    out = io.StringIO()
    call_command("refresh_standings", quiet=True, stdout=out)
    with_items = set(ChecklistItem.objects.values_list("unit_id", flat=True))
    assert set(UnitStanding.objects.filter(as_of=timezone.localdate()).values_list("unit_id", flat=True)) == with_items
    assert f"Counted {len(with_items)} standings" in out.getvalue()


def test_a_unit_changed_during_a_large_count_is_counted_again(world, monkeypatch):
    """Past 500 units the count reads the units through a subquery; the recheck must still see them."""
    monkeypatch.setattr("checklists.models.standings.LARGE_FILL", 1)
    test_a_unit_changed_while_it_is_counted_is_counted_again(world)
