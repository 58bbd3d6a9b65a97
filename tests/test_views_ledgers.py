"""Logging ledgers in the web app, the visit with its problems, and the problem loop."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from checklists.models import ChecklistItem, Duty, LedgerEntry, LedgerKind, Problem, ProblemStatus

from . import factories as f


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def training(world, **extra):
    return {"unit": world.unit_a.pk, "subkind": "special_training", "title": "专题培训", "occurred_on": "2023-04-14",
            "count": 1, "participants": 204, "materials": 0, "speaker": "李杰", "audience": "科级干部",
            "hours": "3", **extra}


def test_liaison_logs_a_training_that_counts_towards_an_item(client, world):
    world.standard_item.measure_word = "人次"
    world.standard_item.save()
    client.force_login(world.liaison_a)
    response = client.post(reverse("ledger_new", args=["training"]), training(
        world, items=[world.item_a.pk], files=[SimpleUploadedFile("签到表.pdf", b"%PDF")]))
    entry = LedgerEntry.objects.get(title="专题培训")
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert (entry.kind, entry.created_by, entry.speaker) == (LedgerKind.TRAINING, world.liaison_a, "李杰")
    assert ChecklistItem.objects.get(pk=world.item_a.pk).quantity_achieved == 204
    assert list(entry.evidence.values_list("name", flat=True)) == ["签到表.pdf"]
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "签到表.pdf" in page and world.standard_item.code in page


def test_a_missing_field_re_renders_with_everything_kept_and_nothing_saved(client, world):
    client.force_login(world.liaison_a)
    response = client.post(reverse("ledger_new", args=["training"]), training(world, title=""))
    assert response.status_code == 400 and "title" in response.context["form"].errors
    assert "李杰" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_another_units_item_is_not_offered_nor_accepted(client, world):
    client.force_login(world.liaison_a)
    form = client.get(reverse("ledger_new", args=["training"])).context["form"]
    assert world.item_c not in form.fields["items"].queryset
    response = client.post(reverse("ledger_new", args=["training"]), training(world, items=[world.item_c.pk]))
    assert response.status_code == 400 and "items" in response.context["form"].errors


def test_a_responsibility_list_is_saved_with_its_duties(client, world):
    client.force_login(world.leader_a)
    data = {"unit": world.unit_a.pk, "subkind": "responsibility_letter", "title": "2023年党风廉政建设责任书",
            "occurred_on": "2023-03-01", "count": 1, "participants": 0, "materials": 0,
            "duties-TOTAL_FORMS": 2, "duties-INITIAL_FORMS": 0,
            "duties-0-holder": "张某", "duties-0-position": "部长", "duties-0-is_head": "on",
            "duties-0-duties": "第一责任人", "duties-0-signed_on": "2023-03-01",
            "duties-1-holder": "", "duties-1-duties": ""}
    assert client.post(reverse("ledger_new", args=["responsibility"]), data).status_code == 302
    duty = Duty.objects.get()
    assert (duty.holder, duty.is_head, duty.responsibility_list.unit) == ("张某", True, world.unit_a)


def test_office_records_a_visit_with_several_problems(client, world):
    client.force_login(world.office_x)
    data = {"unit": world.unit_b.pk, "subkind": "routine", "title": "日常督导", "occurred_on": "2023-05-10",
            "count": 1, "participants": 0, "materials": 0, "inspector_unit": world.county_x.pk, "inspectors": "督导组",
            "problems-TOTAL_FORMS": 3, "problems-INITIAL_FORMS": 0,
            "problems-0-description": "台账不完整", "problems-0-deadline": "2023-06-10",
            "problems-1-description": "责任清单未签订", "problems-1-deadline": "",
            "problems-2-description": "", "problems-2-deadline": ""}
    response = client.post(reverse("ledger_new", args=["visit"]), data)
    assert response.status_code == 302
    problems = Problem.objects.order_by("pk")
    assert [(p.description, p.unit, str(p.found_on)) for p in problems] == [
        ("台账不完整", world.unit_b, "2023-05-10"), ("责任清单未签订", world.unit_b, "2023-05-10")]


def test_a_liaison_cannot_record_visits(client, world):
    client.force_login(world.liaison_a)
    assert client.get(reverse("ledger_new", args=["visit"])).status_code == 403


def test_viewer_cannot_log_or_edit(client, world):
    entry = f.LedgerEntryFactory(unit=world.unit_a)
    client.force_login(world.viewer_x)
    assert client.get(reverse("ledger_new", args=["meeting"])).status_code == 403
    assert client.get(reverse("ledger_edit", args=[entry.pk])).status_code == 403
    assert client.get(reverse("ledger_detail", args=[entry.pk])).status_code == 200


def test_the_problem_loop_in_the_web_app(client, world):
    problem = f.ProblemFactory(unit=world.unit_a)
    client.force_login(world.liaison_a)
    client.post(reverse("problem_report", args=[problem.pk]),
                {"rectification": "已补齐台账", "files": [SimpleUploadedFile("整改报告.pdf", b"%PDF")]})
    problem.refresh_from_db()
    assert (problem.status, problem.evidence.get().name) == (ProblemStatus.REPORTED, "整改报告.pdf")
    client.force_login(world.office_x)
    refused = client.post(reverse("problem_send_back", args=[problem.pk]), {"comment": ""})
    assert refused.status_code == 400
    client.post(reverse("problem_send_back", args=[problem.pk]), {"comment": "照片不清晰"})
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN
    client.force_login(world.liaison_a)
    client.post(reverse("problem_report", args=[problem.pk]), {"rectification": "已重新拍照"})
    client.force_login(world.office_x)
    client.post(reverse("problem_close", args=[problem.pk]), {"comment": "核实销号"})
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.closed_by == world.office_x


def test_viewer_and_office_cannot_report_a_units_rectification(client, world):
    problem = f.ProblemFactory(unit=world.unit_a)
    for user in (world.viewer_x, world.office_x):
        client.force_login(user)
        assert client.post(reverse("problem_report", args=[problem.pk]), {"rectification": "x"}).status_code == 403
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.OPEN


@pytest.mark.parametrize("name, args", [("ledger_list", ["meeting"]), ("problem_list", [])])
def test_ledger_and_problem_lists_run_a_fixed_number_of_queries(client, world, name, args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.LedgerEntryFactory(unit=world.unit_a)
    f.ProblemFactory(unit=world.unit_a)
    client.force_login(world.office_city)
    client.get(reverse(name, args=args))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(name, args=args))
    for n in range(30):
        unit = f.unit(f"甲县单位{n}", world.county_x)
        f.LedgerEntryFactory(unit=unit)
        f.ProblemFactory(unit=unit)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse(name, args=args))
    assert len(large) == len(small)


def test_the_edit_form_shows_the_saved_dates_in_the_date_pickers(client, world):
    from checklists.models import Meeting

    entry = Meeting.objects.create(unit=world.unit_a, kind="meeting", subkind="three_meetings_one_lesson",
                                   title="支部大会", occurred_on="2023-04-21")
    client.force_login(world.liaison_a)
    page = client.get(reverse("ledger_edit", args=[entry.pk])).content.decode()
    assert 'type="date" name="occurred_on" value="2023-04-21"' in page


def test_the_item_picker_says_whose_each_item_is(client, world):
    """An office keeping several units' ledgers: each option names its unit (data-unit), so that the picker
    offers only the chosen unit's items (js/picker.js)."""
    import re

    client.force_login(world.office_x)
    page = client.get(reverse("ledger_new", args=["meeting"])).content.decode()
    options = dict(re.findall(r'<option value="(\d+)" data-unit="(\d+)"', page))
    items = ChecklistItem.objects.filter(pk__in=[int(pk) for pk in options])
    assert options and {str(item.pk): str(item.unit_id) for item in items} == options
    assert {item.unit_id for item in items} == {world.unit_a.pk, world.unit_b.pk}
