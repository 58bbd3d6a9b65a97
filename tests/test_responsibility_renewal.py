"""Responsibility lists that roll over: a unit's list renewed for the new year from the old one (duties
copied, signatures cleared), and the office's view of which units have not renewed by the deadline."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import Duty, LedgerEntry, LedgerKind, ResponsibilityKind
from checklists.selectors.responsibility import RenewalState, responsibility_renewal_list

from . import factories as f


def responsibility_list(unit, day, title=None, signed=(True, True)):
    """A responsibility list of `unit` dated `day`, a duty for each of `signed` (signed on the day or not)."""
    entry = f.LedgerEntryFactory(unit=unit, kind=LedgerKind.RESPONSIBILITY, subkind=ResponsibilityKind.LIST,
                                 occurred_on=day, title=title or f"{day.year}年度党风廉政建设责任清单",
                                 place="会议室", description="领导班子“一岗双责”")
    for number, is_signed in enumerate(signed):
        Duty.objects.create(responsibility_list=entry, holder=f"负责人{number}", position="班子成员",
                            is_head=number == 0, duties=f"职责{number}", signed_on=day if is_signed else None)
    return entry


def duties_of(entry):
    return list(entry.duties.order_by("-is_head", "pk").values_list("holder", "position", "is_head", "duties",
                                                                     "signed_on"))


def test_a_renewal_copies_the_duties_with_signatures_cleared_and_names_the_list_it_renews(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = responsibility_list(world.unit_a, datetime.date(2023, 3, 10))
    services.entry_link_items(entry=old, items=[world.item_a], user=world.liaison_a)
    services.evidence_attach(owner=old, upload=SimpleUploadedFile("责任清单.pdf", b"%PDF-1.4"), user=world.liaison_a)
    new = services.responsibility_list_renew(entry=old, user=world.liaison_a)
    assert new.renews == old and list(old.renewals.all()) == [new]
    assert (new.kind, new.subkind, new.unit, new.place, new.description) == (
        old.kind, old.subkind, old.unit, old.place, old.description)
    assert new.title == "2024年度党风廉政建设责任清单" and new.occurred_on == datetime.date(2024, 1, 1)
    assert duties_of(new) == [row[:4] + (None,) for row in duties_of(old)]
    assert all(row[4] == datetime.date(2023, 3, 10) for row in duties_of(old))  # the old signatures stay
    assert not new.items.exists() and not new.evidence.exists() and new.created_by == world.liaison_a
    assert new.history.count() == 1  # recorded like any other save


def test_the_title_gets_the_new_year_only_where_it_names_the_old_one(world):
    plain = services.responsibility_list_renew(
        entry=responsibility_list(world.unit_a, datetime.date(2023, 3, 1), title="党风廉政建设责任清单"),
        user=world.liaison_a)
    assert plain.title == "党风廉政建设责任清单"
    coded = services.responsibility_list_renew(
        entry=responsibility_list(world.unit_b, datetime.date(2023, 3, 1), title="2023年责任清单（编号120230）"),
        user=world.office_x, year=2025)
    assert coded.title == "2025年责任清单（编号120230）" and coded.occurred_on == datetime.date(2025, 1, 1)


def test_today_is_the_renewals_day_when_today_is_in_the_new_year(world, monkeypatch):
    from checklists.services import responsibility

    monkeypatch.setattr(responsibility.timezone, "localdate", lambda: datetime.date(2024, 2, 20))
    new = services.responsibility_list_renew(entry=responsibility_list(world.unit_a, datetime.date(2023, 3, 1)),
                                             user=world.liaison_a)
    assert new.occurred_on == datetime.date(2024, 2, 20)


def test_a_second_renewal_for_the_same_year_is_refused_naming_the_first_and_writes_nothing(world):
    old = responsibility_list(world.unit_a, datetime.date(2023, 3, 1))
    first = services.responsibility_list_renew(entry=old, user=world.liaison_a)
    before = (LedgerEntry.all_objects.count(), Duty.objects.count())
    with pytest.raises(services.ServiceError) as refusal:
        services.responsibility_list_renew(entry=old, user=world.office_x)
    assert first.title in str(refusal.value)
    assert (LedgerEntry.all_objects.count(), Duty.objects.count()) == before
    services.record_archive(record=first, user=world.liaison_a)  # the renewal removed: renewed again
    assert services.responsibility_list_renew(entry=old, user=world.liaison_a).renews == old


def test_only_a_list_in_use_is_renewed_and_only_by_who_keeps_its_ledger(world):
    old = responsibility_list(world.unit_a, datetime.date(2023, 3, 1))
    for outsider in (world.office_y, world.viewer_x, f.member("liaison_b", world.unit_b, "liaison")):
        with pytest.raises(services.NotPermitted):
            services.responsibility_list_renew(entry=old, user=outsider)
    meeting = f.LedgerEntryFactory(unit=world.unit_a)
    with pytest.raises(services.ServiceError):
        services.responsibility_list_renew(entry=meeting, user=world.liaison_a)
    with pytest.raises(services.ServiceError):
        services.responsibility_list_renew(entry=old, user=world.liaison_a, year=2023)
    services.record_archive(record=old, user=world.liaison_a)
    with pytest.raises(services.ServiceError):
        services.responsibility_list_renew(entry=old, user=world.liaison_a)
    assert LedgerEntry.all_objects.count() == 2


def test_the_button_renews_and_opens_the_new_lists_form_and_both_pages_link_each_other(client, world):
    old = responsibility_list(world.unit_a, datetime.date(2023, 3, 1))
    client.force_login(world.liaison_a)
    assert 'id="renew-list"' in client.get(old.get_absolute_url()).content.decode()
    response = client.post(reverse("responsibility_list_renew", args=[old.pk]), follow=True)
    new = old.renewals.get()
    assert response.redirect_chain[-1][0] == reverse("ledger_edit", args=[new.pk])
    assert new.title in str(list(response.context["messages"])[0])
    new_page = client.get(new.get_absolute_url()).content.decode()
    assert old.get_absolute_url() in new_page and 'id="renews"' in new_page
    old_page = client.get(old.get_absolute_url()).content.decode()
    assert new.get_absolute_url() in old_page and 'id="renew-list"' not in old_page
    client.force_login(world.viewer_x)  # reads the list, is offered no button
    assert 'id="renew-list"' not in client.get(new.get_absolute_url()).content.decode()


def test_another_units_liaison_gets_404_and_a_viewer_403_and_nothing_is_written(client, world):
    old = responsibility_list(world.unit_a, datetime.date(2023, 3, 1))
    url = reverse("responsibility_list_renew", args=[old.pk])
    client.force_login(f.member("liaison_b", world.unit_b, "liaison"))
    assert client.post(url).status_code == 404
    client.force_login(world.viewer_x)
    assert client.post(url).status_code == 403
    client.force_login(world.liaison_a)
    assert client.get(url).status_code == 405
    assert not old.renewals.exists()


@pytest.fixture
def year_2024(world):
    """2023 lists in A, B and C; in 2024 A renewed and signed, B renewed by the deadline but not signed,
    C's list dated after the deadline; a unit of county X with no 2023 list is not asked about."""
    unit_d = f.unit("甲县财政局", world.county_x, code="D")
    for unit in (world.unit_a, world.unit_b, world.unit_c):
        responsibility_list(unit, datetime.date(2023, 3, 1))
    world.renewed = responsibility_list(world.unit_a, datetime.date(2024, 3, 20))
    world.unsigned = responsibility_list(world.unit_b, datetime.date(2024, 3, 31), signed=(True, False))
    world.late = responsibility_list(world.unit_c, datetime.date(2024, 4, 1))
    responsibility_list(unit_d, datetime.date(2024, 3, 1))
    return world


