"""待办: what waits for an office, in its reach only; many items approved (each with its score, the
item's points × completion offered) or returned (one comment) at once, after a confirmation page,
through the services, all or none; a checked import carried out from the queue."""

import datetime
from decimal import Decimal

from django.urls import reverse

from checklists import services, tasks
from checklists.models import ChecklistItem, ItemStatus, ItemTransition, Job, Unit

from . import factories as f
from .test_imports import UNIT_HEADER, xlsx


def submitted_items(world, count):
    """`count` more measures in the standard set; every item of units A and B submitted."""
    for number in range(count):
        f.StandardItemFactory(standard_set=world.standard_set, dimension=world.standard_item.dimension,
                              code=f"Q{number:02d}", points=Decimal("4"), quantity_target=None, measure_word="")
    services.campaign_generate_items(campaign=world.campaign)
    liaison_b = f.member("liaison_b", world.unit_b, "liaison")
    items = list(ChecklistItem.objects.filter(unit__in=[world.unit_a, world.unit_b]).order_by("pk"))
    for item in items:
        liaison = world.liaison_a if item.unit == world.unit_a else liaison_b
        services.item_update(item=item, user=liaison, progress=50, expected_version=item.version)
        item.refresh_from_db()
        services.item_submit(item=item, user=liaison)
    services.item_submit(item=world.item_c, user=f.member("liaison_c", world.unit_c, "liaison"))
    return items


def test_the_queue_lists_what_waits_for_this_office_only(client, world):
    items = submitted_items(world, 2)
    client.force_login(world.office_x)
    page = client.get(reverse("work_queue"))
    shown = [item.pk for item, _days in page.context["submitted"]]
    assert sorted(shown) == sorted(item.pk for item in items) and world.item_c.pk not in shown
    assert "乙县组织部" not in page.content.decode()
    client.force_login(world.office_y)
    assert [item.pk for item, _days in client.get(reverse("work_queue")).context["submitted"]] == [world.item_c.pk]
    for user in (world.liaison_a, world.viewer_x, world.leader_a):
        client.force_login(user)
        assert client.get(reverse("work_queue")).status_code == 403
    client.force_login(world.office_x)
    home = client.get(reverse("home")).content.decode()
    assert 'id="home-queue"' in home and reverse("work_queue") in home


def test_bulk_approval_offers_points_times_completion_and_applies_the_scores_confirmed(client, world):
    items = submitted_items(world, 4)[:5]
    client.force_login(world.office_x)
    chosen = {"action": "approve", "item": [item.pk for item in items] + [world.item_c.pk]}
    page = client.post(reverse("bulk_review"), chosen)
    form = page.context["form"]
    assert page.status_code == 200 and [item.pk for item in form.items] == [item.pk for item in items]
    for item in items:  # 4 points × 50 % progress; 5 points × 0 of 2 meetings
        assert form[f"score_{item.pk}"].initial == (Decimal("2") if item.standard_item.code[0] == "Q" else 0)
    assert ChecklistItem.objects.filter(status=ItemStatus.APPROVED).count() == 0

    scores = {f"score_{item.pk}": str(form[f"score_{item.pk}"].initial) for item in items}
    scores[f"score_{items[0].pk}"] = "99"
    refused = client.post(reverse("bulk_review"), {**chosen, **scores, "confirm": "1"})
    assert refused.status_code == 400 and refused.context["form"].errors[f"score_{items[0].pk}"]
    assert ChecklistItem.objects.filter(status=ItemStatus.APPROVED).count() == 0

    scores[f"score_{items[0].pk}"] = "0.5"
    done = client.post(reverse("bulk_review"), {**chosen, **scores, "confirm": "1", "comment": "同意"})
    assert done.status_code == 302 and done["Location"] == f"{reverse('work_queue')}?campaign={world.campaign.pk}"
    for item in items:
        item.refresh_from_db()
        assert item.status == ItemStatus.APPROVED and item.review_comment == "同意"
        assert item.score == Decimal("0.5" if item == items[0] else scores[f"score_{item.pk}"])
    assert ItemTransition.objects.filter(to_status=ItemStatus.APPROVED, by=world.office_x).count() == 5
    world.item_c.refresh_from_db()
    assert world.item_c.status == ItemStatus.SUBMITTED


