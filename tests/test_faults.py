"""Faults: an error or a killed process halfway through an import or an item generation leaves nothing
half-written, and two office users approving one item at once give one approval."""

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_save
from django.urls import reverse
from openpyxl import Workbook

from checklists import services
from checklists.exports.checklist import ACCOUNT, ITEM_ID, PROGRESS, VERSION
from checklists.imports import IMPORTERS
from checklists.models import ChecklistItem, Job, JobStatus, StandardItem, Task, Unit
from checklists.models.standings import UnitStandingQuerySet

from . import factories as f
from .test_security import snapshot

ROOT = Path(__file__).resolve().parents[1]


class Injected(Exception):
    """The fault a test injects."""


def workbook(sheet, header, rows):
    book = Workbook()
    book.active.title = sheet
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def raise_on_save(model, n):
    """Make the n-th save of `model` fail, as a database error would; returns the disconnect function."""
    saves = []

    def fail(sender, **kwargs):
        saves.append(1)
        if len(saves) == n:
            raise Injected(f"injected at save {n}")

    post_save.connect(fail, sender=model, weak=False)
    return lambda: post_save.disconnect(fail, sender=model)


def import_cases(world):
    units = workbook("单位", ["单位名称", "上级单位", "单位类型"], [[f"甲县第{i}小学", "甲县", "学校"] for i in range(40)])
    standards = workbook("创建标准", ["维度", "编号", "条目", "频次", "分值"],
                         [["政治建设", f"N{i:02d}", f"条目{i}", "每年", "1"] for i in range(40)])
    for code in ("S1", "S2", "S3", "S4"):
        f.StandardItemFactory(standard_set=world.standard_set, dimension=world.standard_item.dimension, code=code)
    services.campaign_generate_items(campaign=world.campaign)
    items = ChecklistItem.objects.filter(unit=world.unit_a)
    checklist = workbook("清单事项", [ITEM_ID, VERSION, PROGRESS, ACCOUNT],
                         [[item.pk, item.version, 50, "已完成一半"] for item in items])
    return {
        "units": (world.office_x, {}, units, Unit, 20),
        "standards": (world.office_city, {"standard_set": world.standard_set}, standards, StandardItem, 20),
        "checklist": (world.liaison_a, {}, checklist, ChecklistItem, 3),
    }


@pytest.mark.parametrize("identifier", ["units", "standards", "checklist"])
def test_an_exception_at_row_n_of_an_import_leaves_the_database_as_it_was(world, identifier):
    user, options, data, model, n = import_cases(world)[identifier]
    before = snapshot()
    disconnect = raise_on_save(model, n)
    try:
        with pytest.raises(Injected):
            IMPORTERS[identifier](user=user, **options).run(io.BytesIO(data), dry_run=False)
    finally:
        disconnect()
    assert snapshot() == before
    plan = IMPORTERS[identifier](user=user, **options).run(io.BytesIO(data), dry_run=False)
    assert plan.ok and snapshot() != before


def test_an_exception_in_the_last_step_of_a_bulk_task_import_leaves_no_task(world, monkeypatch):
    data = workbook("任务清单", ["序号", "任务", "责任单位"], [[i, f"任务{i}", "甲县组织部"] for i in range(1, 301)])
    links = Task.responsible_units.through
    bulk_create = type(links.objects).bulk_create

    def fail(manager, objs, *args, **kwargs):
        if manager.model is links:
            raise Injected("injected in the responsible units")
        return bulk_create(manager, objs, *args, **kwargs)

    before = snapshot()
    monkeypatch.setattr(type(links.objects), "bulk_create", fail)
    with pytest.raises(Injected):
        IMPORTERS["tasks"](user=world.office_city, campaign=world.campaign).run(io.BytesIO(data), dry_run=False)
    assert snapshot() == before and not Task.history.exists()


def test_a_background_import_that_fails_says_so_and_writes_nothing(client, world, settings):
    settings.IMPORT_BACKGROUND_ROWS = 10
    user, _options, data, model, _n = import_cases(world)["units"]
    before = snapshot()
    disconnect = raise_on_save(Unit, 30)
    client.force_login(user)
    try:
        response = client.post(reverse("import_page"), {"kind": "units",
                                                        "file": SimpleUploadedFile("单位.xlsx", data)})
    finally:
        disconnect()
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.status == JobStatus.FAILED and "injected" in job.message
    assert snapshot() == {**before, "Job": snapshot()["Job"]}
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "injected" in page and "未导入任何数据。" in page


