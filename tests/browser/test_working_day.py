"""The working day in Chromium on the demo city: the office opens the lists its dashboard counts and
reviews from 待办 in bulk; the liaison hears of a return in 消息 and on its home, fixes the item and
resubmits; the ledger form's picker finds an item by typing; an upload keeps the text typed; the
reviewer downloads a linked entry's evidence from the item page; and the liaison's pages at phone
width (390×844) never scroll sideways, the office's at 768 px neither."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from checklists import services
from checklists.models import ChecklistItem, Evidence, ItemStatus, Notification

from .helpers import log_in as log_in_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return tmp_path


def log_in(page, live_server, username):
    page.context.clear_cookies()
    log_in_with(page, live_server, username, password="demo2023")


def row_count(page):
    return int(re.search(r"(\d+)", page.inner_text("#row-count")).group(1))


def liaisons_items(status):
    return (ChecklistItem.objects.filter(unit__code="C01O01", status=status, campaign__year=datetime.date.today().year)
            .select_related("standard_item", "unit", "campaign").order_by("due_date"))


def test_the_office_opens_what_it_counts_and_reviews_in_bulk_and_the_liaison_hears(page, live_server, demo,
                                                                                    screenshot):
    from checklists.models import Membership

    liaison = Membership.objects.get(user__username="liaison").user
    returned = list(liaisons_items(ItemStatus.IN_PROGRESS)[:2])
    for item in returned:
        services.item_submit(item=item, user=liaison)
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, live_server, "county_office")
    doors = page.locator("a.door, a.door-card")
    numbers = [(index, int(match.group(1))) for index in range(doors.count())
               if (match := re.search(r"(\d+)\s*$", doors.nth(index).inner_text()))]
    assert len(numbers) >= 20
    for index, number in numbers:  # each number on the dashboard, clicked
        page.goto(live_server.url + reverse("home"))
        page.locator("a.door, a.door-card").nth(index).click()
        assert row_count(page) == number, (index, page.url)
    screenshot("day-01-office-opens-a-count")

    page.goto(live_server.url + reverse("work_queue"))
    mine = {str(item.pk) for item in returned}
    others = [box for box in page.locator("#queue-submitted input[name=item]").all()
              if box.get_attribute("value") not in mine][:5]
    for box in others:
        box.check()
    page.click("#bulk-approve")
    assert page.locator("#bulk-confirm tbody tr").count() == 5
    screenshot("day-02-office-confirms-five-approvals")
    page.click("#bulk-confirm-button")
    assert "已审核通过 5 项" in page.inner_text("main")
    for pk in mine:
        page.check(f"#queue-submitted input[value='{pk}']")
    page.click("#bulk-return")
    page.fill("#id_comment", "请补充会议记录和照片")
    screenshot("day-03-office-returns-two")
    page.click("#bulk-confirm-button")
    assert "已退回 2 项" in page.inner_text("main")
    assert ChecklistItem.objects.filter(pk__in=mine, status=ItemStatus.RETURNED).count() == 2

    log_in(page, live_server, "liaison")
    assert page.locator("#messages-link .badge").count() == 1
    assert all(item.standard_item.code in page.inner_text("#home-returned") for item in returned)
    screenshot("day-04-liaison-home-returned-first")
    page.click("#messages-link")
    assert "请补充会议记录和照片" in page.inner_text("#messages")
    screenshot("day-05-liaison-messages")
    page.click("#messages a >> nth=0")
    opened = Notification.objects.filter(recipient=liaison, read_at__isnull=False)
    assert opened.count() == 1
    item = opened.get().item
    sign_in = demo / "会议记录.pdf"
    sign_in.write_bytes(b"%PDF-1.4 minutes")
    page.fill("#id_account", "已补充会议记录和照片：见附件。")
    page.set_input_files("#evidence input[type=file]", str(sign_in))
    page.click("#upload-button")  # the text typed above is saved with the file
    item.refresh_from_db()
    assert item.account == "已补充会议记录和照片：见附件。" and item.evidence.filter(name="会议记录.pdf").exists()
    page.click("#actions button[name=submit]")
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED
    screenshot("day-06-liaison-resubmitted")


def test_the_picker_finds_an_item_and_the_reviewer_downloads_the_entrys_evidence(page, live_server, demo,
                                                                                 screenshot):
    item = liaisons_items(ItemStatus.IN_PROGRESS).filter(standard_item__measure_kind="training").first() or \
        liaisons_items(ItemStatus.IN_PROGRESS).first()
    words = item.standard_item.title[2:6]
    sign_in = demo / "签到表.pdf"
    sign_in.write_bytes(b"%PDF-1.4 sign-in sheet")
    log_in(page, live_server, "liaison")
    page.goto(live_server.url + reverse("ledger_new", args=["training"]))
    page.select_option("#id_subkind", "special_training")
    page.fill("#id_title", "警示教育专题培训")
    page.fill("#id_occurred_on", str(min(item.due_date, datetime.date.today())))
    page.fill("#id_participants", "42")
    page.click(".ts-control")
    page.keyboard.type(words)
    option = page.locator(f".ts-dropdown .option[data-value='{item.pk}']")
    option.wait_for()
    screenshot("day-07-picker-found-by-typing")
    option.click()
    page.set_input_files("#id_files", str(sign_in))
    page.click("form button.btn-danger")
    assert "警示教育专题培训" in page.inner_text("h1")
    assert item.ledger_entries.filter(title="警示教育专题培训").exists()

    log_in(page, live_server, "county_office")
    page.goto(live_server.url + item.get_absolute_url())
    screenshot("day-08-reviewer-sees-the-entrys-evidence")
    with page.expect_download() as download:
        page.click("#linked-entries a:has-text('签到表.pdf')")
    assert download.value.suggested_filename == "签到表.pdf"
    assert Evidence.objects.filter(entry__items=item, name="签到表.pdf").exists()


LIAISON_PAGES = ["home", "item_list", "item", "ledger_new", "ledger_list", "problem_list", "notification_list",
                 "reminders", "import_page"]


def test_the_liaisons_pages_fit_a_phone_and_the_offices_a_tablet(chromium, live_server, demo):
    from .conftest import ARTEFACTS

    item = liaisons_items(ItemStatus.RETURNED).first() or liaisons_items(ItemStatus.IN_PROGRESS).first()
    urls = {"item": item.get_absolute_url(), "ledger_new": reverse("ledger_new", args=["meeting"]),
            "ledger_list": reverse("ledger_list", args=["meeting"])}
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for username, width, height, names in (
            ("liaison", 390, 844, LIAISON_PAGES),
            ("county_office", 768, 1024, ["home", "work_queue", "item_list", "unit_list", "problem_list"])):
        context = chromium.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                       viewport={"width": width, "height": height}, is_mobile=width < 500,
                                       has_touch=width < 500)
        page = context.new_page()
        log_in(page, live_server, username)
        for name in names:
            page.goto(live_server.url + (urls[name] if name in urls else reverse(name)))
            wide = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(ARTEFACTS / f"width-{width}-{name}.png"), full_page=True)
            assert wide <= width, (username, name, wide)
        if width < 500:
            page.goto(live_server.url + reverse("home"))
            assert not page.locator("#site-menu").is_visible()
            page.click("#menu-button")
            page.locator("#site-menu a:has-text('清单事项')").click()
            assert page.url.endswith(reverse("item_list"))
        context.close()
