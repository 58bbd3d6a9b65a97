"""One test world: a city with two counties, a unit in each, and one user per role.

    city ──┬── county X ──┬── unit A   (liaison_a, leader_a act for it)
           │  (office_x,   └── unit B
           │   viewer_x)
           └── county Y ──── unit C   (office_y: the outsider, who must see nothing of X)
    office_city reaches everything; superuser is a superuser.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from checklists import services
from checklists.models import ItemStatus, LedgerKind, Role, SupervisionVisit, UnitKind, VisitKind

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


def make_visit(unit, inspector, **fields):
    return SupervisionVisit.objects.create(unit=unit, inspector_unit=inspector, subkind=VisitKind.ROUTINE,
                                           title="督导", occurred_on="2023-04-01", kind=LedgerKind.VISIT, **fields)
