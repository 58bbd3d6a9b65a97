"""The year's turn for items left unfinished: carried into next year's list (结转) or closed as not
done, by the office over their units, all or none; the old year's figures and workbooks never move."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from checklists import selectors, services
from checklists.exports import EXPORTERS, ExportScope, render
from checklists.models import ChecklistItem, ItemStatus, YearEnd

from . import factories as f

DUE = datetime.date(2024, 3, 31)
FIXED = datetime.datetime(2024, 1, 5, 9, 0)


@pytest.fixture
def turn(world):
    """Unit A's item in progress with an account, unit B's a draft, unit C's submitted; the list copied to 2024."""
    item = services.item_update(item=world.item_a, user=world.liaison_a, expected_version=world.item_a.version,
                                progress=60, account="已召开两次专题会议")
    world.item_b = world.campaign.items.get(unit=world.unit_b)
    services.item_submit(item=world.item_c, user=f.member("liaison_c", world.unit_c, "liaison"))
    world.item_a = item
    world.next_list = services.campaign_copy(campaign=world.campaign, year=2024)[0].campaign
    return world


def bulletin_cells(world, user):
    """Every cell of the 2023 December bulletin but the line that says when it was written."""
    scope = ExportScope(user=user, campaign=world.campaign, start=datetime.date(2023, 12, 1),
                        end=datetime.date(2023, 12, 31), generated_at=FIXED)
    book = load_workbook(io.BytesIO(render(EXPORTERS["monthly"](scope))[2]))
    return {sheet.title: [row for row in sheet.iter_rows(values_only=True)] for sheet in book}


def figures(world, user):
    home = selectors.office_home(user=user, campaign=world.campaign, today=datetime.date(2023, 12, 31))
    return [home[key] for key in ("total", "by_county", "by_dimension", "top", "by_month")]


def test_carried_items_continue_next_year_and_the_old_year_does_not_move(turn):
    before = bulletin_cells(turn, turn.office_city), figures(turn, turn.office_city)
    items = ChecklistItem.objects.filter(pk__in=[turn.item_a.pk, turn.item_c.pk])
    carried = services.items_carry_over(items=items, into=turn.next_list, due_date=DUE, user=turn.office_city)
    assert (bulletin_cells(turn, turn.office_city), figures(turn, turn.office_city)) == before
    new_a = turn.next_list.items.get(carried_from=turn.item_a)
    assert new_a in carried and len(carried) == 2
    assert (new_a.unit, new_a.standard_item, new_a.period, new_a.due_date) == (
        turn.unit_a, turn.standard_item, "2023", DUE)
    assert (new_a.status, new_a.progress, new_a.account) == (ItemStatus.IN_PROGRESS, 60, "已召开两次专题会议")
    old = ChecklistItem.objects.get(pk=turn.item_a.pk)
    assert old.year_end == YearEnd.CARRIED and old.status == ItemStatus.IN_PROGRESS and old.year_end_by == turn.office_city
    assert old.history.first().year_end == YearEnd.CARRIED  # in its audit trail
    with pytest.raises(services.IllegalTransition):
        services.item_submit(item=old, user=turn.liaison_a)
    with pytest.raises(services.IllegalTransition):
        services.item_update(item=old, user=turn.liaison_a, expected_version=old.version, progress=90)
    services.item_submit(item=new_a, user=turn.liaison_a)  # the carried item goes on as any other


def test_closing_as_not_done_needs_the_reason_and_is_all_or_none(turn):
    both = ChecklistItem.objects.filter(pk__in=[turn.item_a.pk, turn.item_b.pk])
    with pytest.raises(services.ServiceError):
        services.items_close_not_done(items=both, reason="  ", user=turn.office_x)
    services.item_approve(item=services.item_submit(item=turn.item_b, user=f.member("liaison_b", turn.unit_b,
                                                                                     "liaison")), user=turn.office_x)
    with pytest.raises(services.ServiceError, match="甲县司法局.*已审核通过或已处理"):
        services.items_close_not_done(items=both, reason="机构调整", user=turn.office_x)
    assert not ChecklistItem.objects.exclude(year_end="").exists()
    done = services.items_close_not_done(items=both.exclude(pk=turn.item_b.pk), reason="机构调整", user=turn.office_x)
    assert done == 1 and ChecklistItem.objects.get(pk=turn.item_a.pk).year_end_reason == "机构调整"


