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
    ActivityKind,
    Campaign,
    ChecklistItem,
    Dimension,
    DocumentKind,
    Duty,
    ItemStatus,
    ItemTransition,
    LedgerEntry,
    LedgerKind,
    LedgerLink,
    MeetingKind,
    Membership,
    Problem,
    ProblemStatus,
    ProblemTransition,
    ResponsibilityKind,
    Role,
    SelfInspectionKind,
    StandardItem,
    StandardSet,
    Task,
    TrainingKind,
    Unit,
    UnitKind,
    VisitKind,
)

from .city import (  # noqa: F401 (the figures are read as build.X too)
    CITY_CODE, CITY_DEPARTMENTS, COUNTIES, DEMONSTRATION_SITES, DEMO_LOGINS, DEPARTMENTS, ENTERPRISES,
    HOSPITALS, HOSPITAL_MODELS, LECTURES, PASSWORD, PLEDGE_SHOW_PARTICIPANTS, PROBLEMS, PROBLEMS_CLOSED,
    PROBLEMS_OPEN, PROBLEMS_REPORTED, REPORTER_SITES, SCHOOLS, VILLAGES, VISITS, YEAR,
)
from .problems import add_problems
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
            [Dimension(standard_set=self.standard_set, code=code, name=name, order=i)
             for i, (code, name) in enumerate(DIMENSIONS, 1)]
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
                                                      at=at + datetime.timedelta(days=offset * 3), comment=comment))
            item.status = status
            item.progress = {ItemStatus.DRAFT: 0, ItemStatus.IN_PROGRESS: rng.choice([20, 40, 60, 80]),
                             ItemStatus.RETURNED: 80}.get(status, 100)
            if status != ItemStatus.DRAFT:
                item.account = f"{item.unit.name}按照“{item.standard_item.title}”要求推进落实，相关材料已归档。"
            if status in (ItemStatus.SUBMITTED, ItemStatus.APPROVED, ItemStatus.RETURNED):
                item.submitted_at = at
            if status in (ItemStatus.APPROVED, ItemStatus.RETURNED):
                item.reviewed_by, item.reviewed_at = reviewer, at + datetime.timedelta(days=3)
                item.review_comment = moves[-1][3]
            if status == ItemStatus.APPROVED:
                points = item.standard_item.points
                item.score = max(Decimal(0), points - Decimal(rng.choice([0, 0, 0, 0.5, 1])))
            item.version = 1 + len(moves)
        bulk_create_with_history(items, ChecklistItem, batch_size=1000)
        ItemTransition.objects.bulk_create(transitions, batch_size=2000)

    # Ledgers

    def ledgers(self, campaign):
        rng = self.rng
        entries, links = [], []  # links: (entry index, item)
        items = {(i.unit_id, i.standard_item.code, i.period): i for i in
                 ChecklistItem.objects.filter(campaign=campaign).select_related("standard_item")}

        def day(start_month=1, end_month=12):
            start = datetime.date(YEAR, start_month, 1).toordinal()
            end = datetime.date(YEAR, end_month, 28).toordinal()
            return datetime.date.fromordinal(rng.randint(start, end))

        def add(unit, kind, subkind, title, occurred_on, link=None, **fields):
            entries.append(LedgerEntry(kind=kind, subkind=subkind, unit=unit, title=title, occurred_on=occurred_on,
                                       created_by=self.liaison.get(unit.pk) or self.office_user, **fields))
            if link is not None and link in items:
                links.append((len(entries) - 1, items[link]))
            return len(entries) - 1

        city, suburb = self.city, self.suburb
        suburb_organs = [u for u in self.organs if u.path.startswith(suburb.path)]
        by_name = {u.name: u for u in suburb_organs}
        org_dept, committee = by_name["郊区·区委组织部"], by_name["郊区·区直机关工委"]

        # City report: 8 standing-committee meetings; documents; booklets; enterprise training.
        for month in (1, 2, 3, 5, 6, 8, 10, 12):
            add(city, LedgerKind.MEETING, MeetingKind.STANDING_COMMITTEE, "市委常委会会议专题研究部署清廉建设工作",
                datetime.date(YEAR, month, 15), speaker="市委书记")
        for subkind, title in [(DocumentKind.GUIDANCE, "《全面建设清廉地市指导意见》"),
                               (DocumentKind.INDICATORS, "《全面建设清廉地市评价指标体系》"),
                               (DocumentKind.LIST, "《全面建设清廉2023年任务清单》"),
                               (DocumentKind.LIST, "《市委常委会成员加强对“一把手”和领导班子监督的责任清单》")]:
            add(city, LedgerKind.DOCUMENT, subkind, title, day(1, 3))
        add(city, LedgerKind.ACTIVITY, ActivityKind.MATERIALS, "印发市清廉单元建设资料“小宝典”",
            datetime.date(YEAR, 4, 10), materials=356, count=1)
        add(city, LedgerKind.TRAINING, TrainingKind.ENTERPRISE, "民营企业教育培训会", datetime.date(YEAR, 5, 18),
            participants=83, audience="民营企业家", speaker="市工商联", hours=Decimal(3))

        # District summary (郊区).
        add(org_dept, LedgerKind.MEETING, MeetingKind.WORK_MEETING, "2023年全面从严治党暨“清廉机关”工作会",
            datetime.date(YEAR, 2, 16), participants=60, link=(org_dept.pk, "POL03", "2023"))
        add(committee, LedgerKind.MEETING, MeetingKind.WORK_MEETING, "2023年党的建设工作会议",
            datetime.date(YEAR, 3, 2), participants=80, link=(committee.pk, "POL03", "2023"))
        add(org_dept, LedgerKind.DOCUMENT, DocumentKind.KEY_POINTS, "《2023年全面从严治党工作要点》",
            datetime.date(YEAR, 2, 20), link=(org_dept.pk, "INS01", "2023"))
        add(org_dept, LedgerKind.DOCUMENT, DocumentKind.WORK_PLAN, "《2023年“清廉机关”建设工作方案》",
            datetime.date(YEAR, 2, 20), link=(org_dept.pk, "INS02", "2023"))
        add(org_dept, LedgerKind.TRAINING, TrainingKind.SEMINAR, "市委党校第九期二十大专题研讨班",
            datetime.date(YEAR, 3, 20), participants=4, audience="县级领导干部", link=(org_dept.pk, "IDE03", "2023"))
        for title, speaker, attendees, on in [("学习党的二十大精神凝聚奋进力量", "党的二十大代表 李杰", 204, 14),
                                              ("坚持全面依法治国推进法治中国建设", "市委党校副教授 杨夏青", 203, 21)]:
            add(org_dept, LedgerKind.TRAINING, TrainingKind.SPECIAL, title, datetime.date(YEAR, 4, on),
                speaker=speaker, participants=attendees, audience="科级干部、农村（社区）“两委”主干",
                hours=Decimal(3), link=(org_dept.pk, "IDE02", "2023"))
        add(org_dept, LedgerKind.TRAINING, TrainingKind.TERM, "春季学期主体班暨“领头雁”培训开班",
            datetime.date(YEAR, 3, 28), participants=120, audience="主体班学员、农村（社区）带头人")
        add(by_name["郊区·区政府办"], LedgerKind.MEETING, MeetingKind.THEME_PARTY_DAY,
            "“传承红色基因、坚定理想信念”主题党日：观影《三打三捷》", datetime.date(YEAR, 5, 12), participants=35,
            link=(by_name["郊区·区政府办"].pk, "ORG04", "2023-05"))
        justice = by_name["郊区·区司法局"]
        add(justice, LedgerKind.ACTIVITY, ActivityKind.FAMILY, "向干部职工家属发出家庭助廉倡议",
            datetime.date(YEAR, 6, 8), participants=46, link=(justice.pk, "CUL02", "2023"))
        united = by_name["郊区·区委统战部"]
        inspection = add(united, LedgerKind.SELF_INSPECTION, SelfInspectionKind.POSITIVE_NEGATIVE,
                         "对照亲清新型政商关系正负面清单开展自查自纠", datetime.date(YEAR, 4, 25),
                         basis="《关于构建亲清新型政商关系的正负面清单（试行）》", link=(united.pk, "INS04", "2023-H1"))
        approval = by_name["郊区·区行政审批局"]
        add(approval, LedgerKind.ACTIVITY, ActivityKind.SERVICE, "证照分离：涉企经营许可事项清单管理",
            datetime.date(YEAR, 4, 14), count=86, link=(approval.pk, "STY01", "2023"))
        add(by_name["郊区·区生态环境保护综合行政执法大队"], LedgerKind.TRAINING, TrainingKind.LECTURE,
            "解读《生态环境轻微违法违规行为不予处罚事项清单》", datetime.date(YEAR, 5, 25), participants=42,
            audience="执法人员", link=(by_name["郊区·区生态环境保护综合行政执法大队"].pk, "STY04", "2023"))
        veterans = by_name["郊区·区退役军人事务局"]
        add(veterans, LedgerKind.ACTIVITY, ActivityKind.MICRO_VIDEO, "“人人话保密”短视频", datetime.date(YEAR, 6, 20),
            link=(veterans.pk, "CUL03", "2023"))
        add(veterans, LedgerKind.ACTIVITY, ActivityKind.SERVICE, "退伍老兵公益助农志愿服务队“献爱心送温暖”",
            datetime.date(YEAR, 7, 28), participants=18, link=(veterans.pk, "STY03", "2023-H2"))
        for organ in suburb_organs:
            add(organ, LedgerKind.ACTIVITY, ActivityKind.WARNING_EDUCATION, "观看国家安全警示教育片、保密公益宣传片",
                day(4, 6), participants=rng.randint(20, 60), link=(organ.pk, "IDE04", "2023-H1"))
            for month in range(1, 13):
                add(organ, LedgerKind.MEETING, MeetingKind.FIRST_AGENDA, "“第一议题”学习",
                    datetime.date(YEAR, month, rng.randint(3, 12)), participants=rng.randint(10, 30),
                    link=(organ.pk, "POL01", f"{YEAR}-{month:02d}"))

        # Every organ: responsibility letter with duties, work plan, three meetings and one lesson.
        duty_rows = []
        for organ in self.organs:
            index = add(organ, LedgerKind.RESPONSIBILITY, ResponsibilityKind.LETTER,
                        f"{YEAR}年党风廉政建设责任书", datetime.date(YEAR, 3, rng.randint(1, 28)),
                        link=(organ.pk, "POL04", str(YEAR)))
            duty_rows.append((index, organ))
            if organ.path.startswith(suburb.path):
                continue
            add(organ, LedgerKind.DOCUMENT, DocumentKind.WORK_PLAN, f"{YEAR}年清廉机关建设工作方案", day(2, 4),
                link=(organ.pk, "INS02", str(YEAR)))
        for organ in self.organs:
            for quarter in range(1, 5):
                add(organ, LedgerKind.MEETING, MeetingKind.THREE_MEETINGS, f"第{quarter}季度“三会一课”",
                    day(3 * quarter - 2, 3 * quarter), count=3, participants=rng.randint(20, 60),
                    link=(organ.pk, "ORG01", f"{YEAR}-Q{quarter}"))

        # 500+ integrity Party lectures by organisation heads, one a quarter where given.
        slots = [(organ, quarter) for organ in self.organs for quarter in range(1, 5)]
        for organ, quarter in sorted(rng.sample(slots, LECTURES), key=lambda s: (s[0].path, s[1])):
            add(organ, LedgerKind.ACTIVITY, ActivityKind.LECTURE, "主要负责人讲廉政党课",
                day(3 * quarter - 2, 3 * quarter), participants=rng.randint(20, 80), speaker="党组织书记",
                link=(organ.pk, "IDE01", f"{YEAR}-Q{quarter}"))

        # 50,000+ cadres in the integrity pledge and show (诺廉示廉).
        shares = [rng.randint(2000, 2300) for _ in range(len(self.counties) * 2)]
        shares[-1] += PLEDGE_SHOW_PARTICIPANTS - sum(shares) - 30 * len(self.organs)
        for i, county in enumerate(self.counties):
            add(county, LedgerKind.ACTIVITY, ActivityKind.PLEDGE, "领导干部诺廉承诺", day(3, 4), participants=shares[2 * i])
            add(county, LedgerKind.ACTIVITY, ActivityKind.SHOW, "领导干部示廉公示", day(4, 6),
                participants=shares[2 * i + 1])
        for organ in self.organs:
            add(organ, LedgerKind.ACTIVITY, ActivityKind.PLEDGE, "签订廉洁承诺书", day(3, 4), participants=30,
                link=(organ.pk, "IDE06", str(YEAR)))

        # Culture: 52 opera shows, 36 micro-videos (one made above), 200 calligraphy exhibitions.
        for n in range(52):
            county = self.counties[n % len(self.counties)]
            add(county, LedgerKind.ACTIVITY, ActivityKind.OPERA, "“清风廉韵润家园”戏曲文艺晚会巡演", day(5, 11),
                participants=rng.randint(200, 600))
        video_units = rng.sample([o for o in self.organs if o.pk != veterans.pk], 35)
        for organ in video_units:
            add(organ, LedgerKind.ACTIVITY, ActivityKind.MICRO_VIDEO, "清廉微视频", day(3, 11),
                link=(organ.pk, "CUL03", str(YEAR)))
        for county in self.counties:
            for _ in range(10):
                add(county, LedgerKind.ACTIVITY, ActivityKind.CALLIGRAPHY, "清廉主题书画展", day(3, 11), count=2,
                    participants=rng.randint(100, 400))

        # Units: 30 village cases, 500+ hospital models, reporters at 100+ demonstration sites.
        villages = [u for u in self.all_units if u.kind == UnitKind.VILLAGE]
        for village in rng.sample(villages, 30):
            add(village, LedgerKind.ACTIVITY, ActivityKind.DEMONSTRATION_CASE, "清廉村居建设示范案例", day(6, 10))
        hospitals = [u for u in self.all_units if u.kind == UnitKind.HOSPITAL]
        counts = [rng.randint(18, 24) for _ in hospitals]
        counts[-1] += HOSPITAL_MODELS - sum(counts)
        for hospital, count in zip(hospitals, counts):
            add(hospital, LedgerKind.ACTIVITY, ActivityKind.MODEL_SELECTION, "选树优秀医务人员典型", day(5, 9),
                participants=count)
        for site in rng.sample(self.sites, REPORTER_SITES):
            add(site, LedgerKind.ACTIVITY, ActivityKind.REPORTER_VISIT, "“清廉建设记者一线行”采访", day(6, 11))

        # 540+ supervision visits and the problems they found; 800+ closed.
        visit_indexes = []
        targets = self.sites + rng.sample(self.all_units, 80)
        for n in range(VISITS):
            unit = rng.choice(targets)
            inspector = (self.county_of(unit) if n % 5 else None) or city
            subkind = rng.choice(list(VisitKind))
            visit_indexes.append(add(unit, LedgerKind.VISIT, subkind, f"{subkind.label}：{unit.name}", day(2, 11),
                                     inspector_unit=inspector, inspectors=f"{inspector.name}督导组"))

        created = LedgerEntry.objects.bulk_create(entries, batch_size=1000)
        LedgerLink.objects.bulk_create(
            [LedgerLink(entry_id=created[i].pk, item_id=item.pk) for i, item in links], batch_size=2000)
        services.item_refresh_quantities(item_ids=[item.pk for _, item in links])

        Duty.objects.bulk_create([
            Duty(responsibility_list=created[i], holder=f"{organ.name}主要负责人", position="党组书记", is_head=True,
                 duties="履行党风廉政建设第一责任人职责，对班子成员廉洁自律负责。",
                 signed_on=created[i].occurred_on)
            for i, organ in duty_rows
        ] + [
            Duty(responsibility_list=created[i], holder=f"{organ.name}班子成员{n}", position="班子成员",
                 duties="落实“一岗双责”，抓好分管领域党风廉政建设。", signed_on=created[i].occurred_on)
            for i, organ in duty_rows for n in (1, 2)
        ])
        add_problems(self, [created[i] for i in visit_indexes], created[inspection])
