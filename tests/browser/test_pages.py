"""Every main page for each role at 1366×768: it renders, shows no other unit's data, and needs no
horizontal scrolling (wide tables scroll inside their own box)."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import LEDGER_SLUGS

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [("home", []), ("item_list", []), ("unit_list", []), ("problem_list", []),
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