def test_only_the_office_over_the_unit_settles_its_items(turn):
    mine = ChecklistItem.objects.filter(pk=turn.item_a.pk)
    for user in (turn.liaison_a, turn.office_y, turn.viewer_x):
        with pytest.raises(services.NotPermitted):
            services.items_close_not_done(items=mine, reason="无", user=user)
    with pytest.raises(services.ServiceError, match="不是由.*生成的下一年度清单"):
        services.items_carry_over(items=mine, into=turn.campaign, due_date=DUE, user=turn.office_x)
    assert not ChecklistItem.objects.exclude(year_end="").exists()


def test_a_measure_dropped_next_year_cannot_be_carried(turn):
    revision = services.standard_set_revise(standard_set=turn.standard_set)
    revision.items.all().delete()
    f.StandardItemFactory(standard_set=revision, dimension=revision.dimensions.get(), code="NEW")
    later = services.campaign_copy(campaign=turn.campaign, year=2025, standard_set=revision)[0].campaign
    with pytest.raises(services.ServiceError, match="已删除该条目"):
        services.items_carry_over(items=ChecklistItem.objects.filter(pk=turn.item_a.pk), into=later, due_date=DUE,
                                  user=turn.office_x)


def test_the_year_turn_page_counts_by_unit_and_dimension_and_carries_what_is_ticked(client, turn):
    url = f"{reverse('year_turn')}?campaign={turn.campaign.pk}"
    client.force_login(turn.office_x)
    page = client.get(url)
    assert {row["unit__name"]: row["count"] for row in page.context["by_unit"]} == {"甲县组织部": 1, "甲县司法局": 1}
    assert [row["count"] for row in page.context["by_dimension"]] == [2] and page.context["into"] == turn.next_list
    assert "乙县组织部" not in page.content.decode()
    refused = client.post(url, {"action": "close", "item": [turn.item_a.pk], "reason": ""})
    assert refused.status_code == 400 and refused.context["form"].errors["reason"]
    done = client.post(url, {"action": "carry", "item": [turn.item_a.pk], "due_date": "2024-03-31"})
    assert done.status_code == 302 and turn.next_list.items.filter(carried_from=turn.item_a).exists()
    item_page = client.get(turn.next_list.items.get(carried_from=turn.item_a).get_absolute_url()).content.decode()
    assert 'id="carried-from"' in item_page and turn.item_a.get_absolute_url() in item_page
    listed = client.get(reverse("item_list"), {"campaign": turn.next_list.pk, "unit": turn.unit_a.pk})
    assert listed.content.decode().count('<span class="badge text-bg-info">结转</span>') == 1  # the carried one only
    client.post(url, {"action": "close", "all": "1", "reason": "单位撤并", "item": []})
    assert ChecklistItem.objects.get(pk=turn.item_b.pk).year_end == YearEnd.NOT_DONE
    assert client.get(url).context["count"] == 0
    assert ChecklistItem.objects.get(pk=turn.item_c.pk).year_end == ""  # another county's, out of this office's reach


def test_the_year_turn_page_is_for_offices(client, turn):
    for user in (turn.liaison_a, turn.leader_a, turn.viewer_x):
        client.force_login(user)
        assert client.get(reverse("year_turn")).status_code == 403
        assert client.post(reverse("year_turn"), {"action": "close", "all": "1", "reason": "x"}).status_code == 403
    assert not ChecklistItem.objects.exclude(year_end="").exists()


def test_a_refused_choice_keeps_the_ticks_and_a_long_list_says_what_is_shown(client, turn, monkeypatch):
    from checklists.views import year_turn

    url = f"{reverse('year_turn')}?campaign={turn.campaign.pk}"
    client.force_login(turn.office_x)
    refused = client.post(url, {"action": "close", "item": [turn.item_b.pk], "reason": ""})
    assert f'value="{turn.item_b.pk}" aria-label="{turn.item_b}" checked' in refused.content.decode()
    monkeypatch.setattr(year_turn, "SHOWN", 1)
    page = client.get(url).content.decode()
    assert 'id="year-turn-more"' in page
    chosen = client.get(f"{url}&unit={turn.unit_a.pk}")
    assert chosen.context["chosen"] == "甲县组织部" and 'id="year-turn-more"' not in chosen.content.decode()
