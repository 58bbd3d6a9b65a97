"""The year's turn: next year's task list from this one (the preview first, nothing written until the
office confirms; the command the same), on the same standard set or a revised version of it."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from checklists import services
from checklists.models import Campaign, ChecklistItem, StandardItem, Task, years_later
from checklists.selectors.year_turn import campaign_copy_plan

from . import factories as f

TASK_FIELDS = ["title", "measures", "leader_in_charge", "lead_department_id", "deadline_text", "section", "note"]


def tasks_of(campaign):
    return {task.number: task for task in campaign.tasks.prefetch_related("responsible_units")}


def items_of(campaign, year_from=None, year_to=None):
    """(unit, measure code, period) of each item, the period's year written as `year_to`."""
    return {(unit_id, code, period.replace(str(year_from), str(year_to)) if year_from else period)
            for unit_id, code, period in campaign.items.values_list("unit_id", "standard_item__code", "period")}


def test_the_demo_2023_list_copied_to_2024_has_the_same_tasks_a_year_on_and_the_same_items(db):
    call_command("load_demo", stdout=io.StringIO())
    old = Campaign.objects.get(year=2023)
    plan, created = services.campaign_copy(campaign=old, year=2024)
    new = plan.campaign
    assert new.name == "2024年清廉机关建设任务清单" and new.copied_from == old and new.standard_set == old.standard_set
    assert (new.period_start, new.period_end) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    before, after = tasks_of(old), tasks_of(new)
    assert sorted(before) == sorted(after) and len(after) > 20
    for number, task in before.items():
        copy = after[number]
        assert [getattr(copy, name) for name in TASK_FIELDS] == [getattr(task, name) for name in TASK_FIELDS]
        assert copy.standard_item_id == task.standard_item_id
        assert copy.deadline == (task.deadline and task.deadline.replace(year=2024))
        assert {u.pk for u in copy.responsible_units.all()} == {u.pk for u in task.responsible_units.all()}
    assert any(task.responsible_units.all() for task in after.values())
    assert items_of(new) == items_of(old, 2023, 2024) and created == len(items_of(new))

    again, created_again = services.campaign_copy(campaign=old, year=2024)
    assert again.campaign == new and again.existing and created_again == 0 and again.tasks == []
    assert Campaign.objects.filter(copied_from=old).count() == 1 and new.tasks.count() == len(before)


@pytest.fixture
def revised(world):
    """The world's standard set with a second measure, and its next version: the first measure
    reworded, the second dropped, a third added."""
    kept = world.standard_item
    dropped = f.StandardItemFactory(standard_set=world.standard_set, dimension=kept.dimension, code="DROP")
    Task.objects.create(campaign=world.campaign, number=1, standard_item=kept, title="第一议题",
                        deadline=datetime.date(2023, 6, 30))
    Task.objects.create(campaign=world.campaign, number=2, standard_item=dropped, title="旧措施",
                        deadline_text="长期坚持")
    services.campaign_generate_items(campaign=world.campaign)
    revision = services.standard_set_revise(standard_set=world.standard_set, user=world.office_city)
    revision.items.filter(code="DROP").delete()
    revision.items.filter(code=kept.code).update(title="落实“第一议题”制度（修订）")
    f.StandardItemFactory(standard_set=revision, dimension=revision.dimensions.get(), code="NEW")
    return revision


def test_a_revised_version_records_what_it_keeps_rewords_adds_and_drops(world, revised):
    assert revised.version == world.standard_set.version + 1 and revised.revises == world.standard_set
    difference = world.standard_set.difference(revised)
    assert [(old.code, changes) for old, _new, changes in difference.reworded] == [(world.standard_item.code,
                                                                                    ["title"])]
    assert [item.code for item in difference.added] == ["NEW"]
    assert [item.code for item in difference.dropped] == ["DROP"] and difference.kept == []


def test_next_year_on_a_revised_version_has_no_items_of_the_dropped_measure_and_has_the_new_ones(world, revised):
    old_items = set(world.campaign.items.values_list("pk", "standard_item_id", "status"))
    plan, created = services.campaign_copy(campaign=world.campaign, year=2024, standard_set=revised,
                                           user=world.office_city)
    new = plan.campaign
    codes = set(new.items.values_list("standard_item__code", flat=True))
    assert codes == {world.standard_item.code, "NEW"} and created == new.items.count() == 2 * 3
    assert set(new.items.values_list("standard_item__standard_set", flat=True)) == {revised.pk}
    assert [task.number for task in plan.tasks_without_measure] == [2]
    copied = tasks_of(new)
    assert copied[1].standard_item.standard_set == revised and copied[1].deadline == datetime.date(2024, 6, 30)
    assert copied[2].standard_item is None and copied[2].deadline_text == "长期坚持"
    assert set(world.campaign.items.values_list("pk", "standard_item_id", "status")) == old_items


def test_the_preview_names_new_units_and_units_gone_and_writes_nothing(world, revised):
    newcomer = f.unit("甲县新设局", world.county_x, code="N")
    plan = campaign_copy_plan(campaign=world.campaign, year=2024, standard_set=revised)
    assert [unit.pk for unit in plan.units_added] == [newcomer.pk] and plan.units_left == []
    assert plan.campaign.pk is None and not plan.existing
    assert any("measure dropped: DROP" in line for line in plan.summary_lines())
    assert Campaign.objects.count() == 1 and Task.objects.count() == 2


