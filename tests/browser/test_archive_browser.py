"""Nothing lost, in the browser: a liaison removes a ledger entry (after a confirmation), the office
finds it in the admin's archive and restores it; the liaison is reminded of its items."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import LedgerEntry

from .. import factories as f
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_removed_entry_is_archived_and_the_office_restores_it(page, live_server, world, screenshot):
    entry = f.LedgerEntryFactory(unit=world.unit_a, title="第一季度“三会一课”", count=2)
    services.entry_link_items(entry=entry, items=[world.item_a], user=world.liaison_a)
    log_in(page, live_server, "liaison_a")
    page.goto(live_server.url + reverse("ledger_detail", args=[entry.pk]))
    screenshot("archive-entry-with-remove-button")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("text=移除")
    assert questions and "办公室可从归档中恢复" in questions[0]
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()  # dismissed: nothing happened
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=移除")
    page.wait_for_url("**/ledgers/meeting/")
    assert "已移除" in page.inner_text("main") and page.locator("main a", has_text="第一季度").count() == 0
    screenshot("archive-entry-removed")
    assert not LedgerEntry.objects.filter(pk=entry.pk).exists()

    page.context.clear_cookies()
    log_in(page, live_server, "office_x", admin=True)
    page.goto(live_server.url + reverse("admin:checklists_meeting_changelist") + "?archived=yes")
    assert "第一季度" in page.inner_text("#result_list")
    page.locator(f"#result_list input[value='{entry.pk}']").check()
    page.select_option("select[name=action]", "restore_records")
    screenshot("archive-admin-restore")
    page.click("button[name=index]")
    assert "已处理 1 条记录" in page.locator("ul.messagelist").inner_text()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()
    world.item_a.refresh_from_db()
    assert world.item_a.quantity_achieved == 2


def test_the_liaison_sees_its_reminders(page, live_server, world, screenshot):
    from checklists.models import ChecklistItem

    ChecklistItem.objects.filter(pk=world.item_a.pk).update(due_date=timezone.localdate() + datetime.timedelta(days=3))
    log_in(page, live_server, "liaison_a")
    badge = page.locator("#reminders-link .badge")
    assert badge.inner_text() == "1"
    page.click("#reminders-link")
    assert world.standard_item.code in page.inner_text("#due-soon")
    screenshot("reminders-liaison")
