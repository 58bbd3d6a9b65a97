"""One test world: a city with two counties, a unit in each, and one user per role.

    city ──┬── county X ──┬── unit A   (liaison_a, leader_a act for it)
           │  (office_x,   └── unit B
           │   viewer_x)
           └── county Y ──── unit C   (office_y: the outsider, who must see nothing of X)
    office_city reaches everything; superuser is a superuser.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from checklists import services
from checklists.models import (
    LEDGER_MODELS,
    SUBKINDS,
    ChecklistItem,
    Duty,
    ItemStatus,
    ItemTransition,
    LedgerKind,
    Membership,
    ProblemTransition,
    Role,
    SupervisionVisit,
    Task,
    UnitKind,
    VisitKind,
)

from . import factories as f


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings, tmp_path):
    """A background export runs inside the request that starts it; its file goes to a temporary folder."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language; a request in English must not leak into the next test."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@dataclass
class World:
    city: object
    county_x: object
    county_y: object
    unit_a: object
    unit_b: object
    unit_c: object
    superuser: object
    office_city: object
    office_x: object  # office of county X: reaches X, A, B
    viewer_x: object  # read-only over county X
    liaison_a: object  # acts for unit A only
    leader_a: object
    office_y: object  # the outsider: county Y only
    standard_set: object
    standard_item: object
    campaign: object
    item_a: object
    item_c: object


@pytest.fixture
def world(db):
    city = f.unit("山水市", kind=UnitKind.CITY, code="CITY")
    county_x = f.unit("甲县", city, UnitKind.COUNTY, code="X")
    county_y = f.unit("乙县", city, UnitKind.COUNTY, code="Y")
    unit_a = f.unit("甲县组织部", county_x, code="A")
    unit_b = f.unit("甲县司法局", county_x, code="B")
    unit_c = f.unit("乙县组织部", county_y, code="C")
    superuser = f.UserFactory(username="root", is_superuser=True)
    standard_item = f.StandardItemFactory(dimension__standard_set__owner=city)
    standard_set = standard_item.standard_set
    campaign = f.CampaignFactory(owner=city, standard_set=standard_set)
    campaign.scope_units.add(city)
    services.campaign_generate_items(campaign=campaign)
    return World(
        city=city, county_x=county_x, county_y=county_y, unit_a=unit_a, unit_b=unit_b, unit_c=unit_c,
        superuser=superuser,
        office_city=f.member("office_city", city, Role.OFFICE),
        office_x=f.member("office_x", county_x, Role.OFFICE),
        viewer_x=f.member("viewer_x", county_x, Role.VIEWER),
        liaison_a=f.member("liaison_a", unit_a, Role.LIAISON),
        leader_a=f.member("leader_a", unit_a, Role.LEADER),
        office_y=f.member("office_y", county_y, Role.OFFICE),
        standard_set=standard_set, standard_item=standard_item, campaign=campaign,
        item_a=campaign.items.get(unit=unit_a),
        item_c=campaign.items.get(unit=unit_c),
    )


@pytest.fixture
def submitted_item(world):
    item = services.item_submit(item=world.item_a, user=world.liaison_a)
    assert item.status == ItemStatus.SUBMITTED
    return item


@pytest.fixture
def reviewed(world, submitted_item):
    """Unit A's item submitted and approved on 20 December 2023."""
    item = services.item_approve(item=submitted_item, user=world.office_x, score=Decimal("4.5"))
    f.backdate([item], timezone.make_aware(datetime.datetime(2023, 12, 20, 10, 0)))
    return world


def make_visit(unit, inspector, **fields):
    return SupervisionVisit.objects.create(unit=unit, inspector_unit=inspector, subkind=VisitKind.ROUTINE,
                                           title="督导", occurred_on="2023-04-01", kind=LedgerKind.VISIT, **fields)


@pytest.fixture
def records(world, settings, tmp_path):
    """One record of every admin model on each side: side "x" in county X, side "y" in county Y."""
    settings.MEDIA_ROOT = tmp_path
    return {
        "x": record_of_each_model("x", world.unit_a, world.county_x, world.liaison_a, world.item_a),
        "y": record_of_each_model("y", world.unit_c, world.county_y, f.member("liaison_c", world.unit_c, "liaison"),
                                  world.item_c),
    }


def record_of_each_model(side, unit, county, liaison, item):
    found = {}
    for kind, model in LEDGER_MODELS.items():
        extra = {"inspector_unit": county} if kind == LedgerKind.VISIT else {}
        found[model] = model.objects.create(unit=unit, subkind=SUBKINDS[kind].values[0], title=f"{side}-{kind}",
                                            occurred_on="2023-03-01", **extra)
    entry = found[LEDGER_MODELS[LedgerKind.MEETING]]
    found["LedgerEntry"] = entry
    found[Duty] = Duty.objects.create(responsibility_list=found[LEDGER_MODELS[LedgerKind.RESPONSIBILITY]],
                                      holder="负责人", duties="第一责任人")
    problem = f.ProblemFactory(unit=unit, source=found[LEDGER_MODELS[LedgerKind.VISIT]])
    services.problem_report_rectification(problem=problem, user=liaison, rectification="已整改")
    found["Problem"] = problem
    found[ProblemTransition] = problem.transitions.get()
    found["Evidence"] = services.evidence_attach(
        owner=item, upload=SimpleUploadedFile("记录.pdf", b"%PDF-1.4 test", "application/pdf"), user=liaison)
    services.item_submit(item=item, user=liaison)
    found[ChecklistItem] = item
    found[ItemTransition] = item.transitions.get()
    standard_item = f.StandardItemFactory(dimension__standard_set__owner=county)
    found["StandardSet"] = standard_item.standard_set
    found["Dimension"] = standard_item.dimension
    found["StandardItem"] = standard_item
    campaign = f.CampaignFactory(owner=county, standard_set=standard_item.standard_set)
    found["Campaign"] = campaign
    found[Task] = Task.objects.create(campaign=campaign, number=1, title="任务", lead_department=unit)
    found["Unit"] = unit
    found[Membership] = Membership.objects.get(user=liaison)
    found["User"] = liaison
    return {_name(model): obj for model, obj in found.items()}


def _name(model):
    return model if isinstance(model, str) else model.__name__
