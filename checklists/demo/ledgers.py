"""The demo's ledgers: entries whose totals give the reports' figures, each linked to the items it
counts towards, written in bulk. Seeded: the same city every time."""

import datetime
from decimal import Decimal

from checklists import services
from checklists.models import (
    ActivityKind,
    ChecklistItem,
    DocumentKind,
    Duty,
    LedgerEntry,
    LedgerKind,
    LedgerLink,
    MeetingKind,
    ResponsibilityKind,
    SelfInspectionKind,
    TrainingKind,
    UnitKind,
    VisitKind,
)

from .city import HOSPITAL_MODELS, LECTURES, PLEDGE_SHOW_PARTICIPANTS, REPORTER_SITES, VISITS, YEAR
from .problems import add_problems


class LedgerBook:
    """The entries as they are written, and the items (by unit, standard code and period) each counts
    towards."""

    def __init__(self, builder, campaign, until=None):
        self.builder, self.rng = builder, builder.rng
        self.year, self.until = campaign.year, until  # `until`: no entry after this day (today's year)
        self.entries, self.links = [], []  # links: (entry index, item)
        self.items = {(i.unit_id, i.standard_item.code, i.period): i for i in
                      ChecklistItem.objects.filter(campaign=campaign).select_related("standard_item")}

    def day(self, start_month=1, end_month=12):
        start = datetime.date(self.year, start_month, 1).toordinal()
        end = datetime.date(self.year, end_month, 28).toordinal()
        if self.until is not None:
            end = min(end, self.until.toordinal())
        return datetime.date.fromordinal(self.rng.randint(min(start, end), end))

    def add(self, unit, kind, subkind, title, occurred_on, link=None, **fields):
        """Add an entry; returns its index in the list `save` returns."""
        b = self.builder
        self.entries.append(LedgerEntry(kind=kind, subkind=subkind, unit=unit, title=title, occurred_on=occurred_on,
                                        created_by=b.liaison.get(unit.pk) or b.office_user, **fields))
        if link is not None and link in self.items:
            self.links.append((len(self.entries) - 1, self.items[link]))
        return len(self.entries) - 1

    def save(self):
        """Write the entries and their links; the items' quantities follow. Returns the saved entries."""
        created = LedgerEntry.objects.bulk_create(self.entries, batch_size=1000)
        LedgerLink.objects.bulk_create(
            [LedgerLink(entry_id=created[i].pk, item_id=item.pk) for i, item in self.links], batch_size=2000)
        services.item_refresh_quantities(item_ids=[item.pk for _, item in self.links])
        return created


def build_ledgers(builder, campaign):
    """Every ledger of the demo's 2023 task list, in the order (and so with the random draws) of the reports."""
    book = LedgerBook(builder, campaign)
    city_report(book)
    inspection, veterans = district_summary(book)
    duty_rows = organ_routines(book)
    lectures(book)
    pledges(book)
    culture(book, veterans)
    unit_activities(book)
    visit_indexes = visits(book)
    created = book.save()
    duties(created, duty_rows)
    add_problems(builder, [created[i] for i in visit_indexes], created[inspection])


def city_report(book):
    """City report: 8 standing-committee meetings; documents; booklets; enterprise training."""
    city = book.builder.city
    for month in (1, 2, 3, 5, 6, 8, 10, 12):
        book.add(city, LedgerKind.MEETING, MeetingKind.STANDING_COMMITTEE, "市委常委会会议专题研究部署清廉建设工作",
                 datetime.date(YEAR, month, 15), speaker="市委书记")
    for subkind, title in [(DocumentKind.GUIDANCE, "《全面建设清廉地市指导意见》"),
                           (DocumentKind.INDICATORS, "《全面建设清廉地市评价指标体系》"),
                           (DocumentKind.LIST, "《全面建设清廉2023年任务清单》"),
                           (DocumentKind.LIST, "《市委常委会成员加强对“一把手”和领导班子监督的责任清单》")]:
        book.add(city, LedgerKind.DOCUMENT, subkind, title, book.day(1, 3))
    book.add(city, LedgerKind.ACTIVITY, ActivityKind.MATERIALS, "印发市清廉单元建设资料“小宝典”",
             datetime.date(YEAR, 4, 10), materials=356, count=1)
    book.add(city, LedgerKind.TRAINING, TrainingKind.ENTERPRISE, "民营企业教育培训会", datetime.date(YEAR, 5, 18),
             participants=83, audience="民营企业家", speaker="市工商联", hours=Decimal(3))


