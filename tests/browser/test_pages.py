"""Every main page for each role at 1366×768: it renders, shows no other unit's data, and needs no
horizontal scrolling (wide tables scroll inside their own box)."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import LEDGER_SLUGS

from .. import factories as f
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [("home", []), ("reminders", []), ("item_list", []), ("unit_list", []), ("problem_list", []),
         *[("ledger_list", [slug]) for slug in LEDGER_SLUGS.values()], ("ledger_new", ["meeting"])]


@pytest.mark.parametrize("who", ["office_x", "liaison_a", "viewer_x"])
def test_main_pages_fit_the_screen(page, live_server, world, screenshot, who):
    services.item_submit(item=world.item_a, user=world.liaison_a)
    log_in(page, live_server, who)
    urls = [reverse(name, args=args) for name, args in PAGES] + [world.item_a.get_absolute_url()]
    for url in urls:
        response = page.goto(live_server.url + url)
        if response.status == 403:  # a read-only role has no form to log with
            assert who == "viewer_x" and "new" in url
            continue
        assert response.status == 200, url
        name = url.strip("/").replace("/", "-") or "home"
        screenshot(f"page-{who}-{name}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px for {who}"
        assert "乙县" not in page.inner_text("main"), url
        assert page.inner_text("main h1").strip(), f"{url} has no heading"


def test_no_page_breaks_the_content_security_policy(page, live_server, world):
    """Every main page, the export and import pages, the account page and the admin's item pages run
    under the policy with no violation: no inline script, nothing from elsewhere."""
    services.item_submit(item=world.item_a, user=world.liaison_a)
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    log_in(page, live_server, "office_x")
    urls = [reverse(name, args=args) for name, args in PAGES] + [
        world.item_a.get_absolute_url(), reverse("export_page"), reverse("import_page"), reverse("account"),
        reverse("admin:index"), reverse("admin:checklists_checklistitem_changelist"),
        reverse("admin:checklists_checklistitem_change", args=[world.item_a.pk]),
        reverse("admin:checklists_unit_changelist"), reverse("admin:checklists_problem_changelist")]
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert "content-security-policy" in response.headers, url
        page.wait_for_load_state("load")
    other = f.CampaignFactory(owner=world.city, standard_set=world.standard_set, year=2024)
    page.goto(live_server.url + reverse("home"))
    page.select_option("select[name=campaign]", str(other.pk))  # the data-autosubmit script runs
    page.wait_for_url(f"**campaign={other.pk}**")
    assert violations == []
