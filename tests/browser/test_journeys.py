"""The main journey on the demo data, in Chromium, with a screenshot of every page on the way."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from checklists.models import ChecklistItem, ItemStatus

from .helpers import log_in as log_in_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    log_in_with(page, live_server, username, password="demo2023")


def log_out(page):
    page.click("nav form button:has-text('退出')")


def dashboard_figures(page, live_server, campaign):
    page.goto(f"{live_server.url}{reverse('home')}?campaign={campaign.pk}")
    return {key: page.inner_text(f"#total-{key}") for key in ("completion", "submitted", "overdue")}


def test_review_loop_from_ledger_to_score(page, live_server, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=open("/dev/null", "w"))
    today = datetime.date.today()
    item = (ChecklistItem.objects.filter(unit__code="C01O01", status=ItemStatus.IN_PROGRESS, due_date__lt=today)
            .select_related("campaign", "standard_item").order_by("-due_date").first())
    assert item is not None, "the demo has an overdue item in progress for the liaison"
    evidence_file = tmp_path / "签到表.pdf"
    evidence_file.write_bytes(b"%PDF-1.4 demo")

    page.on("dialog", lambda dialog: dialog.accept())  # "short of the target: submit anyway?" yes
    log_in(page, live_server, "county_office")
    before = dashboard_figures(page, live_server, item.campaign)
    screenshot("01-office-dashboard-before")
    log_out(page)

    log_in(page, live_server, "liaison")
    screenshot("02-liaison-home")
    page.goto(live_server.url + reverse("ledger_new", args=["training"]))
    page.select_option("#id_subkind", "special_training")
    page.fill("#id_title", "清廉机关建设专题培训")
    page.fill("#id_occurred_on", str(min(item.due_date, today)))
    page.fill("#id_participants", "36")
    page.fill("#id_speaker", "区纪委监委宣讲员")
    page.select_option("#id_items", str(item.pk))
    page.set_input_files("#id_files", str(evidence_file))
    screenshot("03-liaison-logs-training")
    page.click("form button.btn-danger")
    assert "清廉机关建设专题培训" in page.inner_text("h1")
    screenshot("04-training-logged")

    page.goto(live_server.url + item.get_absolute_url())
    page.set_input_files("#evidence input[type=file]", str(evidence_file))
    page.click("#evidence button:has-text('上传')")
    page.fill("#id_account", "已召开专题培训，附签到表。")
    page.click("#account button[name=save]")
    page.click("#actions button[name=submit]")
    assert page.locator("main .badge", has_text="已报送").count() == 1
    screenshot("05-liaison-submitted")
    log_out(page)

    log_in(page, live_server, "county_office")
    page.goto(live_server.url + item.get_absolute_url())
    page.fill("#return textarea", "请补充培训照片")
    screenshot("06-office-returns")
    page.click("#return button")
    log_out(page)

    log_in(page, live_server, "liaison")
    page.goto(live_server.url + item.get_absolute_url())
    assert "请补充培训照片" in page.content()
    page.fill("#id_account", "已召开专题培训，补充了签到表和照片。")
    page.click("#account button[name=save]")
    page.click("#actions button[name=submit]")
    screenshot("07-liaison-resubmitted")
    log_out(page)

    log_in(page, live_server, "county_office")
    page.goto(live_server.url + item.get_absolute_url())
    page.fill("#approve input[name=score]", str(item.standard_item.points))
    page.click("#approve button")
    screenshot("08-office-approved")
    item.refresh_from_db()
    assert (item.status, item.score) == (ItemStatus.APPROVED, item.standard_item.points)
    assert [t.to_status for t in item.transitions.order_by("at", "pk")][-4:] == [
        ItemStatus.SUBMITTED, ItemStatus.RETURNED, ItemStatus.SUBMITTED, ItemStatus.APPROVED]

    after = dashboard_figures(page, live_server, item.campaign)
    screenshot("09-office-dashboard-after")
    assert int(after["overdue"]) == int(before["overdue"]) - 1
    assert float(after["completion"].rstrip("%")) > float(before["completion"].rstrip("%"))
