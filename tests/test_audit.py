"""The audit trail: who changed what, when, from where; visible to those who reach the record."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from checklists import services
from checklists.imports import IMPORTERS
from checklists.models import Campaign, ChecklistItem, LedgerEntry, Problem, StandardSet, Task, Unit

from . import factories as f
from .test_admin import post_change_form
from .test_imports import TASK_HEADER, xlsx
from .test_views_ledgers import training


def last(model, **lookup):
    return model.history.filter(**lookup).order_by("-history_date", "-history_id").first()


def test_a_ledger_entry_logged_on_the_web_is_recorded_with_who_and_from_where(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.liaison_a)
    client.post(reverse("ledger_new", args=["training"]), training(world))
    entry = LedgerEntry.objects.get(title="专题培训")
    record = last(LedgerEntry, id=entry.pk)
    assert (record.history_type, record.history_user, record.history_source) == ("+", world.liaison_a, "web")
    client.post(reverse("ledger_edit", args=[entry.pk]), training(world, title="专题培训（补记）"))
    new, old = LedgerEntry.history.filter(id=entry.pk).order_by("-history_date", "-history_id")[:2]
    change = {c.field: (c.old, c.new) for c in new.diff_against(old).changes}
    assert change["title"] == ("专题培训", "专题培训（补记）") and new.history_user == world.liaison_a


def test_a_problem_closed_by_the_office_is_recorded(world):
    problem = f.ProblemFactory(unit=world.unit_a)
    services.problem_report_rectification(problem=problem, user=world.liaison_a, rectification="已整改")
    services.problem_close(problem=Problem.objects.get(pk=problem.pk), user=world.office_x)
    statuses = list(Problem.history.filter(id=problem.pk).order_by("history_date", "history_id")
                    .values_list("status", flat=True))
    assert statuses[-2:] == ["reported", "closed"]


def test_the_admin_records_its_changes_as_admin(client, world):
    standard_set = StandardSet.objects.create(owner=world.county_x, name="甲县标准")
    assert last(StandardSet, id=standard_set.pk).history_source == "system"
    client.force_login(world.office_x)
    response = post_change_form(client, reverse("admin:checklists_standardset_change", args=[standard_set.pk]), {
        "owner": world.county_x.pk, "name": "甲县标准（修订）", "version": 2, "unit_kind": "",
        "description": "", "published_on": ""})
    assert response.status_code == 302
    record = last(StandardSet, id=standard_set.pk)
    assert (record.name, record.history_user, record.history_source) == ("甲县标准（修订）", world.office_x, "admin")


def test_an_import_is_recorded_as_an_import_by_its_user(world):
    rows = [[1, "落实第一议题", "", "", "", "", "2023年6月底前", ""]]
    plan = IMPORTERS["tasks"](user=world.office_city, campaign=world.campaign).run(
        xlsx("任务清单", TASK_HEADER, rows), dry_run=False)
    assert plan.ok
    task = Task.objects.get(campaign=world.campaign, number=1)
    record = last(Task, id=task.pk)
    assert (record.history_user, record.history_source) == (world.office_city, "import")


def test_every_listed_model_keeps_a_history():
    for model in (ChecklistItem, LedgerEntry, Problem, Unit, StandardSet, Campaign, Task):
        assert hasattr(model, "history"), model


def test_the_admin_history_of_another_countys_record_is_404(client, world):
    problem_y = f.ProblemFactory(unit=world.unit_c, description="乙县的问题")
    problem_x = f.ProblemFactory(unit=world.unit_a, description="甲县的问题")
    client.force_login(world.office_x)
    assert client.get(reverse("admin:checklists_problem_history", args=[problem_y.pk])).status_code == 404
    page = client.get(reverse("admin:checklists_problem_history", args=[problem_x.pk]))
    assert page.status_code == 200
    version = problem_y.history.first().history_id
    assert client.get(reverse("admin:checklists_problem_simple_history",
                              args=[problem_y.pk, version])).status_code == 404
    client.force_login(world.superuser)
    assert client.get(reverse("admin:checklists_problem_history", args=[problem_y.pk])).status_code == 200


def test_an_evidence_upload_is_recorded(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evidence = services.evidence_attach(owner=world.item_a, upload=SimpleUploadedFile("记录.pdf", b"%PDF-1.4"),
                                        user=world.liaison_a)
    assert evidence.history.count() == 1
