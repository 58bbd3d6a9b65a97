"""Reminders: each liaison hears of its items due within a week and overdue, each office of its units with
overdue items and its problems past deadline, by email at most once a day and on the reminders page."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from checklists.models import ChecklistItem, ReminderSent

from . import factories as f

TODAY = datetime.date(2023, 12, 27)  # the items of the test world fall due on 2023-12-31


@pytest.fixture
def city(world):
    """Everyone has an email; unit A has an overdue item, county Y a problem past its deadline."""
    for user in (world.office_city, world.office_x, world.viewer_x, world.liaison_a, world.leader_a, world.office_y):
        user.email = f"{user.username}@example.org"
        user.save()
    overdue = f.StandardItemFactory(standard_set=world.standard_set, dimension=world.standard_item.dimension,
                                    code="LATE", title="落实“一岗双责”")
    world.campaign.standard_set.refresh_from_db()
    from checklists import services

    services.campaign_generate_items(campaign=world.campaign)
    ChecklistItem.objects.filter(standard_item=overdue).update(due_date=datetime.date(2023, 11, 30))
    f.ProblemFactory(unit=world.unit_c, description="乙县台账缺失", deadline=datetime.date(2023, 12, 1))
    return world


def send(day=TODAY):
    out = io.StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_a_liaison_is_told_of_its_items_due_soon_and_overdue_and_of_no_other_units(city):
    send()
    [message] = sent_to("liaison_a@example.org")
    assert "逾期" in message.subject
    assert city.standard_item.code in message.body and "LATE" in message.body and "落实“一岗双责”" in message.body
    assert "甲县组织部" in message.body and "甲县司法局" not in message.body and "乙县" not in message.body
    assert "http://127.0.0.1:8000/items/" in message.body


def test_an_office_is_told_of_its_units_overdue_and_its_problems_past_deadline(city):
    send()
    [county_x] = sent_to("office_x@example.org")
    assert "甲县组织部: 1" in county_x.body and "甲县司法局: 1" in county_x.body
    assert "乙县" not in county_x.body
    [county_y] = sent_to("office_y@example.org")
    assert "乙县组织部: 1" in county_y.body and "乙县台账缺失" in county_y.body and "甲县" not in county_y.body
    [whole_city] = sent_to("office_city@example.org")
    assert "3" in whole_city.subject and "乙县台账缺失" in whole_city.body


def test_at_most_one_reminder_a_day_and_none_with_nothing_to_say(city):
    send()
    first = len(mail.outbox)
    assert not sent_to("viewer_x@example.org")  # a viewer is reminded of nothing
    assert send().startswith(f"{TODAY}: 0 reminder(s) sent")
    assert len(mail.outbox) == first
    send(TODAY + datetime.timedelta(days=1))
    assert len(sent_to("liaison_a@example.org")) == 2
    ChecklistItem.objects.update(status="approved", reviewed_at=timezone.make_aware(  # approved that day
        datetime.datetime.combine(TODAY + datetime.timedelta(days=1), datetime.time(9))))
    mail.outbox.clear()
    send(TODAY + datetime.timedelta(days=2))
    assert not sent_to("liaison_a@example.org") and not sent_to("office_x@example.org")
    assert sent_to("office_y@example.org")  # its problem is still past deadline


def test_a_failed_send_is_not_counted_as_sent_and_is_tried_again(city, settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("checklists.services.reminders.send_mail", refuse)
    with pytest.raises(ConnectionRefusedError):
        send()
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    send()
    assert sent_to("liaison_a@example.org")


def test_people_without_an_email_are_skipped(city):
    city.liaison_a.email = ""
    city.liaison_a.save()
    send()
    assert not ReminderSent.objects.filter(user=city.liaison_a).exists()
    assert ReminderSent.objects.filter(user=city.office_x).exists()


def test_the_reminders_page_shows_what_the_email_says(client, city, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    send()
    [message] = sent_to("liaison_a@example.org")
    client.force_login(city.liaison_a)
    page = client.get(reverse("reminders")).content.decode()
    for text in (city.standard_item.code, "LATE", "落实“一岗双责”"):
        assert text in page and text in message.body
    assert 'id="reminders-link"' in page and ">2</span>" in page  # the badge: one due soon, one overdue
    client.force_login(city.office_y)
    page = client.get(reverse("reminders")).content.decode()
    assert "乙县台账缺失" in page and "乙县组织部" in page and "甲县" not in page
    client.force_login(city.viewer_x)
    assert 'id="overdue"' not in client.get(reverse("reminders")).content.decode()


def test_each_recipient_gets_the_email_in_their_own_language(client, city):
    client.force_login(city.liaison_a)
    assert client.post(reverse("account"), {"language": "en"}).status_code == 302
    assert client.post(reverse("account"), {"language": "xx"}).status_code == 400
    with translation.override("en"):
        send()  # the command's own language does not decide either
    [english] = sent_to("liaison_a@example.org")
    [chinese] = sent_to("office_x@example.org")
    assert "overdue" in english.subject and "逾期" not in english.subject + english.body
    assert "逾期" in chinese.subject and "overdue" not in chinese.subject