def test_bulk_return_needs_one_comment_and_returns_each(client, world):
    items = submitted_items(world, 1)[:2]
    client.force_login(world.office_x)
    chosen = {"action": "return", "item": [item.pk for item in items], "confirm": "1"}
    refused = client.post(reverse("bulk_review"), chosen)
    assert refused.status_code == 400 and "comment" in refused.context["form"].errors
    assert client.post(reverse("bulk_review"), {**chosen, "comment": "佐证材料不全"}).status_code == 302
    for item in items:
        item.refresh_from_db()
        assert (item.status, item.review_comment) == (ItemStatus.RETURNED, "佐证材料不全")
    client.force_login(world.office_y)  # another county's items are not there to choose
    response = client.post(reverse("bulk_review"), {**chosen, "comment": "x"})
    assert response.status_code == 302 and response["Location"] == reverse("work_queue")


def test_a_suggested_score_is_points_times_completion_down_to_the_half_point(world):
    item = world.item_a
    item.standard_item.points, item.standard_item.quantity_target, item.progress = Decimal("3"), None, 70
    assert item.suggested_score == Decimal("2.0")
    item.standard_item.quantity_target, item.quantity_achieved = 4, 3
    assert item.suggested_score == Decimal("2.0") and item.completion_share == Decimal("0.75")
    item.quantity_achieved = 9
    assert item.suggested_score == Decimal("3")


def test_a_checked_import_waits_in_the_queue_and_is_carried_out_from_it(client, world):
    upload = xlsx("单位", UNIT_HEADER, [["甲县新单位", "甲县", None, "机关", None, None]])
    checked = tasks.import_start(user=world.office_x, importer="units", upload=upload, dry_run=True)
    client.force_login(world.office_x)
    assert [job.pk for job in client.get(reverse("work_queue")).context["imports"]] == [checked.pk]
    assert 'id="job-confirm"' in client.get(checked.get_absolute_url()).content.decode()
    assert not Unit.objects.filter(name="甲县新单位").exists()
    response = client.post(reverse("job_confirm", args=[checked.pk]))
    carried_out = Job.objects.exclude(pk=checked.pk).get()
    assert response["Location"] == carried_out.get_absolute_url() and carried_out.result["ok"]
    assert Unit.objects.filter(name="甲县新单位").exists()
    assert client.get(reverse("work_queue")).context["imports"] == []
    client.force_login(world.office_city)  # another user's job is not theirs to carry out
    assert client.post(reverse("job_confirm", args=[checked.pk])).status_code == 404


def test_the_queue_shows_one_task_list_the_current_one_first(client, world):
    submitted_items(world, 1)
    newer = f.CampaignFactory(owner=world.city, standard_set=world.standard_set, year=2024, name="2024年任务清单",
                              period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31))
    newer.scope_units.add(world.city)
    services.campaign_generate_items(campaign=newer)
    item = ChecklistItem.objects.get(campaign=newer, unit=world.unit_a, standard_item=world.standard_item)
    services.item_submit(item=item, user=world.liaison_a)
    client.force_login(world.office_x)
    page = client.get(reverse("work_queue"))
    assert [each.pk for each, _days in page.context["submitted"]] == [item.pk]
    assert page.context["submitted_count"] == int(client.get(reverse("home")).context["awaiting_review"])
    older = client.get(reverse("work_queue"), {"campaign": world.campaign.pk}).context["submitted"]
    assert item.pk not in [each.pk for each, _days in older] and len(older) == 4
