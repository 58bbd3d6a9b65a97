"""The evidence lifecycle: versions of a file, the reviewer's verdict on each file, and validity that
ends, flagging the items that rely on the file until a new version is given."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from checklists import services
from checklists.exports import EXPORTERS, ExportScope, render
from checklists.models import ChecklistItem, Evidence, ItemStatus, LedgerKind, Verdict
from checklists.selectors.reminders import reminders_for

from . import factories as f

LAPSED = datetime.date(2023, 6, 30)  # within the 2023 task list's year, long before today


def upload(name="责任书.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + name.encode())


@pytest.fixture
def files(world, settings, tmp_path):
    """Unit A's item with its own file, unit B's item counting a meeting whose file has the same
    validity, and unit C's item with a file still valid."""
    settings.MEDIA_ROOT = tmp_path
    world.item_b = world.campaign.items.get(unit=world.unit_b)
    world.liaison_b = f.member("liaison_b", world.unit_b, "liaison")
    world.own = services.evidence_attach(owner=world.item_a, upload=upload(), user=world.liaison_a,
                                         valid_until=LAPSED)
    entry = f.LedgerEntryFactory(unit=world.unit_b, kind=LedgerKind.MEETING)
    services.entry_link_items(entry=entry, items=[world.item_b], user=world.office_x)
    world.entry_file = services.evidence_attach(owner=entry, upload=upload("会议记录.pdf"), user=world.office_x,
                                                valid_until=LAPSED)
    world.liaison_c = f.member("liaison_c", world.unit_c, "liaison")
    world.valid = services.evidence_attach(owner=world.item_c, upload=upload("证书.pdf"), user=world.liaison_c,
                                           valid_until=datetime.date(2099, 1, 1))
    return world


def test_an_expired_file_flags_exactly_the_items_that_rely_on_it(files):
    flagged = set(ChecklistItem.objects.relying_on_expired())
    assert flagged == {files.item_a, files.item_b}
    assert [file.name for file in files.item_a.expired_files()] == ["责任书.pdf"]
    assert [file.name for file in files.item_b.expired_files()] == ["会议记录.pdf"]
    assert files.item_c.expired_files() == []
    # A file whose validity ended after the task list's year is no flag on that year's items.
    Evidence.objects.filter(pk=files.own.pk).update(valid_until=datetime.date(2024, 3, 31))
    assert set(ChecklistItem.objects.relying_on_expired()) == {files.item_b}


def test_renewing_the_file_clears_the_flag_and_keeps_the_old_version(client, files):
    services.item_submit(item=files.item_a, user=files.liaison_a)
    services.item_approve(item=files.item_a, user=files.office_x)  # approved: only the expired file may change
    client.force_login(files.liaison_a)
    page = client.get(files.item_a.get_absolute_url()).content.decode()
    assert 'id="expired-evidence"' in page and "已过期" in page
    response = client.post(reverse("evidence_new_version", args=[files.own.pk]),
                           {"file": upload("责任书2024.pdf"), "valid_until": "2099-12-31",
                            "item": files.item_a.pk})
    assert response.status_code == 302
    new = Evidence.objects.get(item=files.item_a)
    assert new.name == "责任书2024.pdf" and new.replaces_id == files.own.pk and new.earlier_versions == [files.own]
    assert Evidence.all_objects.get(pk=files.own.pk).is_archived
    with pytest.raises(services.IllegalTransition, match="责任书2024.pdf"):  # not two versions at once
        services.record_restore(record=Evidence.all_objects.get(pk=files.own.pk), user=files.office_x)

    assert set(ChecklistItem.objects.relying_on_expired()) == {files.item_b}
    files.item_a.refresh_from_db()
    assert files.item_a.status == ItemStatus.APPROVED
    page = client.get(files.item_a.get_absolute_url()).content.decode()
    assert 'id="expired-evidence"' not in page and "第2版" in page
    assert client.get(reverse("evidence_download", args=[files.own.pk])).status_code == 200  # the old version
    client.force_login(files.office_y)  # out of reach: neither version
    assert client.get(reverse("evidence_download", args=[files.own.pk])).status_code == 404


