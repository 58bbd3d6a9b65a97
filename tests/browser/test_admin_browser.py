"""The admin in a real browser: a county office logs in and works in Chinese, within its county."""

import pytest
from django.urls import reverse

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_office_reviews_items_in_chinese(page, live_server, world, screenshot):
    from checklists import services

    services.item_submit(item=world.item_a, user=world.liaison_a)
    log_in(page, live_server, "office_x", admin=True)
    assert "清廉台账" in page.title()
    screenshot("admin-index-county-office")

    page.goto(live_server.url + reverse("admin:checklists_checklistitem_changelist"))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2  # units A and B of county X; nothing of county Y
    assert "乙县" not in page.locator("#result_list").inner_text()
    screenshot("admin-items-county-office")

    page.locator(f"#result_list input[value='{world.item_a.pk}']").check()
    page.select_option("select[name=action]", "return_items")
    page.click("button[name=index]")
    page.fill("textarea[name=comment]", "请补充会议记录")
    screenshot("admin-return-with-comment")
    page.click("input[name=apply]")
    assert "已处理 1 条记录" in page.locator("ul.messagelist").inner_text()
    world.item_a.refresh_from_db()
    assert world.item_a.status == "returned" and world.item_a.review_comment == "请补充会议记录"


def test_liaison_sees_only_its_own_items(page, live_server, world, screenshot):
    log_in(page, live_server, "liaison_a", admin=True)
    page.goto(live_server.url + reverse("admin:checklists_checklistitem_change", args=[world.item_a.pk]))
    assert page.locator("input[name=progress]").count() == 1
    assert page.locator("input[name=score]").count() == 0  # the score is the office's
    screenshot("admin-item-liaison")
    page.goto(live_server.url + reverse("admin:checklists_checklistitem_change", args=[world.item_c.pk]))
    assert page.locator("input[name=progress]").count() == 0
