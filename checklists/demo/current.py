"""This year's ledgers in the demo: a working city up to today (the 2023 list keeps the reports'
figures). Routine meetings, responsibility letters, lessons, trainings and supervision visits with
their problems, each dated no later than today, and the messages of the items returned this year."""

import datetime

from django.utils import timezone

from checklists.models import (
    ActivityKind,
    ChecklistItem,
    DocumentKind,
    ItemStatus,
    LedgerKind,
    MeetingKind,
    Notification,
    NotificationKind,
    Problem,
    ProblemStatus,
    ProblemTransition,
    ResponsibilityKind,
    SelfInspectionKind,
    TrainingKind,
    VisitKind,
)

from .city import PROBLEMS
from .ledgers import LedgerBook, duties

VISITS_A_MONTH = 12


def build_current(builder, campaign):
    today = builder.today
    book = LedgerBook(builder, campaign, until=today)
    year, months = campaign.year, [m for m in range(1, 13) if datetime.date(campaign.year, m, 3) <= today]
    letters = []  # (entry index, organ): this year's responsibility letters, signed as 2023's were
    for organ in builder.organs:
        for month in months:
            book.add(organ, LedgerKind.MEETING, MeetingKind.FIRST_AGENDA, "“第一议题”学习",
                     min(today, datetime.date(year, month, book.rng.randint(3, 12))),
                     participants=book.rng.randint(10, 30), link=(organ.pk, "POL01", f"{year}-{month:02d}"))
        for quarter in range(1, 5):
            if datetime.date(year, 3 * quarter - 2, 1) <= today:
                book.add(organ, LedgerKind.MEETING, MeetingKind.THREE_MEETINGS, f"第{quarter}季度“三会一课”",
                         book.day(3 * quarter - 2, 3 * quarter), count=3, participants=book.rng.randint(20, 60),
                         link=(organ.pk, "ORG01", f"{year}-Q{quarter}"))
                if book.rng.random() < 0.5:
                    book.add(organ, LedgerKind.ACTIVITY, ActivityKind.LECTURE, "主要负责人讲廉政党课",
                             book.day(3 * quarter - 2, 3 * quarter), participants=book.rng.randint(20, 80),
                             speaker="党组织书记", link=(organ.pk, "IDE01", f"{year}-Q{quarter}"))
        if datetime.date(year, 3, 28) <= today:
            letters.append((book.add(organ, LedgerKind.RESPONSIBILITY, ResponsibilityKind.LETTER,
                                     f"{year}年党风廉政建设责任书", datetime.date(year, 3, book.rng.randint(1, 28)),
                                     link=(organ.pk, "POL04", str(year))), organ))
    for county in builder.counties:
        if datetime.date(year, 4, 28) <= today:
            book.add(county, LedgerKind.TRAINING, TrainingKind.SPECIAL, "年轻干部廉洁从政专题培训", book.day(4, 4),
                     participants=book.rng.randint(80, 200), audience="年轻干部", hours=3)
            book.add(county, LedgerKind.ACTIVITY, ActivityKind.PLEDGE, "领导干部诺廉承诺", book.day(3, 4),
                     participants=book.rng.randint(1800, 2300))
        if datetime.date(year, 2, 28) <= today:
            book.add(county, LedgerKind.DOCUMENT, DocumentKind.WORK_PLAN, f"《{year}年清廉机关建设工作方案》",
                     book.day(2, 2))
    _city_and_culture(book, builder, year, months)
    visits = [book.add(unit, LedgerKind.VISIT, VisitKind.ROUTINE, f"{VisitKind.ROUTINE.label}：{unit.name}",
                       book.day(month, month), inspector_unit=builder.county_of(unit) or builder.city,
                       inspectors=f"{(builder.county_of(unit) or builder.city).name}督导组")
              for month in months[1:] for unit in book.rng.sample(builder.organs, VISITS_A_MONTH)]
    created = book.save()
    duties(created, letters)
    _problems(builder, [created[index] for index in visits], today)
    _returned_messages(builder, campaign)