def states(renewal):
    return {row.unit_name: row.state for row in renewal.rows}


def test_the_renewal_page_classifies_each_unit_by_the_deadline_not_renewed_first(client, year_2024):
    client.force_login(year_2024.office_city)
    response = client.get(reverse("responsibility_renewal"), {"year": 2024, "deadline": "2024-03-31"})
    renewal = response.context["renewal"]
    assert states(renewal) == {"甲县组织部": RenewalState.RENEWED, "甲县司法局": RenewalState.UNSIGNED,
                               "乙县组织部": RenewalState.NOT_RENEWED}
    assert [row.unit_name for row in renewal.rows] == ["乙县组织部", "甲县司法局", "甲县组织部"]
    assert renewal.counts == {RenewalState.NOT_RENEWED: 1, RenewalState.UNSIGNED: 1, RenewalState.RENEWED: 1}
    assert renewal.rows[0].late and renewal.rows[0].current["pk"] == year_2024.late.pk
    html = response.content.decode()
    for entry in (year_2024.renewed, year_2024.unsigned, year_2024.late):
        assert entry.get_absolute_url() in html
    assert "1/2" in html and "甲县财政局" not in html
    shown = client.get(reverse("responsibility_renewal"), {"year": 2024, "state": "unsigned"}).context["table"]
    assert [row.record.unit_name for row in shown.rows] == ["甲县司法局"]
    later = responsibility_renewal_list(user=year_2024.office_city, year=2024, deadline=datetime.date(2024, 4, 30))
    assert states(later)["乙县组织部"] == RenewalState.RENEWED


