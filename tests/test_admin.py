"""The admin is scoped: county X's office sees nothing of county Y, a liaison only its unit."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.contrib.auth.models import Group
from django.urls import reverse

from checklists import services
from checklists.models import (
    LEDGER_MODELS,
    ChecklistItem,
    Duty,
    ItemStatus,
    LedgerKind,
    Membership,
    ProblemStatus,
    StandardSet,
)

from . import factories as f
from .conftest import record_of_each_model


def _admin_models():
    return [model for model in admin.site._registry if model is not Group]


def post_change_form(client, url, data):
    """POST an admin change form as a browser would: with each inline's management form."""
    page = client.get(url)
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS"):
            data.setdefault(f"{inline.formset.prefix}-{name}", management[name].value())
        for index, form in enumerate(inline.formset.initial_forms):
            pk_field = form._meta.model._meta.pk.name
            data.setdefault(f"{inline.formset.prefix}-{index}-{pk_field}", form.instance.pk)
    return client.post(url, data)


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_admin_model_has_a_record_on_each_side(records):
    assert {m.__name__ for m in _admin_models()} <= set(records["x"])


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m.__name__)
def test_every_changelist_add_and_change_page_renders_for_a_superuser(client, world, records, model):
    client.force_login(world.superuser)
    assert client.get(_url(model, "changelist")).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(type("R", (), {"user": world.superuser})()):
        assert client.get(_url(model, "add")).status_code == 200
    obj = records["x"][model.__name__]
    assert client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m.__name__)
def test_county_office_sees_nothing_of_another_county(client, world, records, model):
    client.force_login(world.office_x)
    response = client.get(_url(model, "changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert records["x"][model.__name__].pk in shown
    assert records["y"][model.__name__].pk not in shown
    page = response.content.decode()
    for name in ("乙县", records["y"]["Campaign"].name, records["y"]["StandardSet"].name):
        assert name not in page, f"{name} shown in the {model.__name__} changelist (a filter?)"
    assert client.get(_url(model, "change", records["y"][model.__name__].pk)).status_code in (403, 404)


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m.__name__)
def test_liaison_sees_only_its_own_unit(client, world, records, model):
    client.force_login(world.liaison_a)
    response = client.get(_url(model, "changelist"))
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert records["y"][model.__name__].pk not in shown
    assert world.unit_b.pk not in shown or model.__name__ != "Unit"


def test_county_office_cannot_pick_another_countys_unit(client, world):
    client.force_login(world.office_x)
    response = client.get(_url(LEDGER_MODELS[LedgerKind.VISIT], "add"))
    choices = response.context["adminform"].form.fields["unit"].queryset
    assert world.unit_a in choices and world.unit_c not in choices


def test_autocomplete_offers_only_units_within_reach(client, world):
    client.force_login(world.office_x)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "checklists", "model_name": "problem", "field_name": "unit", "term": "组织部"})
    names = [row["text"] for row in response.json()["results"]]
    assert names == ["甲县组织部"]


def test_liaison_cannot_change_a_score_through_the_admin(client, world):
    client.force_login(world.liaison_a)
    url = _url(ChecklistItem, "change", world.item_a.pk)
    response = post_change_form(client, url, {"progress": 50, "account": "已完成", "score": "5",
                                              "review_comment": "自评优秀", "loaded_version": 1})
    assert response.status_code == 302
    item = ChecklistItem.objects.get(pk=world.item_a.pk)
    assert (item.progress, item.account, item.score, item.review_comment) == (50, "已完成", None, "")


def test_office_scores_through_the_admin_within_the_points(client, world, submitted_item):
    client.force_login(world.office_x)
    url = _url(ChecklistItem, "change", submitted_item.pk)
    response = post_change_form(client, url, {"score": "9", "review_comment": "", "due_date": "2023-12-31",
                                              "loaded_version": submitted_item.version})
    assert response.status_code == 200
    assert "5" in str(response.context["adminform"].form.errors)
    assert ChecklistItem.objects.get(pk=submitted_item.pk).score is None


def test_a_stale_admin_form_is_refused_as_a_conflict(client, world):
    services.item_update(item=world.item_a, user=world.leader_a, expected_version=1, account="负责人先保存")
    client.force_login(world.liaison_a)
    response = post_change_form(client, _url(ChecklistItem, "change", world.item_a.pk),
                                {"progress": 10, "account": "联络员后保存", "loaded_version": 1})
    assert response.status_code == 200
    assert "已有他人保存了修改" in str(response.context["adminform"].form.non_field_errors())
    assert ChecklistItem.objects.get(pk=world.item_a.pk).account == "负责人先保存"


def test_viewer_reads_but_cannot_change(client, world):
    client.force_login(world.viewer_x)
    url = _url(ChecklistItem, "change", world.item_a.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"progress": 90, "loaded_version": 1}).status_code == 403
    assert ChecklistItem.objects.get(pk=world.item_a.pk).progress == 0