def _city_and_culture(book, builder, year, months):
    """The city's standing-committee meetings, culture and self-inspections so far this year."""
    for month in months[1::3]:
        book.add(builder.city, LedgerKind.MEETING, MeetingKind.STANDING_COMMITTEE,
                 "市委常委会会议专题研究清廉建设工作", book.day(month, month), speaker="市委书记")
    for month in months[4:]:
        book.add(builder.counties[month % len(builder.counties)], LedgerKind.ACTIVITY, ActivityKind.OPERA,
                 "“清风廉韵润家园”戏曲文艺晚会巡演", book.day(month, month), participants=book.rng.randint(200, 600))
    for organ in book.rng.sample(builder.organs, 15):
        book.add(organ, LedgerKind.ACTIVITY, ActivityKind.MICRO_VIDEO, "清廉微视频", book.day(3, months[-1]),
                 link=(organ.pk, "CUL03", str(year)))
    if len(months) >= 6:
        for organ in book.rng.sample(builder.organs, 40):
            book.add(organ, LedgerKind.SELF_INSPECTION, SelfInspectionKind.POSITIVE_NEGATIVE,
                     "对照正负面清单开展自查自纠", book.day(5, 6), basis="《正负面清单》",
                     link=(organ.pk, "INS04", f"{year}-H1"))


def _problems(builder, visits, today):
    """One problem on most visits: closed when found long ago, reported in the last weeks (the
    offices have rectifications to verify), open when recent."""
    rng, problems, moves = builder.rng, [], []
    for visit in visits:
        if rng.random() < 0.3:
            continue
        age = (today - visit.occurred_on).days
        status = ProblemStatus.CLOSED if age > 60 else ProblemStatus.REPORTED if age > 14 else ProblemStatus.OPEN
        found = timezone.make_aware(datetime.datetime.combine(visit.occurred_on, datetime.time(9)))
        problem = Problem(unit=visit.unit, source=visit, description=rng.choice(PROBLEMS), found_on=visit.occurred_on,
                          deadline=visit.occurred_on + datetime.timedelta(days=30), status=status)
        liaison = builder.liaison.get(visit.unit_id) or builder.reviewer_of(visit.unit)
        if status != ProblemStatus.OPEN:
            problem.rectification = "已对照问题逐项整改，完善相关制度和台账。"
            problem.reported_at = min(timezone.now(), found + datetime.timedelta(days=rng.randint(5, 14)))
            moves.append((problem, ProblemStatus.OPEN, ProblemStatus.REPORTED, liaison, problem.reported_at))
        if status == ProblemStatus.CLOSED:
            problem.closed_at = problem.reported_at + datetime.timedelta(days=rng.randint(2, 10))
            problem.closed_by = builder.reviewer_of(visit.unit)
            moves.append((problem, ProblemStatus.REPORTED, ProblemStatus.CLOSED, problem.closed_by, problem.closed_at))
        problem.version = 1 + {ProblemStatus.OPEN: 0, ProblemStatus.REPORTED: 1, ProblemStatus.CLOSED: 2}[status]
        problems.append(problem)
    Problem.objects.bulk_create(problems, batch_size=1000)
    ProblemTransition.objects.bulk_create(
        [ProblemTransition(problem=p, from_status=a, to_status=b, by=u, at=at) for p, a, b, u, at in moves],
        batch_size=2000)


def _returned_messages(builder, campaign):
    """The message each liaison got when an item of this year was returned."""
    returned = ChecklistItem.objects.filter(campaign=campaign, status=ItemStatus.RETURNED).select_related("unit")
    Notification.objects.bulk_create([
        Notification(recipient=builder.liaison[item.unit_id], kind=NotificationKind.RETURNED, item=item,
                     comment=item.review_comment, by=item.reviewed_by, created_at=item.reviewed_at)
        for item in returned if item.unit_id in builder.liaison])