def test_a_list_with_no_duty_recorded_is_not_counted_as_signed(year_2024):
    Duty.objects.filter(responsibility_list=year_2024.renewed).delete()
    renewal = responsibility_renewal_list(user=year_2024.office_city, year=2024, deadline=datetime.date(2024, 3, 31))
    assert states(renewal)["甲县组织部"] == RenewalState.UNSIGNED


def test_a_signing_after_the_deadline_is_not_a_renewal_by_it(year_2024):
    Duty.objects.filter(responsibility_list=year_2024.renewed).update(signed_on=datetime.date(2024, 4, 10))
    renewal = responsibility_renewal_list(user=year_2024.office_city, year=2024, deadline=datetime.date(2024, 3, 31))
    assert states(renewal)["甲县组织部"] == RenewalState.UNSIGNED


def test_only_the_units_latest_list_is_renewed_and_never_into_a_year_that_has_one(world):
    old = responsibility_list(world.unit_a, datetime.date(2023, 3, 1))
    other = responsibility_list(world.unit_a, datetime.date(2024, 2, 1), title="另一份2024年责任清单")
    assert old.renewal_year() is None and other.renewal_year() == 2025
    with pytest.raises(services.ServiceError, match="另一份2024年责任清单"):
        services.responsibility_list_renew(entry=old, user=world.liaison_a)
    assert LedgerEntry.objects.filter(unit=world.unit_a, kind=LedgerKind.RESPONSIBILITY).count() == 2


def test_a_county_office_sees_its_countys_units_only_and_others_get_403(client, year_2024):
    client.force_login(year_2024.office_x)
    response = client.get(reverse("responsibility_renewal"), {"year": 2024})
    assert set(states(response.context["renewal"])) == {"甲县组织部", "甲县司法局"}
    assert "乙县组织部" not in response.content.decode()
    for who in (year_2024.liaison_a, year_2024.viewer_x):
        client.force_login(who)
        assert client.get(reverse("responsibility_renewal")).status_code == 403


def test_the_page_defaults_to_this_year_and_31_march_and_refuses_a_deadline_in_another_year(client, world):
    client.force_login(world.office_city)
    this_year = timezone.localdate().year
    renewal = client.get(reverse("responsibility_renewal")).context["renewal"]
    assert (renewal.year, renewal.deadline) == (this_year, datetime.date(this_year, 3, 31))
    response = client.get(reverse("responsibility_renewal"), {"year": 2024, "deadline": "2025-03-31"})
    assert response.context["form"].errors["deadline"]
    assert response.context["renewal"].deadline == datetime.date(2024, 3, 31)


def test_with_no_list_last_year_the_page_opens_on_the_latest_year_with_lists_to_renew(client, world):
    this_year = timezone.localdate().year
    responsibility_list(world.unit_a, datetime.date(2023, 3, 1))
    responsibility_list(world.unit_b, datetime.date(this_year, 3, 1))  # renews into next year, not yet
    client.force_login(world.office_city)
    response = client.get(reverse("responsibility_renewal"))
    assert response.context["renewal"].year == 2024 and list(response.context["years"]) == [2024, this_year + 1]
    assert [row.unit_name for row in response.context["renewal"].rows] == ["甲县组织部"]
    empty = client.get(reverse("responsibility_renewal"), {"year": 2025}).content.decode()
    assert "?year=2024" in empty  # the years there are something to see for are offered


def page_queries(client, user):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("responsibility_renewal"), {"year": 2024}).status_code == 200
    return len(queries)


def test_the_page_asks_the_same_few_queries_for_three_units_or_thirty(client, year_2024):
    client.force_login(year_2024.office_city)
    few = page_queries(client, year_2024.office_city)
    for number in range(27):
        unit = f.unit(f"甲县单位{number}", year_2024.county_x, code=f"U{number}")
        responsibility_list(unit, datetime.date(2023, 3, 1))
        responsibility_list(unit, datetime.date(2024, 3, 1), signed=(number % 2 == 0,))
    many = page_queries(client, year_2024.office_city)
    assert many == few and many <= 15