def test_an_exception_in_item_generation_creates_no_item(world, monkeypatch):
    f.unit("甲县新单位", world.county_x, code="NEW")
    before = snapshot()

    def fail(self, *args, **kwargs):
        raise Injected("injected after the items were inserted")

    monkeypatch.setattr(UnitStandingQuerySet, "forget", fail)
    with pytest.raises(Injected):
        services.campaign_generate_items(campaign=world.campaign)
    assert snapshot() == before
    monkeypatch.undo()
    assert services.campaign_generate_items(campaign=world.campaign) == 1


# A process killed halfway

SETUP = """
import django, os
django.setup()
from django.contrib.auth.models import User
from checklists import services
from checklists.models import *
city = Unit.objects.add_root(instance=Unit(name="山水市", kind=UnitKind.CITY, code="CITY"))
county = Unit.objects.add_child(city, instance=Unit(name="甲县", kind=UnitKind.COUNTY, code="X"))
for i in range(100):
    Unit.objects.add_child(county, instance=Unit(name=f"甲县单位{i}", kind=UnitKind.ORGAN, code=f"U{i}"))
office = User.objects.create_user("office", password="pw")
Membership.objects.create(user=office, unit=city, role=Role.OFFICE)
standards = StandardSet.objects.create(name="标准", owner=city)
dimension = Dimension.objects.create(standard_set=standards, name="政治建设", code="D1", order=1)
for i in range(5):
    StandardItem.objects.create(standard_set=standards, dimension=dimension, code=f"P{i}", title=f"条目{i}",
                                measure_kind=MeasureKind.MEETING, recurrence=Recurrence.MONTHLY, points=1,
                                order=i)
campaign = Campaign.objects.create(name="2023年任务清单", owner=city, standard_set=standards, year=2023,
                                   period_start="2023-01-01", period_end="2023-12-31")
campaign.scope_units.add(city)
"""

# Run the step, and at its halfway mark tell the test (a file) and wait to be killed.
STALL = """
import django, sys, time
django.setup()
from django.contrib.auth.models import User
from django.db.models.signals import post_save
from checklists import services
from checklists.exports.checklist import ACCOUNT, ITEM_ID, PROGRESS, VERSION
from checklists.imports import IMPORTERS
from checklists.models import Campaign, Unit
from checklists.models.standings import UnitStandingQuerySet

def stall(*args, **kwargs):
    open(sys.argv[2], "w").close()
    time.sleep(600)

if sys.argv[1] == "import":
    saves = []
    def count(sender, **kwargs):
        saves.append(1)
        if len(saves) == 100:
            stall()
    post_save.connect(count, sender=Unit)
    IMPORTERS["units"](user=User.objects.get(username="office")).run(open(sys.argv[3], "rb"), dry_run=False)
else:
    UnitStandingQuerySet.forget = stall  # after every item is inserted, before the commit
    services.campaign_generate_items(campaign=Campaign.objects.get())
"""

COUNT = """
import django
django.setup()
from checklists.models import ChecklistItem, Unit
print(Unit.objects.count(), Unit.history.count(), ChecklistItem.objects.count(), ChecklistItem.history.count())
"""