def district_summary(book):
    """The district's summary (郊区). Returns the self-inspection's index and the veterans' bureau."""
    b = book.builder
    suburb_organs = [u for u in b.organs if u.path.startswith(b.suburb.path)]
    by_name = {u.name: u for u in suburb_organs}
    org_dept, committee = by_name["郊区·区委组织部"], by_name["郊区·区直机关工委"]
    book.add(org_dept, LedgerKind.MEETING, MeetingKind.WORK_MEETING, "2023年全面从严治党暨“清廉机关”工作会",
             datetime.date(YEAR, 2, 16), participants=60, link=(org_dept.pk, "POL03", "2023"))
    book.add(committee, LedgerKind.MEETING, MeetingKind.WORK_MEETING, "2023年党的建设工作会议",
             datetime.date(YEAR, 3, 2), participants=80, link=(committee.pk, "POL03", "2023"))
    book.add(org_dept, LedgerKind.DOCUMENT, DocumentKind.KEY_POINTS, "《2023年全面从严治党工作要点》",
             datetime.date(YEAR, 2, 20), link=(org_dept.pk, "INS01", "2023"))
    book.add(org_dept, LedgerKind.DOCUMENT, DocumentKind.WORK_PLAN, "《2023年“清廉机关”建设工作方案》",
             datetime.date(YEAR, 2, 20), link=(org_dept.pk, "INS02", "2023"))
    book.add(org_dept, LedgerKind.TRAINING, TrainingKind.SEMINAR, "市委党校第九期二十大专题研讨班",
             datetime.date(YEAR, 3, 20), participants=4, audience="县级领导干部", link=(org_dept.pk, "IDE03", "2023"))
    for title, speaker, attendees, on in [("学习党的二十大精神凝聚奋进力量", "党的二十大代表 李杰", 204, 14),
                                          ("坚持全面依法治国推进法治中国建设", "市委党校副教授 杨夏青", 203, 21)]:
        book.add(org_dept, LedgerKind.TRAINING, TrainingKind.SPECIAL, title, datetime.date(YEAR, 4, on),
                 speaker=speaker, participants=attendees, audience="科级干部、农村（社区）“两委”主干",
                 hours=Decimal(3), link=(org_dept.pk, "IDE02", "2023"))
    book.add(org_dept, LedgerKind.TRAINING, TrainingKind.TERM, "春季学期主体班暨“领头雁”培训开班",
             datetime.date(YEAR, 3, 28), participants=120, audience="主体班学员、农村（社区）带头人")
    book.add(by_name["郊区·区政府办"], LedgerKind.MEETING, MeetingKind.THEME_PARTY_DAY,
             "“传承红色基因、坚定理想信念”主题党日：观影《三打三捷》", datetime.date(YEAR, 5, 12), participants=35,
             link=(by_name["郊区·区政府办"].pk, "ORG04", "2023-05"))
    justice = by_name["郊区·区司法局"]
    book.add(justice, LedgerKind.ACTIVITY, ActivityKind.FAMILY, "向干部职工家属发出家庭助廉倡议",
             datetime.date(YEAR, 6, 8), participants=46, link=(justice.pk, "CUL02", "2023"))
    united = by_name["郊区·区委统战部"]
    inspection = book.add(united, LedgerKind.SELF_INSPECTION, SelfInspectionKind.POSITIVE_NEGATIVE,
                          "对照亲清新型政商关系正负面清单开展自查自纠", datetime.date(YEAR, 4, 25),
                          basis="《关于构建亲清新型政商关系的正负面清单（试行）》", link=(united.pk, "INS04", "2023-H1"))
    approval = by_name["郊区·区行政审批局"]
    book.add(approval, LedgerKind.ACTIVITY, ActivityKind.SERVICE, "证照分离：涉企经营许可事项清单管理",
             datetime.date(YEAR, 4, 14), count=86, link=(approval.pk, "STY01", "2023"))
    book.add(by_name["郊区·区生态环境保护综合行政执法大队"], LedgerKind.TRAINING, TrainingKind.LECTURE,
             "解读《生态环境轻微违法违规行为不予处罚事项清单》", datetime.date(YEAR, 5, 25), participants=42,
             audience="执法人员", link=(by_name["郊区·区生态环境保护综合行政执法大队"].pk, "STY04", "2023"))
    veterans = by_name["郊区·区退役军人事务局"]
    book.add(veterans, LedgerKind.ACTIVITY, ActivityKind.MICRO_VIDEO, "“人人话保密”短视频", datetime.date(YEAR, 6, 20),
             link=(veterans.pk, "CUL03", "2023"))
    book.add(veterans, LedgerKind.ACTIVITY, ActivityKind.SERVICE, "退伍老兵公益助农志愿服务队“献爱心送温暖”",
             datetime.date(YEAR, 7, 28), participants=18, link=(veterans.pk, "STY03", "2023-H2"))
    for organ in suburb_organs:
        book.add(organ, LedgerKind.ACTIVITY, ActivityKind.WARNING_EDUCATION, "观看国家安全警示教育片、保密公益宣传片",
                 book.day(4, 6), participants=book.rng.randint(20, 60), link=(organ.pk, "IDE04", "2023-H1"))
        for month in range(1, 13):
            book.add(organ, LedgerKind.MEETING, MeetingKind.FIRST_AGENDA, "“第一议题”学习",
                     datetime.date(YEAR, month, book.rng.randint(3, 12)), participants=book.rng.randint(10, 30),
                     link=(organ.pk, "POL01", f"{YEAR}-{month:02d}"))
    return inspection, veterans


