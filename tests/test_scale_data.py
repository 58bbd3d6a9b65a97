import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count

from checklists.models import ChecklistItem, LedgerEntry, LedgerLink, Problem, Unit, UnitKind


def test_generate_scale_data_builds_a_city_in_every_status(db):
    call_command("generate_scale_data", units=40, quiet=True, stdout=io.StringIO())
    city = Unit.objects.get(code="SCALE")
    assert Unit.objects.filter(path__startswith=city.path, kind=UnitKind.COUNTY).count() == 10
    leaves = Unit.objects.filter(path__startswith=city.path, depth=city.depth + 2).count()
    assert leaves == 40
    statuses = set(ChecklistItem.objects.values_list("status", flat=True))
    assert {"draft", "approved"} <= statuses and len(statuses) >= 4
    assert ChecklistItem.objects.count() > 40 * 50
    assert LedgerEntry.objects.filter(kind="visit").count() == 40
    assert Problem.objects.exists() and LedgerLink.objects.exists()
    assert ChecklistItem.objects.filter(quantity_achieved__gt=0).exists()


def test_generate_scale_data_refuses_to_run_twice(db):
    call_command("generate_scale_data", units=10, quiet=True, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already"):
        call_command("generate_scale_data", units=10, quiet=True, stdout=io.StringIO())


def test_a_province_is_eleven_cities_sharing_one_task_list_each_office_in_its_own_city(db):
    from checklists.models import Campaign, ItemTransition

    call_command("generate_scale_data", units=220, cities=11, quiet=True, stdout=io.StringIO())
    cities = Unit.objects.filter(kind=UnitKind.CITY).order_by("path")
    assert cities.count() == 11 and Unit.objects.filter(kind=UnitKind.COUNTY).count() == 110
    campaign = Campaign.objects.get()
    assert set(campaign.scope_units.all()) == set(cities)
    per_city = {city.name: ChecklistItem.objects.filter(unit__path__startswith=city.path).count() for city in cities}
    assert len(set(per_city.values())) == 1 and sum(per_city.values()) == ChecklistItem.objects.count()
    assert not ChecklistItem.objects.values("unit", "standard_item", "period").annotate(
        n=Count("pk")).filter(n__gt=1).exists()
    office = User.objects.get(username="scale-office-02")
    assert {unit.path[:4] for unit in Unit.objects.for_user(office)} == {cities[1].path}
    approved = ChecklistItem.objects.filter(status="approved")
    assert ItemTransition.objects.filter(item__in=approved, to_status="approved").count() == approved.count()
