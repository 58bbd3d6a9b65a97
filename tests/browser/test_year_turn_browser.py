"""The year's turn on the demo data, in Chromium: the office generates 2024's list from the preview,
carries three unfinished items over, and a liaison sees last year's account and file on a new item
and re-uses the file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from checklists import services
from checklists.models import Campaign, ChecklistItem, Evidence, ItemStatus, YearEnd

from .helpers import log_in as log_in_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    log_in_with(page, live_server, username, password="demo2023")


def test_the_office_turns_the_year_and_a_liaison_reuses_last_years_file(page, live_server, screenshot, settings,
                                                                        tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=open("/dev/null", "w"))
    old_list = Campaign.objects.get(year=2023)
    last_year = (ChecklistItem.objects.filter(campaign=old_list, unit__code="C01O01", period="2023",
                                              status__in=[ItemStatus.IN_PROGRESS, ItemStatus.RETURNED])
                 .exclude(account="").select_related("unit", "standard_item").order_by("standard_item__code").first())
    assert last_year is not None, "the demo's liaison has an open 2023 item with an account"
    liaison = last_year.unit.memberships.get(role="liaison").user
    kept = services.evidence_attach(owner=last_year, upload=SimpleUploadedFile("2023年责任清单.pdf", b"%PDF-1.4"),
                                    user=liaison) if not last_year.evidence.exists() else last_year.evidence.first()

    log_in(page, live_server, "office")
    page.goto(live_server.url + reverse("admin:checklists_campaign_change", args=[old_list.pk]))
    page.click("#next-year-link")
    page.wait_for_selector("#next-year-preview")
    assert "2024年清廉机关建设任务清单" in page.inner_text("#next-year-preview")
    screenshot("year-01-next-year-preview")
    page.click("#next-year-confirm-top")
    page.wait_for_selector(".messagelist")
    new_list = Campaign.objects.get(copied_from=old_list, year=2024)
    assert new_list.items.count() > 0 and new_list.tasks.count() == old_list.tasks.count()

    page.goto(f"{live_server.url}{reverse('year_turn')}?campaign={old_list.pk}")
    assert "2024年清廉机关建设任务清单" in page.inner_text("#year-turn-into")
    boxes = page.locator("#year-turn-items input[name=item]")
    ticked = [int(boxes.nth(index).get_attribute("value")) for index in range(3)]
    for index in range(3):
        boxes.nth(index).check()
    screenshot("year-02-unfinished")
    page.click("#year-turn-carry")
    page.wait_for_selector(".alert-success")
    assert set(new_list.items.filter(carried_from__isnull=False).values_list("carried_from", flat=True)) == set(ticked)
    assert set(ChecklistItem.objects.filter(year_end=YearEnd.CARRIED).values_list("pk", flat=True)) == set(ticked)
    page.click("nav form button:has-text('退出')")

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, liaison.username)
    new_item = new_list.items.get(unit=last_year.unit, standard_item__code=last_year.standard_item.code, period="2024")
    page.goto(live_server.url + new_item.get_absolute_url())
    earlier = page.inner_text("#earlier-last_year")
    assert last_year.account[:10] in earlier and kept.name in earlier
    screenshot("year-03-last-time-phone")
    page.click(f"#earlier-last_year form[action$='/reuse/{kept.pk}/'] button")
    page.wait_for_selector("#evidence .reused")
    reused = Evidence.objects.get(item=new_item)
    assert reused.file.name == kept.file.name and reused.reused_from == kept
    screenshot("year-04-reused")
