import datetime
from decimal import Decimal

from checklists import selectors, services


def test_office_home_adds_up_by_county_dimension_unit_and_month(world, submitted_item):
    services.item_approve(item=submitted_item, user=world.office_x, score=Decimal("4"))
    home = selectors.office_home(user=world.office_city, campaign=world.campaign, today=datetime.date.today())
    assert (home["total"].due, home["total"].approved, home["total"].overdue) == (3, 1, 2)
    assert {(row.name, row.due, row.approved) for row in home["by_county"]} == {("甲县", 2, 1), ("乙县", 1, 0)}
    assert [(row.name, row.completion) for row in home["by_dimension"]] == [("政治建设", 33.3)]
    assert [row.name for row in home["top"]][0] == "甲县组织部"
    last = home["by_month"][-1]
    assert (last["due"], last["approved"]) == (3, 1)


def test_office_home_for_a_county_sees_only_its_county(world):
    home = selectors.office_home(user=world.office_x, campaign=world.campaign, today=datetime.date(2024, 1, 1))
    assert [row.name for row in home["by_county"]] == ["甲县"]
    assert home["unit_count"] == 2


def test_unit_home_groups_what_needs_the_unit(world):
    services.item_update(item=world.item_a, user=world.liaison_a, expected_version=1, progress=10)
    home = selectors.unit_home(user=world.liaison_a, today=datetime.date(2023, 12, 28))
    assert [item.pk for item in home["due_soon"]] == [world.item_a.pk]
    later = selectors.unit_home(user=world.liaison_a, today=datetime.date(2024, 2, 1))
    assert [item.pk for item in later["overdue"]] == [world.item_a.pk] and later["overdue_count"] == 1
