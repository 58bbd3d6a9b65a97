"""Build the demo city from the two reports: units, people, the 50 standards, the 2023 task list
and this year's, checklist items in every status, and ledgers whose totals give the reports' figures.

Deterministic (seeded) and set-based: bulk inserts throughout, so it runs in seconds.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from checklists import services
from checklists.models import (
    Campaign,
    ChecklistItem,
    Dimension,
    ItemStatus,
    ItemTransition,
    Membership,
    Role,
    StandardItem,
    StandardSet,
    Task,
    Unit,
    UnitKind,
)

from .city import (  # noqa: F401 (the figures are read as build.X too)
    CITY_CODE, CITY_DEPARTMENTS, COUNTIES, DEMONSTRATION_SITES, DEMO_LOGINS, DEPARTMENTS, ENTERPRISES,
    HOSPITALS, HOSPITAL_MODELS, LECTURES, PASSWORD, PLEDGE_SHOW_PARTICIPANTS, PROBLEMS, PROBLEMS_CLOSED,
    PROBLEMS_OPEN, PROBLEMS_REPORTED, REPORTER_SITES, SCHOOLS, VILLAGES, VISITS, YEAR,
)
from .current import build_current
from .ledgers import build_ledgers
from .standards import DEADLINE_TEXT, DIMENSIONS, LEADERS, STANDARDS

def is_loaded():
    return Unit.objects.filter(code=CITY_CODE).exists()


def demo_logins():
    return [(username, PASSWORD, label) for username, _role, label, _unit, _r in DEMO_LOGINS]


@transaction.atomic
def build(today=None):
    today = today or timezone.localdate()
    rng = random.Random(YEAR)
    builder = _Builder(rng, today)
    builder.units()
    builder.people()
    builder.standards()
    campaign = builder.campaign(YEAR, "2023年清廉机关建设任务清单")
    current = builder.campaign(today.year, f"{today.year}年清廉机关建设任务清单") if today.year != YEAR else None
    for each in filter(None, [campaign, current]):
        builder.progress(each)
    builder.ledgers(campaign)
    if current is not None:
        build_current(builder, current)
    return builder


class _Builder:
    def __init__(self, rng, today):
        self.rng = rng
        self.today = today
        self.now = timezone.now()

    # Units

    def units(self):
        def node(name, kind, code, children=()):
            return {"data": {"name": name, "kind": kind, "code": code}, "children": list(children)}

        city_children = [node(name, UnitKind.ORGAN, f"S{i:02d}") for i, name in enumerate(CITY_DEPARTMENTS, 1)]
        city_children += [node("市人民医院", UnitKind.HOSPITAL, "SH01"), node("市第一中学", UnitKind.SCHOOL, "SX01")]
        for c, county in enumerate(COUNTIES, 1):
            level = county[-1]
            kids = [node(f"{county}·{level}{d}", UnitKind.ORGAN, f"C{c:02d}O{i:02d}") for i, d in
                    enumerate(DEPARTMENTS, 1)]
            kids += [node(f"{county}{s}", UnitKind.SCHOOL, f"C{c:02d}S{i:02d}") for i, s in enumerate(SCHOOLS, 1)]
            kids += [node(f"{county}{v}", UnitKind.VILLAGE, f"C{c:02d}V{i:02d}") for i, v in enumerate(VILLAGES, 1)]
            kids += [node(f"{county}{h}", UnitKind.HOSPITAL, f"C{c:02d}H{i:02d}") for i, h in enumerate(HOSPITALS, 1)]
            kids += [node(f"{county}{e}", UnitKind.ENTERPRISE, f"C{c:02d}E{i:02d}") for i, e in
                     enumerate(ENTERPRISES, 1)]
            city_children.append(node(county, UnitKind.COUNTY, f"C{c:02d}", kids))
        Unit.objects.load_bulk([node("山水市", UnitKind.CITY, CITY_CODE, city_children)], bulk_create=True)

        self.city = Unit.objects.get(code=CITY_CODE)
        self.counties = list(Unit.objects.filter(kind=UnitKind.COUNTY))
        self.all_units = list(Unit.objects.exclude(kind__in=[UnitKind.CITY, UnitKind.COUNTY]))
        self.organs = [u for u in self.all_units if u.kind == UnitKind.ORGAN]
        self.by_code = {u.code: u for u in Unit.objects.all()}
        sites = self.rng.sample(self.all_units, DEMONSTRATION_SITES)
        for unit in sites:
            unit.is_demonstration_site = True
            unit.demonstration_year = self.rng.choice([2022, 2023])
        Unit.objects.bulk_update(sites, ["is_demonstration_site", "demonstration_year"])
        self.sites = sites
        self.suburb = self.by_code["C01"]  # 郊区, the district of the summary

    def county_of(self, unit):
        return next((c for c in self.counties if unit.path.startswith(c.path)), None)

    # People

    def people(self):
        User = get_user_model()
        anchors = {"city": self.city, "county": self.suburb, "department": self.by_code["C01O01"]}
        users, memberships = [], []
        for username, _kind, label, anchor, role in DEMO_LOGINS:
            user = User(username=username, first_name=label, is_staff=True, is_superuser=role is None)
            user.set_password(PASSWORD)
            users.append((user, anchors.get(anchor), role))
        for county in self.counties[1:]:
            users.append((User(username=f"office-{county.code}", first_name=f"{county.name}工作专班办公室",
                               is_staff=True), county, Role.OFFICE))
        for organ in self.organs:
            if organ.code != "C01O01":
                users.append((User(username=f"liaison-{organ.code}", first_name=f"{organ.name} 联络员",
                                   is_staff=True), organ, Role.LIAISON))
        for user, _unit, _role in users:
            if not user.password:
                user.set_unusable_password()
        User.objects.bulk_create([u for u, _, _ in users])
        saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u, _, _ in users])}
        for user, unit, role in users:
            if role is not None:
                memberships.append(Membership(user=saved[user.username], unit=unit, role=role))
        Membership.objects.bulk_create(memberships)
        self.office_user = saved["office"]
        self.county_office = {self.suburb.pk: saved["county_office"]}
        self.county_office.update({c.pk: saved[f"office-{c.code}"] for c in self.counties[1:]})
        self.liaison = {m.unit_id: m.user for m in memberships if m.role == Role.LIAISON}

    def reviewer_of(self, unit):
        if unit.depth <= 2:
            return self.office_user
        return self.county_office[self.county_of(unit).pk]

    # Standards and campaigns

    def standards(self):
        self.standard_set = StandardSet.objects.create(
            owner=self.city, name="清廉机关创建标准", version=1, unit_kind=UnitKind.ORGAN,
            published_on=datetime.date(YEAR, 2, 20),
            description="围绕打造政治型、学习型、服务型、法治型、效能型、廉洁型“六型机关”制定的50条创建标准。",
        )
        dims = Dimension.objects.bulk_create(
            [Dimension(standard_set=self.standard_set, code=code, name=name, slogan=slogan, order=i)
             for i, (code, name, slogan) in enumerate(DIMENSIONS, 1)]
        )
        dim_by_code = {d.code: d for d in dims}
        counters = {}
        items = []
        for order, (dim, title, kind, recurrence, target, word, points, evidence) in enumerate(STANDARDS, 1):
            counters[dim] = counters.get(dim, 0) + 1
            items.append(StandardItem(
                standard_set=self.standard_set, dimension=dim_by_code[dim], code=f"{dim}{counters[dim]:02d}",
                title=title, measure_kind=kind, recurrence=recurrence, quantity_target=target,
                measure_word=word, points=Decimal(points), evidence_expected=evidence, order=order,
                evidence_valid_months=12 if kind == "responsibility" else None,  # a list signed for a year
            ))
        StandardItem.objects.bulk_create(items)
        self.standard_items = {s.code: s for s in StandardItem.objects.filter(standard_set=self.standard_set)}

    def campaign(self, year, name):
        campaign = Campaign.objects.create(
            owner=self.city, name=name, year=year, period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31), standard_set=self.standard_set,
        )
        campaign.scope_units.add(self.city)
        city_organs = [u for u in self.organs if u.depth == 2]
        tasks = []
        for number, item in enumerate(self.standard_items.values(), 1):
            once = item.recurrence == "once"
            tasks.append(Task(
                campaign=campaign, number=number, standard_item=item, title=item.title,
                measures=f"{item.guidance or item.title}；{item.evidence_expected}归档备查。",
                leader_in_charge=LEADERS[number % len(LEADERS)],
                lead_department=city_organs[number % len(city_organs)],
                deadline=datetime.date(year, 6, 30) if once and number % 2 else (
                    datetime.date(year, 10, 31) if once else None),
                deadline_text="" if once else DEADLINE_TEXT.get(item.recurrence, "长期坚持"),
            ))
        Task.objects.bulk_create(tasks)
        # Licence separation falls to the approval bureaus only.
        task = Task.objects.get(campaign=campaign, standard_item=self.standard_items["STY01"])
        task.responsible_units.set([u for u in self.organs if u.name.endswith("行政审批局")
                                    or u.name.endswith("行政审批服务管理局")])
        return campaign

    def progress(self, campaign):
        """Move the generated items along as a real year would have: most done, some late."""
        rng, today = self.rng, self.today
        units = {u.pk: u for u in self.all_units}
        items = services.campaign_missing_items(campaign)
        for item in items:
            item.unit = units[item.unit_id]
        transitions = []
        for item in items:
            liaison = self.liaison.get(item.unit_id)
            reviewer = self.reviewer_of(item.unit)
            days_left = (item.due_date - today).days
            roll = rng.random()
            if days_left < -20:
                status = (ItemStatus.APPROVED if roll < 0.86 else ItemStatus.SUBMITTED if roll < 0.91
                          else ItemStatus.RETURNED if roll < 0.95 else ItemStatus.IN_PROGRESS if roll < 0.98
                          else ItemStatus.DRAFT)
            elif days_left < 30:
                status = (ItemStatus.SUBMITTED if roll < 0.3 else ItemStatus.IN_PROGRESS if roll < 0.8
                          else ItemStatus.DRAFT)
            else:
                status = ItemStatus.IN_PROGRESS if roll < 0.25 else ItemStatus.DRAFT
            at = timezone.make_aware(datetime.datetime.combine(min(item.due_date, today), datetime.time(10)))
            moves = {
                ItemStatus.DRAFT: [],
                ItemStatus.IN_PROGRESS: [(ItemStatus.DRAFT, ItemStatus.IN_PROGRESS, liaison, "")],
                ItemStatus.SUBMITTED: [(ItemStatus.IN_PROGRESS, ItemStatus.SUBMITTED, liaison, "")],
                ItemStatus.APPROVED: [(ItemStatus.IN_PROGRESS, ItemStatus.SUBMITTED, liaison, ""),
                                      (ItemStatus.SUBMITTED, ItemStatus.APPROVED, reviewer, "材料齐全，同意。")],
                ItemStatus.RETURNED: [(ItemStatus.IN_PROGRESS, ItemStatus.SUBMITTED, liaison, ""),
                                      (ItemStatus.SUBMITTED, ItemStatus.RETURNED, reviewer,
                                       "佐证材料不全，请补充会议记录和照片后重新报送。")],
            }[status]
            for offset, (before, after, user, comment) in enumerate(moves):
                if user is not None:
                    transitions.append(ItemTransition(item=item, from_status=before, to_status=after, by=user,
                                                      at=min(self.now, at + datetime.timedelta(days=offset * 3)),
                                                      comment=comment))
            item.status = status
            item.progress = {ItemStatus.DRAFT: 0, ItemStatus.IN_PROGRESS: rng.choice([20, 40, 60, 80]),
                             ItemStatus.RETURNED: 80}.get(status, 100)
            if status != ItemStatus.DRAFT:
                item.account = f"{item.unit.name}按照“{item.standard_item.title}”要求推进落实，相关材料已归档。"
            if status in (ItemStatus.SUBMITTED, ItemStatus.APPROVED, ItemStatus.RETURNED):
                item.submitted_at = at
            if status in (ItemStatus.APPROVED, ItemStatus.RETURNED):
                item.reviewed_by, item.reviewed_at = reviewer, min(self.now, at + datetime.timedelta(days=3))
                item.review_comment = moves[-1][3]
            if status == ItemStatus.APPROVED:
                points = item.standard_item.points
                item.score = max(Decimal(0), points - Decimal(rng.choice([0, 0, 0, 0.5, 1])))
            item.version = 1 + len(moves)
        bulk_create_with_history(items, ChecklistItem, batch_size=1000)
        ItemTransition.objects.bulk_create(transitions, batch_size=2000)

    # Ledgers

    def ledgers(self, campaign):
        build_ledgers(self, campaign)