def test_approve_action_calls_the_service(client, world, submitted_item):
    client.force_login(world.office_x)
    response = client.post(_url(ChecklistItem, "changelist"), {
        "action": "approve_items", "_selected_action": [submitted_item.pk], "apply": "1", "comment": "同意",
        "score": "4"})
    assert response.status_code == 302
    item = ChecklistItem.objects.get(pk=submitted_item.pk)
    assert (item.status, item.score, item.reviewed_by) == (ItemStatus.APPROVED, Decimal("4"), world.office_x)


def test_return_action_asks_for_a_comment_first(client, world, submitted_item):
    client.force_login(world.office_x)
    url = _url(ChecklistItem, "changelist")
    asked = client.post(url, {"action": "return_items", "_selected_action": [submitted_item.pk]})
    assert asked.status_code == 200 and "comment" in asked.context["form"].fields
    empty = client.post(url, {"action": "return_items", "_selected_action": [submitted_item.pk], "apply": "1"})
    assert empty.status_code == 200 and empty.context["form"].errors
    assert ChecklistItem.objects.get(pk=submitted_item.pk).status == ItemStatus.SUBMITTED
    client.post(url, {"action": "return_items", "_selected_action": [submitted_item.pk], "apply": "1",
                      "comment": "请补充佐证材料"})
    item = ChecklistItem.objects.get(pk=submitted_item.pk)
    assert (item.status, item.review_comment) == (ItemStatus.RETURNED, "请补充佐证材料")


def test_approving_a_draft_in_the_admin_reports_the_refusal(client, world):
    client.force_login(world.office_x)
    response = client.post(_url(ChecklistItem, "changelist"), {
        "action": "approve_items", "_selected_action": [world.item_a.pk], "apply": "1"}, follow=True)
    assert "“草稿”状态的事项不能变为“已通过”" in " ".join(str(m) for m in response.context["messages"])
    assert ChecklistItem.objects.get(pk=world.item_a.pk).status == ItemStatus.DRAFT


def test_generate_items_action(client, world):
    f.unit("甲县教育局", world.county_x, code="D")
    client.force_login(world.office_city)
    client.post(_url(type(world.campaign), "changelist"),
                {"action": "generate_items", "_selected_action": [world.campaign.pk]})
    assert world.campaign.items.filter(unit__code="D").count() == 1


def test_county_office_cannot_generate_the_citys_campaign(client, world):
    f.unit("甲县教育局", world.county_x, code="D")
    client.force_login(world.office_x)
    client.post(_url(type(world.campaign), "changelist"),
                {"action": "generate_items", "_selected_action": [world.campaign.pk]})
    assert not world.campaign.items.filter(unit__code="D").exists()


def test_county_office_sees_the_citys_standards_read_only(client, world):
    client.force_login(world.office_x)
    url = _url(StandardSet, "change", world.standard_set.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "改名"}).status_code == 403


def test_liaison_reports_rectification_through_the_admin(client, world):
    from checklists.models import Problem

    problem = f.ProblemFactory(unit=world.unit_a)
    client.force_login(world.liaison_a)
    response = post_change_form(client, _url(Problem, "change", problem.pk), {"rectification": "已完善台账"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    problem.refresh_from_db()
    assert (problem.status, problem.rectification) == (ProblemStatus.REPORTED, "已完善台账")


def test_office_creates_a_unit_under_its_county_only(client, world):
    from checklists.models import Unit

    client.force_login(world.office_x)
    url = _url(Unit, "add")
    refused = post_change_form(client, url, {"parent": world.county_y.pk, "name": "乙县新单位", "kind": "organ"})
    assert refused.status_code == 200 and "parent" in refused.context["adminform"].form.errors
    post_change_form(client, url, {"parent": world.county_x.pk, "name": "甲县新单位", "kind": "organ",
                                   "aliases-0-name": "新单位"})
    created = Unit.objects.get(name="甲县新单位")
    assert created.path.startswith(world.county_x.path) and created.depth == 3
    assert list(created.aliases.values_list("name", flat=True)) == ["新单位"]  # its other name, through the service


def test_office_sees_the_records_under_an_item_and_edits_a_visits_problems(client, world, records):
    client.force_login(world.office_x)
    item_page = client.get(_url(ChecklistItem, "change", world.item_a.pk))
    inlines = {formset.opts.model.__name__ for formset in item_page.context["inline_admin_formsets"]}
    assert {"ItemTransition", "Evidence"} <= inlines
    assert "记录.pdf" in item_page.content.decode()
    visit = records["x"]["SupervisionVisit"]
    visit_page = client.get(_url(type(visit), "change", visit.pk))
    problems = next(f for f in visit_page.context["inline_admin_formsets"] if f.opts.model.__name__ == "Problem")
    assert problems.has_add_permission and problems.has_change_permission


def test_linking_items_in_the_ledger_admin_rolls_up_the_quantity(client, world):
    from checklists.models import Meeting

    client.force_login(world.liaison_a)
    data = {"unit": world.unit_a.pk, "subkind": "three_meetings_one_lesson", "title": "第一季度“三会一课”",
            "occurred_on": "2023-03-20", "count": 2, "participants": 30, "materials": 0, "items": [world.item_a.pk]}
    response = client.post(_url(Meeting, "add"), data)
    assert response.status_code == 302
    world.item_a.refresh_from_db()
    assert world.item_a.quantity_achieved == 2
    refused = client.post(_url(Meeting, "add"), {**data, "items": [world.item_c.pk]})
    assert refused.status_code == 200 and "items" in refused.context["adminform"].form.errors
    assert Meeting.objects.count() == 1


def test_item_autocomplete_in_the_ledger_admin_is_scoped(client, world):
    client.force_login(world.office_x)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "checklists", "model_name": "ledgerentry", "field_name": "items", "term": ""})
    shown = {int(row["id"]) for row in response.json()["results"]}
    assert world.item_a.pk in shown and world.item_c.pk not in shown


