"""The office overview's counts: each counted once a request, the same numbers as the lists they open,
and narrowed to the units an office manages only where it reaches more than it manages."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checklists import selectors, services
from checklists.models import Membership, ProblemStatus, Role, reach_of
from checklists.selectors import queue as queue_selectors
from checklists.selectors.reminders import badge_count

from . import factories as f


def late_problems(world, unit, count):
    today = timezone.localdate()
    return [f.ProblemFactory(unit=unit, found_on=today - datetime.timedelta(days=30),
                             deadline=today - datetime.timedelta(days=1)) for _ in range(count)]


def test_the_badge_and_the_overview_count_problems_past_deadline_once(client, world):
    late_problems(world, world.unit_a, 2)
    late_problems(world, world.unit_c, 1)  # another county's
    f.ProblemFactory(unit=world.unit_b, deadline=timezone.localdate() + datetime.timedelta(days=5))
    client.force_login(world.office_x)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home"))
    assert page.context["problems"]["past_deadline"] == 2
    counted = [q["sql"] for q in queries.captured_queries
               if 'FROM "checklists_problem"' in q["sql"] and '"deadline" <' in q["sql"]]
    assert len(counted) == 1, counted
    assert page.context["reminder_count"] == badge_count(world.office_x)  # (a fresh user object counts anew)

    client.force_login(world.office_y)  # a page without the overview counts on its own
    assert client.get(reverse("item_list")).context["reminder_count"] == badge_count(world.office_y)
    assert badge_count(world.office_y) >= 1


def test_an_office_that_manages_all_it_reaches_counts_items_awaiting_review_once(client, world):
    services.item_submit(item=world.item_a, user=world.liaison_a)
    client.force_login(world.office_x)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home"))
    assert page.context["awaiting_review"] == page.context["queue"]["submitted_count"] == 1
    counts = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith("SELECT COUNT(*)") and "'submitted'" in q["sql"]]
    assert len(counts) == 1, counts


def test_an_office_that_also_views_another_county_reviews_only_its_own(client, world):
    services.item_submit(item=world.item_a, user=world.liaison_a)
    services.item_submit(item=world.item_c, user=f.member("liaison_c", world.unit_c, Role.LIAISON))
    Membership.objects.create(user=world.office_x, unit=world.county_y, role=Role.VIEWER)
    assert not reach_of(world.office_x).manages_all_reached
    client.force_login(world.office_x)
    page = client.get(reverse("home"))
    assert page.context["awaiting_review"] == 2  # the tile: every item in reach, as its list shows
    assert page.context["queue"]["submitted_count"] == 1  # 待办: this office's own review only
    assert [item.pk for item in page.context["queue"]["submitted"]] == [world.item_a.pk]


def test_who_manages_all_they_reach(world):
    assert reach_of(world.office_x).manages_all_reached and reach_of(world.superuser).manages_all_reached
    assert not reach_of(world.viewer_x).manages_all_reached
    assert not reach_of(world.liaison_a).manages_all_reached
    Membership.objects.create(user=world.office_y, unit=world.unit_a, role=Role.LIAISON)
    assert not reach_of(world.office_y).manages_all_reached


def test_rectifications_to_verify_are_counted_only_past_what_is_shown(world, monkeypatch):
    monkeypatch.setattr(queue_selectors, "REPORTED_SHOWN", 2)
    for problem in late_problems(world, world.unit_a, 3):
        problem.status = ProblemStatus.REPORTED
        problem.save()
    queue = selectors.work_queue(user=world.office_x, campaign=world.campaign)
    assert queue["reported_count"] == 3 and len(queue["reported"]) == 2
    with CaptureQueriesContext(connection) as queries:
        queue = selectors.work_queue(user=world.office_y, campaign=world.campaign)
    assert queue["reported_count"] == 0 and queue["reported"] == []
    assert not [q for q in queries.captured_queries
                if q["sql"].startswith("SELECT COUNT(*)") and "'reported'" in q["sql"]]


def test_the_overview_s_problem_figures_follow_every_change_of_a_problem_or_a_unit(client, world):
    client.force_login(world.office_x)
    figures = lambda: client.get(reverse("home")).context["problems"]  # noqa: E731
    assert figures() == {"found": 0, "closed": 0, "past_deadline": 0}
    problem = late_problems(world, world.unit_a, 1)[0]
    assert figures() == {"found": 1, "closed": 0, "past_deadline": 1}
    services.problem_report_rectification(problem=problem, user=world.liaison_a, rectification="已整改")
    services.problem_close(problem=problem, user=world.office_x)
    assert figures() == {"found": 1, "closed": 1, "past_deadline": 0}
    late_problems(world, world.unit_c, 1)  # another county's
    assert figures()["found"] == 1
    services.unit_save(unit=world.unit_c, parent=world.county_x, user=world.office_city)  # moved into reach
    assert figures() == {"found": 2, "closed": 1, "past_deadline": 1}
