"""Nothing lost: what users remove is archived, out of every list and count, and the office restores it;
records in use cannot be deleted at all."""

from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from checklists import services
from checklists.models import Campaign, Evidence, LedgerEntry, Meeting, Problem, StandardSet, Unit

from . import factories as f
from .conftest import make_visit


def _admin_url(model, view, *args):
    return reverse(f"admin:checklists_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def meeting(world):
    entry = f.LedgerEntryFactory(unit=world.unit_a, count=3)
    services.entry_link_items(entry=entry, items=[world.item_a], user=world.liaison_a)
    world.item_a.refresh_from_db()
    assert world.item_a.quantity_achieved == 3
    return Meeting.objects.get(pk=entry.pk)


def test_a_liaison_removes_an_entry_and_it_leaves_every_list_and_count_but_not_the_database(
        client, world, meeting):
    client.force_login(world.liaison_a)
    response = client.post(reverse("ledger_remove", args=[meeting.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("ledger_list", args=["meeting"])
    assert not LedgerEntry.objects.filter(pk=meeting.pk).exists()
    assert not world.item_a.ledger_entries.exists()
    assert meeting.title not in client.get(reverse("ledger_list", args=["meeting"])).content.decode()
    assert client.get(reverse("ledger_detail", args=[meeting.pk])).status_code == 404
    world.item_a.refresh_from_db()
    assert world.item_a.quantity_achieved == 0
    kept = LedgerEntry.all_objects.get(pk=meeting.pk)
    assert kept.archived_by == world.liaison_a and kept.links.get().item == world.item_a
    assert kept.history.first().archived_at == kept.archived_at


def test_the_office_restores_an_entry_from_the_admin_archive_and_its_count_returns(client, world, meeting):
    services.record_archive(record=meeting, user=world.liaison_a)
    client.force_login(world.office_x)
    in_use = client.get(_admin_url(Meeting, "changelist"))
    assert meeting.pk not in {row.pk for row in in_use.context["cl"].result_list}
    archived = client.get(_admin_url(Meeting, "changelist"), {"archived": "yes"})
    assert [row.pk for row in archived.context["cl"].result_list] == [meeting.pk]
    assert client.get(_admin_url(Meeting, "change", meeting.pk)).context["has_change_permission"] is False
    client.post(_admin_url(Meeting, "changelist") + "?archived=yes",
                {"action": "restore_records", "_selected_action": [meeting.pk]})
    assert LedgerEntry.objects.filter(pk=meeting.pk).exists()
    world.item_a.refresh_from_db()
    assert world.item_a.quantity_achieved == 3


def test_a_unit_cannot_restore_what_it_removed_only_the_office_can(client, world, meeting):
    services.record_archive(record=meeting, user=world.liaison_a)
    with pytest.raises(services.NotPermitted):
        services.record_restore(record=meeting, user=world.liaison_a)
    client.force_login(world.liaison_a)
    page = client.get(_admin_url(Meeting, "changelist"), {"archived": "yes"})
    assert "restore_records" not in dict(page.context["action_form"].fields["action"].choices)
    with pytest.raises(services.NotPermitted):
        services.record_restore(record=meeting, user=world.office_y)
    assert LedgerEntry.all_objects.get(pk=meeting.pk).is_archived


def test_an_entry_counting_towards_a_submitted_item_cannot_be_removed(client, world, meeting):
    services.item_submit(item=world.item_a, user=world.liaison_a)
    client.force_login(world.liaison_a)
    response = client.post(reverse("ledger_remove", args=[meeting.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("ledger_detail", args=[meeting.pk])
    assert "在工作专班退回之前" in response.content.decode()
    assert LedgerEntry.objects.filter(pk=meeting.pk).exists()
    world.item_a.refresh_from_db()
    assert world.item_a.quantity_achieved == 3


def test_a_visit_is_the_offices_to_remove_and_not_while_its_problems_are_in_use(world):
    visit = make_visit(world.unit_a, world.county_x)
    problem = f.ProblemFactory(unit=world.unit_a, source=visit)
    with pytest.raises(services.NotPermitted):
        services.record_archive(record=visit, user=world.liaison_a)
    with pytest.raises(services.NotPermitted):
        services.record_archive(record=problem, user=world.liaison_a)
    with pytest.raises(services.IllegalTransition, match="请先归档这些问题"):
        services.record_archive(record=visit, user=world.office_x)
    services.record_archive(record=problem, user=world.office_x)
    services.record_archive(record=visit, user=world.office_x)
    assert not Problem.objects.exists() and not LedgerEntry.objects.exists()
    with pytest.raises(services.IllegalTransition, match="请先恢复发现该问题的督导记录"):
        services.record_restore(record=problem, user=world.office_x)
    services.record_restore(record=visit, user=world.office_x)
    services.record_restore(record=problem, user=world.office_x)
    assert Problem.objects.get() == problem


def test_removed_evidence_keeps_its_file_and_comes_back_when_restored(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evidence = services.evidence_attach(owner=world.item_a, upload=SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4"),
                                        user=world.liaison_a)
    client.force_login(world.liaison_a)
    client.post(reverse("evidence_remove", args=[evidence.pk]))
    assert not world.item_a.evidence.exists()
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404
    assert Path(evidence.file.path).read_bytes() == b"%PDF-1.4"
    client.force_login(world.office_x)
    client.post(_admin_url(Evidence, "changelist") + "?archived=yes",
                {"action": "restore_records", "_selected_action": [evidence.pk]})
    assert list(world.item_a.evidence.all()) == [evidence]


@pytest.mark.parametrize("model", [Evidence, LedgerEntry, Meeting, Problem], ids=lambda m: m.__name__)
def test_the_admin_archives_instead_of_deleting(client, world, model):
    client.force_login(world.superuser)
    page = client.get(_admin_url(model, "changelist"))
    actions = dict(page.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions and "archive_records" in actions
    assert not admin.site._registry[model].has_delete_permission(page.wsgi_request)


def test_archiving_through_the_admin_keeps_the_record(client, world):
    problem = f.ProblemFactory(unit=world.unit_a)
    client.force_login(world.office_x)
    client.post(_admin_url(Problem, "changelist"), {"action": "archive_records", "_selected_action": [problem.pk]})
    assert not Problem.objects.exists()
    assert Problem.all_objects.get().archived_by == world.office_x


def test_a_visits_problems_are_not_deleted_from_its_admin_page(world):
    from checklists.admin import ProblemInline

    assert ProblemInline.can_delete is False


@pytest.mark.parametrize("record", ["unit", "standard_set", "campaign"])
def test_records_in_use_are_refused_deletion_in_the_admin(client, world, record):
    obj = {"unit": world.unit_a, "standard_set": world.standard_set, "campaign": world.campaign}[record]
    model = type(obj)
    client.force_login(world.superuser)
    page = client.get(_admin_url(model, "delete", obj.pk))
    assert page.status_code in (200, 403)
    if page.status_code == 200:
        assert page.context["protected"], f"{record} with items offered for deletion"
    response = client.post(_admin_url(model, "delete", obj.pk), {"post": "yes"})
    assert response.status_code in (200, 403)
    assert model.objects.filter(pk=obj.pk).exists()
    assert {Unit: 6, StandardSet: 1, Campaign: 1}[model] == model.objects.count()