def test_a_crafted_post_cannot_reach_another_countys_records(client, world, records):
    """Every relation a form accepts is limited to the user's reach, not only what the widget offers."""
    client.force_login(world.liaison_a)
    foreign_list = records["y"]["ResponsibilityList"]
    response = client.post(_url(Duty, "add"), {"responsibility_list": foreign_list.pk, "holder": "某人",
                                               "duties": "越权"})
    assert response.status_code == 200 and "responsibility_list" in response.context["adminform"].form.errors
    assert not Duty.objects.filter(holder="某人").exists()

    client.force_login(world.office_x)
    response = client.post(_url(Membership, "add"), {"user": records["y"]["User"].pk, "unit": world.unit_a.pk,
                                                     "role": "office"})
    assert response.status_code == 200 and "user" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=records["y"]["User"], unit=world.unit_a).exists()


def test_overdue_filter_lists_late_items_only(client, world, submitted_item):
    ChecklistItem.objects.filter(pk=world.item_c.pk).update(due_date="2000-01-01")
    ChecklistItem.objects.filter(pk__in=[world.item_a.pk, world.campaign.items.get(unit=world.unit_b).pk]).update(
        due_date="2000-01-01")
    client.force_login(world.office_city)
    response = client.get(_url(ChecklistItem, "changelist"), {"late": "yes"})
    shown = {item.unit.code for item in response.context["cl"].result_list}
    assert shown == {"B", "C"}  # A is late too, but submitted: done on the unit's side


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m.__name__)
def test_every_changelist_runs_a_fixed_number_of_queries(client, world, records, model):
    """County X's office, with one record of each kind, then with 20 more units' worth of them."""
    client.force_login(world.office_x)

    def count():
        client.get(_url(model, "changelist"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(model, "changelist")).status_code == 200
        return len(queries)

    small = count()
    for n in range(20):
        unit = f.unit(f"甲县增补单位{n}", world.county_x)
        services.campaign_generate_items(campaign=world.campaign)
        record_of_each_model(f"x{n}", unit, world.county_x, f.member(f"liaison_x{n}", unit, "liaison"),
                             world.campaign.items.get(unit=unit))
    assert count() == small


def test_a_problem_found_on_a_visit_belongs_to_the_unit_visited(client, world, records):
    from checklists.models import Problem, SupervisionVisit

    visit = records["x"]["SupervisionVisit"]
    client.force_login(world.office_city)
    url = _url(SupervisionVisit, "change", visit.pk)
    form = client.get(url).context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data.update({"problems-0-description": "台账不全", "problems-0-found_on": "2023-03-02",
                 "problems-0-deadline": "2023-04-01", "problems-0-unit": world.unit_c.pk,
                 "problems-TOTAL_FORMS": 2})
    response = post_change_form(client, url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    found = Problem.objects.get(description="台账不全")
    assert found.unit == visit.unit and found.source_id == visit.pk
    problem = records["x"]["Problem"]
    change = _url(Problem, "change", problem.pk)
    form = client.get(change).context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    refused = post_change_form(client, change, {**data, "unit": world.unit_c.pk}, )
    assert Problem.objects.get(pk=problem.pk).unit == problem.unit
    assert refused.status_code in (200, 302)


def test_a_task_issued_from_above_lists_only_the_responsible_units_in_reach(client, world):
    from checklists.models import Campaign, Task

    task = Task.objects.create(campaign=world.campaign, number=9, title="全市任务", lead_department=world.city)
    task.responsible_units.set([world.unit_a, world.unit_c])
    client.force_login(world.office_x)
    for url in (_url(Task, "change", task.pk), _url(Campaign, "change", world.campaign.pk)):
        page = client.get(url).content.decode()
        assert "甲县组织部" in page and "乙县组织部" not in page, url
    client.force_login(world.office_city)  # the issuing office edits them, all of them
    page = client.get(_url(Task, "change", task.pk)).content.decode()
    assert "甲县组织部" in page and "乙县组织部" in page
