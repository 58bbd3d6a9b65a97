"""消息: what the office did to a unit's item or problem reaches that unit's people (not the office,
not another unit, not the person who did it), is counted unread in the header, is marked read when
opened, and goes into the daily reminder email."""

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from checklists import services
from checklists.models import Notification

from . import factories as f


def test_a_return_reaches_the_units_liaison_and_leader_and_is_read_when_opened(client, world, submitted_item):
    services.item_return(item=submitted_item, user=world.office_x, comment="佐证材料不全")
    assert set(Notification.objects.values_list("recipient__username", "kind")) == {
        ("liaison_a", "returned"), ("leader_a", "returned")}
    client.force_login(world.liaison_a)
    header = client.get(reverse("home")).content.decode()
    assert 'id="messages-link"' in header and "消息 <span" in header
    page = client.get(reverse("notification_list")).content.decode()
    assert "事项被退回" in page and "佐证材料不全" in page
    message = Notification.objects.get(recipient=world.liaison_a)
    assert client.get(message.get_absolute_url())["Location"] == submitted_item.get_absolute_url()
    message.refresh_from_db()
    assert message.read_at is not None
    assert "消息 <span" not in client.get(reverse("home")).content.decode()
    client.force_login(world.leader_a)
    client.post(reverse("notifications_read"))
    assert not Notification.objects.unread().exists()


def test_each_move_the_unit_must_hear_of_makes_a_message(client, world, submitted_item):
    services.item_approve(item=submitted_item, user=world.office_x, score=1)
    visit = f.LedgerEntryFactory.build(unit=world.unit_a, kind="visit", subkind="routine", title="督导",
                                       occurred_on="2023-04-01", inspector_unit=world.county_x)
    problem = f.ProblemFactory.build(description="台账不全")
    services.visit_record(visit=visit, user=world.office_x, problems=[problem])
    services.problem_report_rectification(problem=problem, user=world.liaison_a, rectification="已补齐")
    services.problem_send_back(problem=problem, user=world.office_x, comment="未见佐证")
    kinds = sorted(Notification.objects.filter(recipient=world.liaison_a).values_list("kind", flat=True))
    assert kinds == ["approved", "problem", "sent_back"]
    assert not Notification.objects.filter(recipient__in=[world.office_x, world.office_y]).exists()


def test_the_daily_email_brings_the_unread_messages(world, submitted_item, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.liaison_a.email = "liaison@example.org"
    world.liaison_a.save()
    services.item_return(item=submitted_item, user=world.office_x, comment="请补充会议纪要")
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    sent = [message for message in mail.outbox if "liaison@example.org" in message.to]
    assert sent and "新消息" in sent[0].subject and "请补充会议纪要" in sent[0].body
