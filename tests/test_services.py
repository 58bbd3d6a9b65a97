import datetime
from decimal import Decimal

import pytest

from checklists import services
from checklists.models import (
    ChecklistItem,
    ItemStatus,
    LedgerKind,
    MeetingKind,
    ProblemStatus,
    Recurrence,
    Task,
    Unit,
)

from . import factories as f
from .conftest import make_visit


# Generating a campaign's items


def test_generation_makes_one_item_per_unit_of_the_standard_sets_kind(world):
    units = set(world.campaign.items.values_list("unit__code", flat=True))
    assert units == {"A", "B", "C"}  # organs only: not the city nor the counties


def test_generation_is_idempotent(world):
    before = ChecklistItem.objects.count()
    assert services.campaign_generate_items(campaign=world.campaign) == 0
    assert ChecklistItem.objects.count() == before


def test_a_unit_added_to_scope_later_gets_its_items(world):
    new_unit = f.unit("甲县教育局", world.county_x, code="D")
    assert services.campaign_generate_items(campaign=world.campaign) == 1
    assert world.campaign.items.filter(unit=new_unit).count() == 1


def test_quarterly_measure_gives_four_items_due_at_quarter_ends(world):
    quarterly = f.StandardItemFactory(dimension=world.standard_item.dimension, recurrence=Recurrence.QUARTERLY)
    services.campaign_generate_items(campaign=world.campaign)
    items = world.campaign.items.filter(unit=world.unit_a, standard_item=quarterly).order_by("due_date")
    assert [(i.period, i.due_date) for i in items] == [
        ("2023-Q1", datetime.date(2023, 3, 31)),
        ("2023-Q2", datetime.date(2023, 6, 30)),
        ("2023-Q3", datetime.date(2023, 9, 30)),
        ("2023-Q4", datetime.date(2023, 12, 31)),
    ]


def test_monthly_and_half_yearly_measures_follow_their_recurrence(world):
    monthly = f.StandardItemFactory(dimension=world.standard_item.dimension, recurrence=Recurrence.MONTHLY)
    half = f.StandardItemFactory(dimension=world.standard_item.dimension, recurrence=Recurrence.HALF_YEARLY)
    services.campaign_generate_items(campaign=world.campaign)
    months = world.campaign.items.filter(unit=world.unit_a, standard_item=monthly)
    assert months.count() == 12
    assert months.get(period="2023-02").due_date == datetime.date(2023, 2, 28)
    halves = world.campaign.items.filter(unit=world.unit_a, standard_item=half).order_by("due_date")
    assert [i.due_date for i in halves] == [datetime.date(2023, 6, 30), datetime.date(2023, 12, 31)]


def test_a_once_measure_is_due_at_its_tasks_deadline(world):
    once = f.StandardItemFactory(dimension=world.standard_item.dimension, recurrence=Recurrence.ONCE)
    Task.objects.create(campaign=world.campaign, number=1, standard_item=once, title=once.title,
                        deadline=datetime.date(2023, 6, 30), deadline_text="2023年6月底前")
    services.campaign_generate_items(campaign=world.campaign)
    assert world.campaign.items.get(unit=world.unit_a, standard_item=once).due_date == datetime.date(2023, 6, 30)


def test_a_tasks_responsible_units_take_its_items(world):
    only_b = f.StandardItemFactory(dimension=world.standard_item.dimension)
    task = Task.objects.create(campaign=world.campaign, number=2, standard_item=only_b, title=only_b.title)
    task.responsible_units.set([world.unit_b])
    services.campaign_generate_items(campaign=world.campaign)
    assert list(world.campaign.items.filter(standard_item=only_b).values_list("unit__code", flat=True)) == ["B"]


# The review loop


def test_submit_approve_records_who_when_and_why(world, submitted_item):
    item = services.item_approve(item=submitted_item, user=world.office_x, score=Decimal("4.5"), comment="同意")
    item.refresh_from_db()
    assert (item.status, item.score, item.reviewed_by, item.review_comment) == (
        ItemStatus.APPROVED, Decimal("4.5"), world.office_x, "同意")
    moves = [(t.from_status, t.to_status, t.by.username, t.comment) for t in item.transitions.all()]
    assert moves == [
        (ItemStatus.DRAFT, ItemStatus.SUBMITTED, "liaison_a", ""),
        (ItemStatus.SUBMITTED, ItemStatus.APPROVED, "office_x", "同意"),
    ]


