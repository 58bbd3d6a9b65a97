"""No URL answers 500: every query parameter of every list page and admin changelist, fed values that
are not what it expects, gets a 4xx, a redirect or the page with the bad value ignored."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from checklists.models import LEDGER_SLUGS

BAD_VALUES = ["abc", "1e3", "-1", "0", "99999999999", "", "9" * 300, "2023-13-45", "１２"]
# Named in links and redirects rather than in the pages' forms.
EXTRA_PARAMETERS = {"campaign", "unit", "county", "item", "status", "page", "sort", "per_page", "next"}


def web_pages():
    return [reverse(name) for name in ("home", "item_list", "offline_checklist", "unit_list", "problem_list",
                                       "reminders", "export_page", "import_page", "account")] + [
        reverse("ledger_list", args=[slug]) for slug in LEDGER_SLUGS.values()]


def parameters_of(html):
    """The names the page's forms and links send back to it."""
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))
    names |= {key for query in re.findall(r'href="[^"]*\?([^"#]*)"', html)
              for key in re.findall(r"(?:^|&(?:amp;)?)([^=&;]+)=", query)}
    return names - {"csrfmiddlewaretoken"}


def fuzz(client, url):
    client.raise_request_exception = False
    page = client.get(url)
    assert page.status_code == 200, url
    failures = []
    for name in sorted(parameters_of(page.content.decode(errors="replace")) | EXTRA_PARAMETERS):
        for value in BAD_VALUES:
            status = client.get(url, {name: value}).status_code
            if status >= 500:
                failures.append(f"{url}?{name}={value[:20]} → {status}")
    return failures


@pytest.mark.parametrize("user", ["office_city", "liaison_a"])
def test_no_web_page_answers_500_to_a_bad_parameter(client, world, user):
    client.force_login(getattr(world, user))
    failures = [failure for url in web_pages() for failure in fuzz(client, url)]
    assert not failures, "\n".join(failures)


def test_no_admin_changelist_answers_500_to_a_bad_parameter(client, world, records):
    client.force_login(world.superuser)
    client.raise_request_exception = False
    failures = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = client.get(url)
        assert page.status_code == 200, url
        names = parameters_of(page.content.decode()) | {"q", "o", "p", "all", "e"}
        for field in model_admin.list_filter:
            if isinstance(field, str):
                names |= {f"{field}__{lookup}" for lookup in ("year", "month", "gte", "lt", "in", "isnull", "exact")}
        if model_admin.date_hierarchy:
            names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
        for name in sorted(names):
            for value in BAD_VALUES:
                status = client.get(url, {name: value}).status_code
                if status >= 500:
                    failures.append(f"{url}?{name}={value[:20]} → {status}")
    assert not failures, "\n".join(failures)


def test_a_campaign_that_is_not_an_id_is_ignored(client, world):
    client.force_login(world.office_x)
    for url in (reverse("home"), reverse("unit_list"), reverse("offline_checklist")):
        for value in ("abc", "1e3", "99999999999", "9" * 300):
            assert client.get(url, {"campaign": value}).status_code == 200, (url, value)


def test_an_absurd_admin_date_drill_down_answers_400_with_a_message(client, world, records):
    client.force_login(world.office_x)
    for value in ("99999999999", "0", "-1"):
        response = client.get(reverse("admin:checklists_training_changelist"), {"occurred_on__year": value})
        assert response.status_code == 400 and "不可能存在的值" in response.content.decode(), value
    assert client.get(reverse("admin:checklists_training_changelist"), {"occurred_on__year": "2023"}).status_code == 200


def test_a_missing_or_forbidden_page_is_the_sites_own(client, world):
    client.force_login(world.viewer_x)
    missing = client.get(reverse("item_detail", args=[999999]))
    assert missing.status_code == 404 and "找不到页面" in missing.content.decode()
    assert 'id="account-link"' in missing.content.decode()  # the site's layout, not a bare page
    forbidden = client.get(reverse("import_page"))
    assert forbidden.status_code == 403 and "无权操作" in forbidden.content.decode()