def organ_routines(book):
    """Every organ: responsibility letter with duties, work plan, three meetings and one lesson. Returns the responsibility letters' indexes and organs."""
    b = book.builder
    suburb = b.suburb
    duty_rows = []
    for organ in b.organs:
        index = book.add(organ, LedgerKind.RESPONSIBILITY, ResponsibilityKind.LETTER,
                         f"{YEAR}年党风廉政建设责任书", datetime.date(YEAR, 3, book.rng.randint(1, 28)),
                         link=(organ.pk, "POL04", str(YEAR)))
        duty_rows.append((index, organ))
        if organ.path.startswith(suburb.path):
            continue
        book.add(organ, LedgerKind.DOCUMENT, DocumentKind.WORK_PLAN, f"{YEAR}年清廉机关建设工作方案", book.day(2, 4),
                 link=(organ.pk, "INS02", str(YEAR)))
    for organ in b.organs:
        for quarter in range(1, 5):
            book.add(organ, LedgerKind.MEETING, MeetingKind.THREE_MEETINGS, f"第{quarter}季度“三会一课”",
                     book.day(3 * quarter - 2, 3 * quarter), count=3, participants=book.rng.randint(20, 60),
                     link=(organ.pk, "ORG01", f"{YEAR}-Q{quarter}"))
    return duty_rows


def lectures(book):
    """500+ integrity Party lectures by organisation heads, one a quarter where given."""
    b = book.builder
    slots = [(organ, quarter) for organ in b.organs for quarter in range(1, 5)]
    for organ, quarter in sorted(book.rng.sample(slots, LECTURES), key=lambda s: (s[0].path, s[1])):
        book.add(organ, LedgerKind.ACTIVITY, ActivityKind.LECTURE, "主要负责人讲廉政党课",
                 book.day(3 * quarter - 2, 3 * quarter), participants=book.rng.randint(20, 80), speaker="党组织书记",
                 link=(organ.pk, "IDE01", f"{YEAR}-Q{quarter}"))


