"""The admin is a thin shell: standards, task lists, tasks, units and memberships are saved and deleted
by the services, which hold who may change them; the admin pages only call them."""

import datetime

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import Membership, Role, StandardItem, StandardSet, Task, Unit, UnitStanding

from . import factories as f
from .test_admin import post_change_form
from .test_security import snapshot


def _url(model, view, *args):
    return reverse(f"admin:checklists_{model._meta.model_name}_{view}", args=args)


def refused(call):
    before = snapshot()
    with pytest.raises(services.NotPermitted):
        call()
    assert snapshot() == before


def test_only_the_issuing_office_changes_a_standard_or_a_task(world):
    item = StandardItem.objects.get(pk=world.standard_item.pk)
    item.title = "县里改写的标准"
    refused(lambda: services.standard_record_save(record=item, user=world.office_x))
    refused(lambda: services.standard_record_delete(record=item, user=world.office_x))
    task = Task(campaign=world.campaign, number="1", title="县里加的任务")
    refused(lambda: services.campaign_record_save(record=task, user=world.office_x))
    handed_down = StandardSet.objects.get(pk=world.standard_set.pk)
    handed_down.owner = world.county_x  # an office cannot take over what its city issued
    refused(lambda: services.standard_record_save(record=handed_down, user=world.office_x))
    own = f.StandardSetFactory(owner=world.county_x)
    own.owner = world.city  # nor hand its own up
    refused(lambda: services.standard_record_save(record=own, user=world.office_x))


def test_a_standard_changed_in_the_admin_recounts_the_standings(client, world):
    UnitStanding.objects.fill(campaign=world.campaign, units=Unit.objects.all(), as_of=datetime.date(2023, 12, 31))
    assert UnitStanding.objects.filter(campaign=world.campaign).exists()
    client.force_login(world.office_city)
    item = world.standard_item
    response = post_change_form(client, _url(StandardItem, "change", item.pk), {
        "standard_set": item.standard_set_id, "dimension": item.dimension_id, "code": item.code, "order": 1,
        "title": "重新表述的标准", "measure_kind": item.measure_kind, "recurrence": item.recurrence,
        "quantity_target": 1, "measure_word": "场", "points": 5})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert StandardItem.objects.get(pk=item.pk).title == "重新表述的标准"
    assert not UnitStanding.objects.filter(campaign=world.campaign).exists()
    history = StandardItem.history.filter(id=item.pk).latest()
    assert history.history_user == world.office_city


def test_the_admin_delete_goes_through_the_service(client, world, monkeypatch):
    spare = f.StandardSetFactory(owner=world.city)
    client.force_login(world.office_city)

    def refuse(**kwargs):
        raise services.NotPermitted("不可删除")

    monkeypatch.setattr("checklists.admin.standards.IssuedAdmin.delete_service", staticmethod(refuse))
    response = client.post(_url(StandardSet, "delete", spare.pk), {"post": "yes"}, follow=True)
    assert StandardSet.objects.filter(pk=spare.pk).exists()
    assert "不可删除" in " ".join(str(m) for m in response.context["messages"])
    response = client.post(_url(StandardSet, "changelist"), {
        "action": "delete_selected", "_selected_action": [spare.pk], "post": "yes"}, follow=True)
    assert StandardSet.objects.filter(pk=spare.pk).exists()


def test_memberships_are_given_by_the_office_over_the_unit(client, world):
    outsider = Membership(user=f.UserFactory(username="new_y"), unit=world.unit_c, role=Role.LIAISON)
    refused(lambda: services.membership_save(membership=outsider, user=world.office_x))
    moved = Membership.objects.get(user=world.liaison_a)
    moved.unit = world.unit_c
    refused(lambda: services.membership_save(membership=moved, user=world.office_x))
    refused(lambda: services.membership_delete(membership=Membership.objects.get(user=world.office_y),
                                               user=world.office_x))
    client.force_login(world.office_x)
    response = client.post(_url(Membership, "add"), {
        "user": world.viewer_x.pk, "unit": world.unit_b.pk, "role": Role.LIAISON})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Membership.objects.filter(user=world.viewer_x, unit=world.unit_b).exists()


def test_an_office_does_not_change_its_own_unit_by_any_path(world):
    county = Unit.objects.get(pk=world.county_x.pk)
    county.name = "甲县（改）"
    refused(lambda: services.unit_save(unit=county, parent=None, user=world.office_x))
    refused(lambda: services.unit_delete(unit=Unit.objects.get(pk=world.unit_c.pk), user=world.office_x))
    top = Unit(name="另一个市", kind="city")
    refused(lambda: services.unit_save(unit=top, parent=None, user=world.office_city))


def test_only_the_office_over_an_item_reviews_it(world, submitted_item):
    from checklists.models import reach_of
    assert reach_of(world.office_x).may_review(submitted_item)
    assert not reach_of(world.office_y).may_review(submitted_item)
    assert not reach_of(world.liaison_a).may_review(submitted_item)
    with pytest.raises(services.NotPermitted):
        services.item_approve(item=submitted_item, user=world.office_y, score=1)


def test_an_office_neither_ends_its_own_role_nor_makes_more_offices_of_itself(client, world):
    own = Membership.objects.get(user=world.office_x)
    refused(lambda: services.membership_delete(membership=own, user=world.office_x))
    another = Membership(user=world.liaison_a, unit=world.county_x, role=Role.OFFICE)
    refused(lambda: services.membership_save(membership=another, user=world.office_x))
    demoted = Membership.objects.get(user=world.office_x)
    demoted.role = Role.VIEWER
    refused(lambda: services.membership_save(membership=demoted, user=world.office_x))
    client.force_login(world.office_x)
    response = client.post(_url(Membership, "delete", own.pk), {"post": "yes"}, follow=True)
    assert Membership.objects.filter(pk=own.pk).exists()
    assert "上级工作专班" in " ".join(str(m) for m in response.context["messages"]) or response.status_code == 403
    services.membership_save(membership=another, user=world.office_city)  # the city office may
    assert Membership.objects.filter(user=world.liaison_a, unit=world.county_x, role=Role.OFFICE).exists()


def test_a_refused_role_is_an_error_on_the_form_and_what_was_chosen_stays(client, world):
    client.force_login(world.office_x)
    before = snapshot()
    response = client.post(_url(Membership, "add"), {
        "user": world.viewer_x.pk, "unit": world.county_x.pk, "role": Role.OFFICE})
    assert snapshot() == before
    form = response.context["adminform"].form
    assert response.status_code == 200 and "上级工作专班" in str(form.errors["role"])
    assert (form["user"].value(), form["unit"].value()) == (str(world.viewer_x.pk), str(world.county_x.pk))