def test_returned_item_goes_back_and_can_be_resubmitted(world, submitted_item):
    services.item_return(item=submitted_item, user=world.office_x, comment="缺少会议记录")
    item = ChecklistItem.objects.get(pk=submitted_item.pk)
    assert item.status == ItemStatus.RETURNED
    item = services.item_update(item=item, user=world.liaison_a, expected_version=item.version, progress=100)
    services.item_submit(item=item, user=world.liaison_a, comment="已补充")
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED
    assert item.transitions.filter(to_status=ItemStatus.RETURNED, comment="缺少会议记录").exists()


def test_approving_an_unsubmitted_item_is_refused_with_a_clear_message(world):
    with pytest.raises(services.IllegalTransition, match="不能变为“已通过”"):
        services.item_approve(item=world.item_a, user=world.office_x)
    world.item_a.refresh_from_db()
    assert world.item_a.status == ItemStatus.DRAFT
    assert not world.item_a.transitions.exists()


def test_submitting_twice_is_refused(world, submitted_item):
    with pytest.raises(services.IllegalTransition):
        services.item_submit(item=submitted_item, user=world.liaison_a)


def test_returning_needs_a_comment(world, submitted_item):
    with pytest.raises(services.ServiceError, match="意见为必填项"):
        services.item_return(item=submitted_item, user=world.office_x, comment="  ")


def test_a_score_above_the_items_points_is_refused(world, submitted_item):
    with pytest.raises(services.ServiceError, match="0 到 5"):
        services.item_approve(item=submitted_item, user=world.office_x, score=Decimal("6"))
    submitted_item.refresh_from_db()
    assert submitted_item.status == ItemStatus.SUBMITTED


@pytest.mark.parametrize("who", ["liaison_a", "viewer_x", "office_y"])
def test_only_the_office_over_the_unit_approves(world, submitted_item, who):
    with pytest.raises(services.NotPermitted):
        services.item_approve(item=submitted_item, user=getattr(world, who))


@pytest.mark.parametrize("who", ["office_x", "viewer_x", "office_y"])
def test_only_the_unit_submits_its_own_item(world, who):
    with pytest.raises(services.NotPermitted):
        services.item_submit(item=world.item_a, user=getattr(world, who))


def test_liaison_cannot_set_a_score(world):
    with pytest.raises(services.NotPermitted, match="评分"):
        services.item_update(item=world.item_a, user=world.liaison_a, expected_version=1, score=Decimal(5))


def test_a_first_edit_moves_a_draft_in_progress(world):
    item = services.item_update(item=world.item_a, user=world.liaison_a, expected_version=1, progress=40,
                                account="已召开会议")
    item.refresh_from_db()
    assert (item.status, item.progress, item.version) == (ItemStatus.IN_PROGRESS, 40, 2)


def test_a_save_over_someone_elses_is_a_conflict_and_changes_nothing(world):
    stale = ChecklistItem.objects.get(pk=world.item_a.pk)
    services.item_update(item=world.item_a, user=world.liaison_a, expected_version=1, account="第一人")
    with pytest.raises(services.EditConflict) as conflict:
        services.item_update(item=stale, user=world.leader_a, expected_version=1, account="第二人")
    assert conflict.value.current.account == "第一人"
    assert ChecklistItem.objects.get(pk=world.item_a.pk).account == "第一人"


# Ledgers count towards items


def test_linked_ledger_entries_roll_up_into_achieved_quantity(world):
    meetings = [f.LedgerEntryFactory(unit=world.unit_a, count=n) for n in (1, 2)]
    services.entry_link_items(entry=meetings[0], items=[world.item_a], user=world.liaison_a)
    services.entry_link_items(entry=meetings[1], items=[world.item_a], user=world.liaison_a)
    world.item_a.refresh_from_db()
    assert world.item_a.quantity_achieved == 3
    services.entry_link_items(entry=meetings[1], items=[], user=world.liaison_a)
    world.item_a.refresh_from_db()
    assert world.item_a.quantity_achieved == 1


def test_person_time_targets_add_up_participants(world):
    world.standard_item.measure_word = "人次"
    world.standard_item.save()
    training = f.LedgerEntryFactory(unit=world.unit_a, kind=LedgerKind.TRAINING, subkind="special_training",
                                    participants=204)
    services.entry_link_items(entry=training, items=[world.item_a], user=world.liaison_a)
    world.item_a.refresh_from_db()
    assert world.item_a.quantity_achieved == 204


def test_an_entry_counts_only_for_its_own_units_items(world):
    meeting = f.LedgerEntryFactory(unit=world.unit_a, subkind=MeetingKind.DEMOCRATIC_LIFE)
    with pytest.raises(services.ServiceError, match="只能计入本单位的事项"):
        services.entry_link_items(entry=meeting, items=[world.item_c], user=world.office_city)
    assert not meeting.items.exists()


# The problem loop