def pledges(book):
    """50,000+ cadres in the integrity pledge and show (诺廉示廉)."""
    b = book.builder
    shares = [book.rng.randint(2000, 2300) for _ in range(len(b.counties) * 2)]
    shares[-1] += PLEDGE_SHOW_PARTICIPANTS - sum(shares) - 30 * len(b.organs)
    for i, county in enumerate(b.counties):
        book.add(county, LedgerKind.ACTIVITY, ActivityKind.PLEDGE, "领导干部诺廉承诺", book.day(3, 4), participants=shares[2 * i])
        book.add(county, LedgerKind.ACTIVITY, ActivityKind.SHOW, "领导干部示廉公示", book.day(4, 6),
                 participants=shares[2 * i + 1])
    for organ in b.organs:
        book.add(organ, LedgerKind.ACTIVITY, ActivityKind.PLEDGE, "签订廉洁承诺书", book.day(3, 4), participants=30,
                 link=(organ.pk, "IDE06", str(YEAR)))


def culture(book, veterans):
    """Culture: 52 opera shows, 36 micro-videos (one made above), 200 calligraphy exhibitions."""
    b = book.builder
    for n in range(52):
        county = b.counties[n % len(b.counties)]
        book.add(county, LedgerKind.ACTIVITY, ActivityKind.OPERA, "“清风廉韵润家园”戏曲文艺晚会巡演", book.day(5, 11),
                 participants=book.rng.randint(200, 600))
    video_units = book.rng.sample([o for o in b.organs if o.pk != veterans.pk], 35)
    for organ in video_units:
        book.add(organ, LedgerKind.ACTIVITY, ActivityKind.MICRO_VIDEO, "清廉微视频", book.day(3, 11),
                 link=(organ.pk, "CUL03", str(YEAR)))
    for county in b.counties:
        for _ in range(10):
            book.add(county, LedgerKind.ACTIVITY, ActivityKind.CALLIGRAPHY, "清廉主题书画展", book.day(3, 11), count=2,
                     participants=book.rng.randint(100, 400))


def unit_activities(book):
    """Units: 30 village cases, 500+ hospital models, reporters at 100+ demonstration sites."""
    b = book.builder
    villages = [u for u in b.all_units if u.kind == UnitKind.VILLAGE]
    for village in book.rng.sample(villages, 30):
        book.add(village, LedgerKind.ACTIVITY, ActivityKind.DEMONSTRATION_CASE, "清廉村居建设示范案例", book.day(6, 10))
    hospitals = [u for u in b.all_units if u.kind == UnitKind.HOSPITAL]
    counts = [book.rng.randint(18, 24) for _ in hospitals]
    counts[-1] += HOSPITAL_MODELS - sum(counts)
    for hospital, count in zip(hospitals, counts):
        book.add(hospital, LedgerKind.ACTIVITY, ActivityKind.MODEL_SELECTION, "选树优秀医务人员典型", book.day(5, 9),
                 participants=count)
    for site in book.rng.sample(b.sites, REPORTER_SITES):
        book.add(site, LedgerKind.ACTIVITY, ActivityKind.REPORTER_VISIT, "“清廉建设记者一线行”采访", book.day(6, 11))


def visits(book):
    """540+ supervision visits (the problems they found are added after). Returns their indexes."""
    b = book.builder
    city = b.city
    visit_indexes = []
    targets = b.sites + book.rng.sample(b.all_units, 80)
    for n in range(VISITS):
        unit = book.rng.choice(targets)
        inspector = (b.county_of(unit) if n % 5 else None) or city
        subkind = book.rng.choice(list(VisitKind))
        visit_indexes.append(book.add(unit, LedgerKind.VISIT, subkind, f"{subkind.label}：{unit.name}", book.day(2, 11),
                                      inspector_unit=inspector, inspectors=f"{inspector.name}督导组"))
    return visit_indexes


def duties(created, duty_rows):
    """Each responsibility letter's duties: the head and two members of the leading group."""
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