@pytest.fixture
def own_database(tmp_path):
    """A database of the kind the suite runs on (a PostgreSQL one made for the test, or an SQLite file),
    migrated and filled by SETUP in a process of its own."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(SQLITE_PATH=str(tmp_path / "faults.sqlite3"), DJANGO_SETTINGS_MODULE="tracker.settings",
               PYTHONPATH=str(ROOT))
    server = os.environ.get("DATABASE_URL")
    name = f"faults_{uuid.uuid4().hex[:8]}"
    if server:
        import psycopg

        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = server.rsplit("/", 1)[0] + "/" + name
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput"], env=env, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, cwd=ROOT)
    yield env
    if server:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def counts(env):
    output = subprocess.run([sys.executable, "-c", COUNT], env=env, check=True, capture_output=True, text=True,
                            cwd=ROOT).stdout
    return tuple(int(number) for number in output.split())


def kill_halfway(env, tmp_path, *args):
    signal_file = tmp_path / "halfway"
    process = subprocess.Popen([sys.executable, "-c", STALL, args[0], str(signal_file), *args[1:]], env=env,
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not signal_file.exists():
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the step never reached its halfway mark"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_an_import_killed_halfway_leaves_nothing_and_the_next_one_works(own_database, tmp_path):
    env = own_database
    upload = tmp_path / "units.xlsx"
    upload.write_bytes(workbook("单位", ["单位名称", "上级单位", "单位类型"],
                                [[f"新单位{i}", "甲县", "机关"] for i in range(300)]))
    before = counts(env)
    kill_halfway(env, tmp_path, "import", str(upload))
    assert counts(env) == before
    subprocess.run([sys.executable, "-c", "import django, sys; django.setup(); from django.contrib.auth.models "
                    "import User; from checklists.imports import IMPORTERS; plan = IMPORTERS['units'](user=User."
                    "objects.get(username='office')).run(open(sys.argv[1], 'rb'), dry_run=False); "
                    "assert plan.ok, plan.problems", str(upload)], env=env, check=True, cwd=ROOT, capture_output=True)
    assert counts(env)[:2] == (before[0] + 300, before[1] + 300)


def test_item_generation_killed_halfway_leaves_no_item_and_the_next_one_works(own_database, tmp_path):
    env = own_database
    before = counts(env)
    assert before[2] == 0
    kill_halfway(env, tmp_path, "generate")
    assert counts(env) == before
    subprocess.run([sys.executable, "-c", "import django; django.setup(); from checklists import services; "
                    "from checklists.models import Campaign; "
                    "print(services.campaign_generate_items(campaign=Campaign.objects.get()))"],
                   env=env, check=True, cwd=ROOT, capture_output=True)
    after = counts(env)
    assert after[2] >= 100 * 5 * 12 and after[3] == after[2]


# Two office users at once

PREPARE_REVIEW = """
import django
django.setup()
from django.contrib.auth.models import User
from checklists import services
from checklists.models import *
unit = Unit.objects.get(code="U0")
liaison = User.objects.create_user("liaison")
Membership.objects.create(user=liaison, unit=unit, role=Role.LIAISON)
Membership.objects.create(user=User.objects.create_user("office2"), unit=Unit.objects.get(code="X"), role=Role.OFFICE)
services.campaign_generate_items(campaign=Campaign.objects.get())
services.item_submit(item=ChecklistItem.objects.filter(unit=unit).first(), user=liaison)
"""

# Both processes start together, both read the submitted item, then each waits (up to 2 s) for the other
# to have read it too before going on: without row locks both would approve.
APPROVE = """
import django, sys, time, pathlib
django.setup()
from decimal import Decimal
from django.contrib.auth.models import User
from checklists import services
from checklists.models import ChecklistItem, ItemStatus

def meet(mine, theirs):
    pathlib.Path(mine).touch()
    deadline = time.monotonic() + 2
    while not pathlib.Path(theirs).exists() and time.monotonic() < deadline:
        time.sleep(0.01)

name, other = sys.argv[1], sys.argv[2]
can_move_to = ChecklistItem.can_move_to
def read_then_meet(self, status):
    allowed = can_move_to(self, status)
    meet(f"{name}.read", f"{other}.read")
    return allowed
ChecklistItem.can_move_to = read_then_meet
item = ChecklistItem.objects.get(status=ItemStatus.SUBMITTED)
user = User.objects.get(username=name)
meet(f"{name}.ready", f"{other}.ready")
try:
    services.item_approve(item=item, user=user, score=Decimal(1))
    print("approved")
except services.ServiceError as error:
    print("refused", error)
"""

REVIEWED = """
import django
django.setup()
from checklists.models import ChecklistItem, ItemStatus, ItemTransition
item = ChecklistItem.objects.get(status=ItemStatus.APPROVED)
print(ItemTransition.objects.filter(item=item, to_status=ItemStatus.APPROVED).count(), item.version,
      item.history.filter(status=ItemStatus.APPROVED).count())
"""


def test_two_office_users_approving_one_item_at_once_give_one_approval(own_database, tmp_path):
    """Both load the submitted item and press approve at the same moment: the first approves, the second
    is told it is already approved. One transition, one version step, on either database."""
    env = own_database
    subprocess.run([sys.executable, "-c", PREPARE_REVIEW], env=env, check=True, capture_output=True, cwd=ROOT)
    processes = [subprocess.Popen([sys.executable, "-c", APPROVE, name, other], env=env, cwd=tmp_path,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for name, other in (("office", "office2"), ("office2", "office"))]
    outcomes = [process.communicate(timeout=60) for process in processes]
    assert sorted(out.split(" ")[0].strip() for out, _err in outcomes) == ["approved", "refused"], outcomes
    transitions, version, approvals = (int(n) for n in subprocess.run(
        [sys.executable, "-c", REVIEWED], env=env, check=True, capture_output=True, text=True, cwd=ROOT).stdout.split())
    assert (transitions, approvals) == (1, 1)
    assert version == 3  # 1 when generated, 2 when submitted, 3 when approved once
