"""Every URL of the web app, for every role: an anonymous visitor is sent to log in; each role gets 404
on every object outside its reach and sees no unit outside it on any page or in any download (the
workbooks read cell by cell). A new URL pattern without a case here fails the test, so no view
escapes it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from checklists import services, tasks
from checklists.models import Notification
from checklists.urls import urlpatterns

from . import factories as f

# URL name -> (HTTP method, the kind of object its pk names, or the fixed arguments of a URL without one).
CASES = {
    "home": ("get", None),
    "work_queue": ("get", None),
    "bulk_review": ("post", None),
    "year_turn": ("get", None),
    "job_confirm": ("post", "job"),
    "account": ("get", None),
    "reminders": ("get", None),
    "notification_list": ("get", None),
    "notification_open": ("get", "notification"),
    "notifications_read": ("post", None),
    "item_list": ("get", None),
    "offline_checklist": ("get", None),
    "ledger_list": ("get", ["training"]),
    "ledger_new": ("get", ["meeting"]),
    "ledger_detail": ("get", "entry"),
    "ledger_edit": ("get", "entry"),
    "ledger_remove": ("post", "entry"),
    "responsibility_list_renew": ("post", "entry"),
    "responsibility_renewal": ("get", None),
    "problem_list": ("get", None),
    "unit_list": ("get", None),
    "export_page": ("get", None),
    "bulletin_list": ("get", None),
    "summary_draft": ("get", "unit"),
    "job_detail": ("get", "job"),
    "job_status": ("get", "job"),
    "job_download": ("get", "job"),
    "job_retry": ("post", "job"),
    "import_page": ("get", None),
    "import_template": ("get", ["units"]),
    "problem_detail": ("get", "problem"),
    "problem_report": ("post", "problem"),
    "problem_close": ("post", "problem"),
    "problem_send_back": ("post", "problem"),
    "item_detail": ("get", "item"),
    "item_save": ("post", "item"),
    "item_submit": ("post", "item"),
    "item_decline_signoff": ("post", "item"),
    "item_approve": ("post", "item"),
    "item_return": ("post", "item"),
    "evidence_upload": ("post", "item"),
    "evidence_reuse": ("post", "reuse"),  # the unit's item and one of its files
    "item_copy_account": ("post", "item"),
    "evidence_download": ("get", "evidence"),
    "stored_file": ("get", "file"),
    "evidence_remove": ("post", "evidence"),
    "evidence_verdict": ("post", "evidence"),
    "evidence_new_version": ("post", "evidence"),
}


@pytest.fixture
def objects(world, settings, tmp_path):
    """For each unit, the object of each kind a URL can name."""
    settings.MEDIA_ROOT = tmp_path
    found = {}
    for unit, item, liaison in [(world.unit_a, world.item_a, world.liaison_a),
                                (world.unit_b, world.campaign.items.get(unit=world.unit_b), None),
                                (world.unit_c, world.item_c, None)]:
        evidence = services.evidence_attach(owner=item, upload=SimpleUploadedFile(f"{unit.code}.pdf", b"%PDF"),
                                            user=world.superuser)
        entry = f.LedgerEntryFactory(unit=unit, title=f"{unit.name}的会议")
        problem = f.ProblemFactory(unit=unit, description=f"{unit.name}的问题")
        job = tasks.export_start(user=liaison or world.superuser, exporter="items", campaign=world.campaign,
                                    start=world.campaign.period_start, end=world.campaign.period_end)
        notification = Notification.objects.create(recipient=liaison or world.superuser, kind="returned", item=item)
        found[unit.code] = {"unit": unit, "item": item, "evidence": evidence, "file": evidence.file, "entry": entry,
                            "problem": problem, "job": job, "notification": notification}
    return found


def test_every_url_pattern_has_a_case():
    assert {pattern.name for pattern in urlpatterns} == set(CASES)


def _url(name, kind, objects, unit_code):
    if kind == "file":
        return reverse(name, args=[objects[unit_code][kind].name])
    if kind == "reuse":
        return reverse(name, args=[objects[unit_code]["item"].pk, objects[unit_code]["evidence"].pk])
    if isinstance(kind, str):
        return reverse(name, args=[objects[unit_code][kind].pk])
    return reverse(name, args=kind or [])


PERSONAL = ("job", "notification")  # a background job is its starter's, a message its recipient's: tested apart


def _object_cases(has_object):
    """URLs naming a unit's object (or not); a background job is its starter's and is tested apart."""
    return [name for name, (_, kind) in CASES.items() if isinstance(kind, str) == has_object and kind not in PERSONAL]


@pytest.mark.parametrize("name", CASES)
def test_anonymous_visitors_are_sent_to_log_in(client, objects, name):
    method, kind = CASES[name]
    response = getattr(client, method)(_url(name, kind, objects, "A"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", _object_cases(True))
@pytest.mark.parametrize("who, own, other", [("liaison_a", "A", "B"), ("office_x", "A", "C")])
def test_another_units_objects_answer_404(client, world, objects, name, who, own, other):
    method, kind = CASES[name]
    client.force_login(getattr(world, who))
    assert getattr(client, method)(_url(name, kind, objects, other)).status_code == 404
    if method == "get":
        assert client.get(_url(name, kind, objects, own)).status_code == 200


# role -> the units (of A, B, C) it reaches
REACH = {
    "superuser": "ABC", "office_city": "ABC", "office_x": "AB", "viewer_x": "AB", "liaison_a": "A",
    "leader_a": "A", "office_y": "C", "nobody": "",
}
NAMES = {"A": "甲县组织部", "B": "甲县司法局", "C": "乙县组织部"}


def _user(world, who):
    return f.UserFactory(username="nobody") if who == "nobody" else getattr(world, who)


@pytest.mark.parametrize("name", _object_cases(True))
@pytest.mark.parametrize("who", REACH)
def test_every_role_gets_404_outside_its_reach_and_no_404_within(client, world, objects, name, who):
    method, kind = CASES[name]
    client.force_login(_user(world, who))
    for code in "ABC":
        status = getattr(client, method)(_url(name, kind, objects, code)).status_code
        if code in REACH[who]:
            assert status not in (404, 500), (code, status)
        else:
            assert status == 404, (code, status)


def shown_text(response):
    """What a page or a download shows: the HTML, or every cell of a workbook."""
    content_type = response["Content-Type"]
    if content_type.startswith("text/html"):
        return response.content.decode()
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(str(value) for sheet in book for row in sheet.iter_rows(values_only=True)
                        for value in row if value is not None)
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("name", _object_cases(False))
@pytest.mark.parametrize("who", REACH)
def test_pages_and_downloads_without_an_object_show_nothing_out_of_reach(client, world, objects, name, who):
    client.force_login(_user(world, who))
    response = client.get(_url(name, CASES[name][1], objects, "A"))
    assert response.status_code < 500
    page = shown_text(response)
    for code, unit_name in NAMES.items():
        if code not in REACH[who]:
            assert unit_name not in page, f"{unit_name} shown to {who} on {name}"


@pytest.mark.parametrize("name", [name for name, (_, kind) in CASES.items() if kind in PERSONAL])
def test_a_background_export_or_a_message_is_its_owners_alone(client, world, objects, name):
    """Even the office over the unit, and the superuser, get 404 on a liaison's workbook or message."""
    method = CASES[name][0]
    url = _url(name, CASES[name][1], objects, "A")
    for other in (world.office_x, world.office_city, world.superuser):
        client.force_login(other)
        assert getattr(client, method)(url).status_code == 404
    client.force_login(world.liaison_a)
    assert getattr(client, method)(url).status_code in ((200, 302) if method == "get" else (302,))
