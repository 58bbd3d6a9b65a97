import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from checklists.models import ChecklistItem, Evidence, ItemStatus, Unit
from checklists.selectors.statistics import approximate

from . import factories as f


def test_one_item_per_unit_measure_and_period_is_enforced_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ChecklistItemFactory(campaign=world.campaign, unit=world.unit_a, standard_item=world.standard_item)


def test_progress_over_100_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistItem.objects.filter(pk=world.item_a.pk).update(progress=101)


def test_evidence_needs_exactly_one_owner(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(unit=world.unit_a, file=SimpleUploadedFile("a.pdf", b"x"), name="a.pdf",
                                uploaded_by=world.liaison_a)


def test_a_subtree_is_one_indexed_prefix_query(world):
    with CaptureQueriesContext(connection) as queries:
        names = set(Unit.objects.subtree(world.county_x).values_list("name", flat=True))
    assert names == {"甲县", "甲县组织部", "甲县司法局"}
    assert len(queries) == 1 and "LIKE" in queries[0]["sql"].upper()


def test_an_item_is_overdue_when_past_due_and_not_done(world):
    item = world.item_a
    item.due_date = datetime.date(2000, 1, 1)
    assert item.is_overdue
    item.status = ItemStatus.SUBMITTED
    assert not item.is_overdue
    item.status, item.due_date = ItemStatus.DRAFT, datetime.date(2999, 1, 1)
    assert not item.is_overdue


@pytest.mark.parametrize("number, headcount, shown", [
    (546, False, "540余"), (806, False, "800余"), (50312, True, "5万余"), (356, False, "350余"),
    (83, True, "80余"), (243, False, "240余"), (52, False, "52"), (36, False, "36"), (86, False, "86"),
    (99, False, "99"), (30, False, "30"), (200, False, "200"), (100, False, "100"), (8, False, "8"),
    (4, True, "4"), (10, True, "10"), (15, True, "10余"), (123456, False, "12万余"), (20000, True, "2万"),
])
def test_report_rounding(number, headcount, shown):
    """Exact when round or under 100; a headcount of ten or more, and any count from 100 on, N余."""
    assert approximate(number, headcount=headcount) == shown


def test_for_user_reaches_the_subtree_for_office_and_the_unit_for_liaison(world):
    assert set(Unit.objects.for_user(world.office_x)) == {world.county_x, world.unit_a, world.unit_b}
    assert set(Unit.objects.for_user(world.liaison_a)) == {world.unit_a}
    assert set(ChecklistItem.objects.for_user(world.office_y)) == {world.item_c}
    assert not ChecklistItem.objects.for_user(f.UserFactory(username="nobody")).exists()


def test_who_keeps_which_ledger(world):
    from checklists.models import LedgerKind, Unit, reach_of

    liaison, office, outsider = (reach_of(user) for user in (world.liaison_a, world.office_x, world.office_y))
    assert liaison.may_keep_ledger(world.unit_a, LedgerKind.TRAINING)
    assert not liaison.may_keep_ledger(world.unit_a, LedgerKind.VISIT)  # visits are the office's
    assert not liaison.may_keep_ledger(world.unit_b, LedgerKind.TRAINING)
    assert office.may_keep_ledger(world.unit_b, LedgerKind.VISIT) and office.may_keep_ledger(world.unit_a, "meeting")
    assert not outsider.may_keep_ledger(world.unit_a, LedgerKind.TRAINING)
    for reach, user in ((liaison, world.liaison_a), (office, world.office_x)):
        for kind in (LedgerKind.TRAINING, LedgerKind.VISIT):
            listed = set(Unit.objects.for_user(user).filter(reach.q_keeps_ledger(kind)))
            assert listed == {u for u in Unit.objects.all() if reach.may_keep_ledger(u, kind)}, (user, kind)


def test_the_whole_trees_office_reads_without_a_reach_filter_and_never_past_its_tree(world):
    """The city office reaches the only tree there is: its rows need no join on the unit path. A unit
    outside its tree (a second root) makes the filter come back."""
    from checklists.models import reach_of

    query = str(ChecklistItem.objects.for_user(world.office_city).query)
    assert "path" not in query.lower()
    assert ChecklistItem.objects.for_user(world.office_city).count() == ChecklistItem.objects.count()
    elsewhere = f.unit("外市")  # another root
    outsider = f.unit("外市某局", elsewhere, code="OUT1")
    world.office_city = type(world.office_city).objects.get(pk=world.office_city.pk)  # a new request's reach
    assert reach_of(world.office_city).root_path == ""
    assert outsider not in Unit.objects.for_user(world.office_city)
    assert "path" in str(ChecklistItem.objects.for_user(world.office_city).query).lower()
    assert set(Unit.objects.for_user(world.office_x)) == {world.county_x, world.unit_a, world.unit_b}


@pytest.mark.parametrize("database_functions", [True, False])
def test_year_month_is_the_local_month_of_a_moment(world, monkeypatch, database_functions):
    """A review at 00:30 on 1 February in Shanghai is February's, though it is still 31 January in UTC;
    alike whether SQLite's own functions or Django's are used."""
    from checklists.models import expressions

    monkeypatch.setattr(expressions, "_c_library_in_current_zone", lambda: database_functions)
    moment = datetime.datetime(2024, 1, 31, 16, 30, tzinfo=datetime.timezone.utc)
    ChecklistItem.objects.filter(pk=world.item_a.pk).update(reviewed_at=moment, due_date=datetime.date(2024, 1, 31))
    months = ChecklistItem.objects.filter(pk=world.item_a.pk).values_list(
        expressions.YearMonth("reviewed_at"), expressions.YearMonth("due_date")).get()
    assert [month[:7] for month in months] == ["2024-02", "2024-01"]