def test_a_replaced_version_is_never_restored_beside_or_instead_of_the_newest(files):
    second = services.evidence_new_version(evidence=files.valid, upload=upload("证书v2.pdf"), user=files.liaison_c)
    services.record_archive(record=second, user=files.liaison_c)  # the newest removed: the first stays history
    with pytest.raises(services.IllegalTransition, match="证书v2.pdf"):
        services.record_restore(record=Evidence.all_objects.get(pk=files.valid.pk), user=files.office_city)
    services.record_restore(record=Evidence.all_objects.get(pk=second.pk), user=files.office_city)
    assert list(Evidence.objects.filter(item=files.item_c)) == [second]


def test_a_file_of_an_approved_item_is_not_rejected_until_the_item_is_returned(files):
    services.item_submit(item=files.item_a, user=files.liaison_a)
    approved = services.item_approve(item=files.item_a, user=files.office_x)
    with pytest.raises(services.IllegalTransition, match="退回"):
        services.evidence_judge(evidence=files.own, user=files.office_x, verdict=Verdict.REJECTED, reason="过期")
    services.item_return(item=approved, user=files.office_x, comment="材料过期")
    assert services.evidence_judge(evidence=files.own, user=files.office_x, verdict=Verdict.REJECTED,
                                   reason="过期").is_rejected


def test_a_file_still_valid_is_not_replaced_on_an_approved_item(files):
    services.item_submit(item=files.item_c, user=files.liaison_c)
    services.item_approve(item=files.item_c, user=files.office_city)
    with pytest.raises(services.IllegalTransition):
        services.evidence_new_version(evidence=files.valid, upload=upload("新证书.pdf"), user=files.liaison_c)
    assert Evidence.objects.get(item=files.item_c) == files.valid