def test_problem_loop_report_then_verify_and_close(world):
    visit = make_visit(world.unit_a, world.county_x)
    problem = f.ProblemFactory(unit=world.unit_a, source=visit)
    services.problem_report_rectification(problem=problem, user=world.liaison_a, rectification="已整改")
    problem = services.problem_close(problem=problem, user=world.office_x, comment="核实销号")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.closed_by == world.office_x
    assert [t.to_status for t in problem.transitions.all()] == [ProblemStatus.REPORTED, ProblemStatus.CLOSED]


def test_problem_sent_back_opens_again_with_the_reason(world):
    problem = f.ProblemFactory(unit=world.unit_a)
    services.problem_report_rectification(problem=problem, user=world.liaison_a, rectification="已整改")
    services.problem_send_back(problem=problem, user=world.office_x, comment="整改不到位")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN
    assert problem.transitions.last().comment == "整改不到位"


def test_an_open_problem_cannot_be_closed_before_rectification(world):
    problem = f.ProblemFactory(unit=world.unit_a)
    with pytest.raises(services.IllegalTransition):
        services.problem_close(problem=problem, user=world.office_x)


def test_another_county_cannot_close_a_problem(world):
    problem = f.ProblemFactory(unit=world.unit_a)
    services.problem_report_rectification(problem=problem, user=world.liaison_a, rectification="已整改")
    with pytest.raises(services.NotPermitted):
        services.problem_close(problem=problem, user=world.office_y)


# Units


def test_unit_save_moves_a_unit_and_its_subtree(world):
    services.unit_save(unit=world.county_x, parent=world.county_y)
    moved = Unit.objects.get(pk=world.unit_a.pk)
    assert moved.path.startswith(Unit.objects.get(pk=world.county_y.pk).path)
    assert moved.depth == 4


# Unit leader sign-off


@pytest.fixture
def signoff(world):
    world.campaign.leader_signoff_required = True
    world.campaign.save()
    return world


def test_with_signoff_required_the_liaisons_submission_waits_for_the_leader(signoff):
    item = services.item_submit(item=signoff.item_a, user=signoff.liaison_a)
    assert item.status == ItemStatus.AWAITING_SIGNOFF
    with pytest.raises(services.IllegalTransition):
        services.item_approve(item=item, user=signoff.office_x)
    item = services.item_submit(item=item, user=signoff.leader_a)
    assert item.status == ItemStatus.SUBMITTED
    assert [t.by.username for t in item.transitions.all()] == ["liaison_a", "leader_a"]


def test_the_leader_sends_an_item_back_to_the_liaison_with_a_reason(signoff):
    item = services.item_submit(item=signoff.item_a, user=signoff.liaison_a)
    with pytest.raises(services.NotPermitted):
        services.item_decline_signoff(item=item, user=signoff.liaison_a, comment="x")
    item = services.item_decline_signoff(item=item, user=signoff.leader_a, comment="数据有误")
    assert item.status == ItemStatus.IN_PROGRESS
    assert item.transitions.last().comment == "数据有误"


def test_without_signoff_the_liaison_submits_straight_to_the_office(world):
    assert services.item_submit(item=world.item_a, user=world.liaison_a).status == ItemStatus.SUBMITTED


def test_only_the_issuing_office_generates_a_task_lists_items(world):
    with pytest.raises(services.NotPermitted):
        services.campaign_generate_items(campaign=world.campaign, user=world.office_x)
    assert services.campaign_generate_items(campaign=world.campaign, user=world.office_city) == 0


def test_only_a_superuser_deletes_items_and_the_standings_are_counted_again(world):
    from checklists.models import ChecklistItem, Unit, UnitStanding

    with pytest.raises(services.NotPermitted):
        services.items_delete(items=[world.item_a], user=world.office_city)
    UnitStanding.objects.fill(campaign=world.campaign, units=Unit.objects.filter(pk=world.unit_a.pk),
                              as_of=world.campaign.period_end)
    assert UnitStanding.objects.filter(unit=world.unit_a).exists()
    assert services.items_delete(items=[world.item_a], user=world.superuser) == 1
    assert not ChecklistItem.objects.filter(pk=world.item_a.pk).exists()
    assert not UnitStanding.objects.filter(unit=world.unit_a).exists()


def test_only_the_issuing_office_imports_into_a_task_list_or_a_standard_set(world):
    with pytest.raises(services.NotPermitted):
        services.task_list_import_apply(campaign=world.campaign, rows=[], user=world.office_x)
    with pytest.raises(services.NotPermitted):
        services.standard_set_import_apply(standard_set=world.standard_set, rows=[], user=world.office_x)
    services.task_list_import_apply(campaign=world.campaign, rows=[], user=world.office_city)