def test_the_command_previews_with_dry_run_then_writes(world, revised):
    out = io.StringIO()
    call_command("campaign_copy", "--from", str(world.campaign.pk), "--year", "2024", "--dry-run", stdout=out)
    assert "task 1: 第一议题" in out.getvalue() and Campaign.objects.count() == 1
    call_command("campaign_copy", "--from", world.campaign.name, "--year", "2024", "--standard-set",
                 str(revised.pk), stdout=out)
    assert Campaign.objects.get(year=2024).items.count() == 6
    with pytest.raises(CommandError, match="2023之后"):
        call_command("campaign_copy", "--from", str(world.campaign.pk), "--year", "2023")
    with pytest.raises(CommandError, match="--standard-set"):
        call_command("campaign_copy", "--from", str(world.campaign.pk), "--year", "2025", "--standard-set", "x")


def test_the_office_previews_in_the_admin_then_confirms(client, world, revised):
    url = reverse("admin:checklists_campaign_next_year", args=[world.campaign.pk])
    client.force_login(world.office_city)
    page = client.get(url)
    assert page.status_code == 200 and page.context["plan"].campaign.standard_set == revised  # the newest version
    assert "旧措施" in page.content.decode() and Campaign.objects.count() == 1
    bad = client.post(url, {"year": "2022", "standard_set": revised.pk, "confirm": "1"})
    assert bad.status_code == 200 and bad.context["form"].errors["year"] and Campaign.objects.count() == 1
    done = client.post(url, {"year": "2024", "standard_set": revised.pk, "confirm": "1"})
    new = Campaign.objects.get(year=2024)
    assert done.status_code == 302 and done.url == reverse("admin:checklists_campaign_change", args=[new.pk])
    assert new.items.count() == 6
    change = client.get(reverse("admin:checklists_campaign_change", args=[world.campaign.pk])).content.decode()
    assert url in change


def test_only_the_issuing_office_generates_next_year(client, world):
    url = reverse("admin:checklists_campaign_next_year", args=[world.campaign.pk])
    client.force_login(world.office_x)  # a county office sees the city's list but did not issue it
    assert client.get(url).status_code == 403
    assert client.post(url, {"year": "2024", "standard_set": world.standard_set.pk, "confirm": "1"}).status_code == 403
    client.force_login(world.liaison_a)
    assert client.get(url).status_code in (302, 403)
    assert Campaign.objects.count() == 1
    with pytest.raises(services.NotPermitted):
        services.campaign_copy(campaign=world.campaign, year=2024, user=world.office_x)
    with pytest.raises(services.ServiceError, match="2023之后"):  # the rule holds beside the form's range
        services.campaign_copy(campaign=world.campaign, year=2023, user=world.office_city)


def test_the_admin_shows_a_revision_beside_the_version_it_revises(client, world, revised):
    client.force_login(world.office_city)
    page = client.get(reverse("admin:checklists_standardset_difference", args=[revised.pk])).content.decode()
    assert "（修订）" in page and "DROP" in page and "NEW" in page
    assert client.get(reverse("admin:checklists_standardset_difference",
                              args=[world.standard_set.pk])).status_code == 404  # it revises nothing
    county_set = f.StandardItemFactory(dimension__standard_set__owner=world.county_x).standard_set
    county_revision = services.standard_set_revise(standard_set=county_set, user=world.office_x)
    client.force_login(world.office_y)  # another county's versions are out of its reach
    assert client.get(reverse("admin:checklists_standardset_difference", args=[county_revision.pk])).status_code == 404
    client.force_login(world.liaison_a)  # a unit reads the versions issued to it, as the set itself
    assert client.get(reverse("admin:checklists_standardset_difference", args=[county_revision.pk])).status_code == 200


def test_a_leap_day_moves_to_the_28th():
    assert years_later(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
    assert years_later(datetime.date(2023, 3, 31), 1) == datetime.date(2024, 3, 31) and years_later(None, 1) is None


def test_revising_is_the_issuing_office_s_alone(world):
    with pytest.raises(services.NotPermitted):
        services.standard_set_revise(standard_set=world.standard_set, user=world.office_x)
    assert StandardItem.objects.count() == 1 and ChecklistItem.objects.filter(campaign__year=2024).count() == 0


def test_a_list_of_that_name_and_year_not_copied_from_this_one_is_never_doubled(client, world):
    f.CampaignFactory(owner=world.city, standard_set=world.standard_set, name=world.campaign.name_for_year(2024),
                      year=2024, period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31))
    with pytest.raises(services.ServiceError, match="已存在"):
        services.campaign_copy(campaign=world.campaign, year=2024)
    with pytest.raises(CommandError, match="已存在"):
        call_command("campaign_copy", "--from", str(world.campaign.pk), "--year", "2024", stdout=io.StringIO())
    client.force_login(world.office_city)
    url = reverse("admin:checklists_campaign_next_year", args=[world.campaign.pk])
    page = client.post(url, {"year": "2024", "standard_set": world.standard_set.pk, "confirm": "1"})
    assert page.status_code == 200 and 'id="next-year-refused"' in page.content.decode()
    assert 'id="next-year-confirm' not in page.content.decode() and Campaign.objects.filter(year=2024).count() == 1


def test_the_button_is_offered_only_to_the_issuing_office(client, world):
    change = reverse("admin:checklists_campaign_change", args=[world.campaign.pk])
    link = reverse("admin:checklists_campaign_next_year", args=[world.campaign.pk])
    client.force_login(world.office_x)  # reads the city's list, may not copy it
    assert link not in client.get(change).content.decode()
    client.force_login(world.office_city)
    assert link in client.get(change).content.decode()