def test_the_measure_says_how_long_its_evidence_counts(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.standard_item.evidence_valid_months = 12
    world.standard_item.save()
    given = services.evidence_attach(owner=world.item_a, upload=upload(), user=world.liaison_a)
    today = timezone.localdate()
    assert given.valid_until == today.replace(year=today.year + 1) - datetime.timedelta(days=1) or (
        today.month == 2 and today.day == 29)
    chosen = services.evidence_attach(owner=world.item_a, upload=upload("证书.pdf"), user=world.liaison_a,
                                      valid_until=datetime.date(2030, 5, 1))
    assert chosen.valid_until == datetime.date(2030, 5, 1)


def overdue_sheet(files, end):
    """The monthly bulletin's overdue rows for the month ending `end`, the files given in May 2023."""
    Evidence.objects.filter(pk__in=[files.own.pk, files.entry_file.pk]).update(
        uploaded_at=timezone.make_aware(datetime.datetime(2023, 5, 1, 9)))
    scope = ExportScope(user=files.office_city, campaign=files.campaign, start=end.replace(day=1), end=end)
    sheet = load_workbook(io.BytesIO(render(EXPORTERS["monthly"](scope))[2]))["逾期事项"]
    return [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]


def test_the_items_list_reminders_and_monthly_bulletin_mention_the_expiry(client, files):
    client.force_login(files.office_x)
    listed = client.get(reverse("item_list"), {"evidence_expired": "true"})
    assert {row.record for row in listed.context["table"].page.object_list} == {files.item_a, files.item_b}
    assert "材料已过期" in listed.content.decode()
    assert set(reminders_for(files.liaison_a).expired) == {files.item_a}
    assert set(reminders_for(files.office_x).expired) == {files.item_a, files.item_b}
    assert reminders_for(files.office_y).expired == []
    # The bulletin of July 2023 sees the files as they stood then: given in May, expired on 30 June.
    notes = {row[0]: row[8] for row in overdue_sheet(files, datetime.date(2023, 7, 31))}
    assert set(notes) == {"甲县组织部", "甲县司法局"}  # not yet overdue in July: listed for the expiry alone
    assert "责任书.pdf" in notes["甲县组织部"] and "2023-06-30" in notes["甲县组织部"]
    assert "会议记录.pdf" in notes["甲县司法局"]
    assert [row[0] for row in overdue_sheet(files, datetime.date(2023, 6, 30))] == ["本期无。"]  # valid in June


def test_an_overdue_item_relying_on_an_expired_file_is_listed_once_in_its_place(files):
    rows = [row for row in overdue_sheet(files, datetime.date(2024, 1, 31)) if row[2]]
    assert [(row[0], row[7], bool(row[8])) for row in rows] == [
        ("甲县组织部", 31, True), ("甲县司法局", 31, True), ("乙县组织部", 31, False)]


def test_an_approval_with_a_rejected_file_counted_is_refused(client, files):
    services.item_submit(item=files.item_a, user=files.liaison_a)
    with pytest.raises(services.ServiceError, match="理由"):
        services.evidence_judge(evidence=files.own, user=files.office_x, verdict=Verdict.REJECTED)
    with pytest.raises(services.NotPermitted):
        services.evidence_judge(evidence=files.own, user=files.liaison_a, verdict=Verdict.ACCEPTED)
    client.force_login(files.office_x)
    client.post(reverse("evidence_verdict", args=[files.own.pk]),
                {"verdict": "rejected", "reason": "未盖章", "item": files.item_a.pk})
    files.own.refresh_from_db()
    assert files.own.verdict == Verdict.REJECTED and files.own.verdict_by == files.office_x
    response = client.post(reverse("item_approve", args=[files.item_a.pk]), {"score": "2"}, follow=True)
    assert "责任书.pdf" in response.content.decode() and "未盖章" in response.content.decode()
    files.item_a.refresh_from_db()
    assert files.item_a.status == ItemStatus.SUBMITTED
    with pytest.raises(services.ServiceError):
        services.items_review(user=files.office_x, approve=[(files.item_a, None)])
    services.evidence_judge(evidence=files.own, user=files.office_x, verdict=Verdict.ACCEPTED)
    assert services.item_approve(item=files.item_a, user=files.office_x).status == ItemStatus.APPROVED


def test_a_rejected_file_of_a_linked_ledger_entry_blocks_approval_until_replaced(files):
    services.item_submit(item=files.item_b, user=files.liaison_b)
    services.evidence_judge(evidence=files.entry_file, user=files.office_x, verdict=Verdict.REJECTED,
                            reason="不清晰")
    with pytest.raises(services.IllegalTransition, match="会议记录.pdf"):
        services.item_approve(item=files.item_b, user=files.office_x)
    returned = services.item_return(item=files.item_b, user=files.office_x, comment="请更换会议记录")
    services.evidence_new_version(evidence=files.entry_file, upload=upload("会议记录（清晰）.pdf"),
                                  user=files.office_x)
    services.item_submit(item=returned, user=files.liaison_b)
    assert services.item_approve(item=returned, user=files.office_x).status == ItemStatus.APPROVED


def test_the_office_corrects_a_files_validity_in_the_admin_and_nothing_else(client, files):
    client.force_login(files.office_x)
    url = reverse("admin:checklists_evidence_change", args=[files.own.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"valid_until": "2099-01-01"}).status_code == 302
    files.own.refresh_from_db()
    assert files.own.valid_until == datetime.date(2099, 1, 1) and files.own.item == files.item_a
    assert not ChecklistItem.objects.relying_on_expired().filter(pk=files.item_a.pk).exists()


def test_a_validity_already_past_is_refused_on_upload_and_nothing_is_lost(client, files):
    client.force_login(files.liaison_a)
    response = client.post(reverse("item_save", args=[files.item_a.pk]), {
        "version": files.item_a.version, "progress": 50, "account": "已签订", "files": upload("新责任书.pdf"),
        "valid_until": "2020-01-01"})
    assert response.status_code == 400 and "该日期已过" in response.content.decode()
    assert "已签订" in response.content.decode() and not Evidence.objects.filter(name="新责任书.pdf").exists()
