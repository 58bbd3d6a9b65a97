from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import selectors, services
from checklists.models import UnitStanding

from . import factories as f


@pytest.fixture
def scored(world, submitted_item):
    services.item_approve(item=submitted_item, user=world.office_x, score=Decimal("4.5"))
    return world


def rows(response):
    return [(row.record.code, row.record.rank, row.record.completion) for row in response.context["table"].page]


def test_units_are_ranked_by_score_with_their_completion(client, scored):
    client.force_login(scored.office_city)
    response = client.get(reverse("unit_list"))
    assert rows(response) == [("A", 1, 100.0), ("B", 2, 0.0), ("C", 2, 0.0)]
    assert "text-bg-success" in response.content.decode()


def test_rating_filter_keeps_the_red_units(client, scored):
    client.force_login(scored.office_city)
    response = client.get(reverse("unit_list"), {"rag": "red"})
    assert {code for code, _, _ in rows(response)} == {"B", "C"}


def test_a_filter_shows_fewer_units_with_the_ranks_they_have_among_all(client, scored):
    client.force_login(scored.office_city)
    response = client.get(reverse("unit_list"), {"rag": "red"})
    shown = [cell for cell in response.content.decode().split('data-label="排名"')[1:]]
    assert [cell.split(">")[1].split("<")[0] for cell in shown] == ["2", "2"]  # not 1 among the two shown


def test_a_liaison_ranks_only_its_own_unit(client, scored):
    client.force_login(scored.liaison_a)
    assert [code for code, _, _ in rows(client.get(reverse("unit_list")))] == ["A"]


def test_unit_scores_count_only_the_campaigns_items_due_so_far(scored):
    later = f.StandardItemFactory(dimension=scored.standard_item.dimension)
    services.campaign_generate_items(campaign=scored.campaign)
    scored.campaign.items.filter(standard_item=later).update(due_date="2999-12-31")
    units = {u.code: u for u in selectors.unit_scores(user=scored.office_city, campaign=scored.campaign)}
    assert (units["A"].due, units["A"].approved, units["A"].score) == (1, 1, Decimal("4.5"))


@pytest.mark.parametrize("cold", [False, True], ids=["standings-kept", "standings-counted"])
def test_the_unit_list_runs_a_fixed_number_of_queries(client, scored, cold):
    client.force_login(scored.office_city)

    def measure():
        client.get(reverse("unit_list"))
        if cold:
            UnitStanding.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("unit_list"))
        return queries

    small = measure()
    for n in range(30):
        f.unit(f"甲县单位{n}", scored.county_x)
    services.campaign_generate_items(campaign=scored.campaign)
    large = measure()
    assert len(large) == len(small)
