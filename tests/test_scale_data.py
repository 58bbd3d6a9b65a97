import io

import pytest
from django.core.management import CommandError, call_command

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
