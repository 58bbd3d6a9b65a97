"""The demo city's problems and their rectification."""

import datetime

from django.utils import timezone

from checklists.models import Problem, ProblemStatus, ProblemTransition

from .city import PROBLEMS, PROBLEMS_CLOSED, PROBLEMS_OPEN, PROBLEMS_REPORTED


def add_problems(builder, visits, inspection):
    """The problems found on the visits, most closed, some reported, some open (the city report's
    figures), with their transitions."""
    rng = builder.rng
    statuses = ([ProblemStatus.CLOSED] * PROBLEMS_CLOSED + [ProblemStatus.REPORTED] * PROBLEMS_REPORTED
                + [ProblemStatus.OPEN] * PROBLEMS_OPEN)
    rng.shuffle(statuses)
    problems = [Problem(unit=inspection.unit, source=inspection, description="政商交往中存在接受宴请的苗头性问题",
                        found_on=inspection.occurred_on, deadline=inspection.occurred_on + datetime.timedelta(30))]
    statuses.insert(0, ProblemStatus.CLOSED)
    for n in range(len(statuses) - 1):
        visit = visits[n % len(visits)] if n < len(visits) else rng.choice(visits)
        problems.append(Problem(unit=visit.unit, source=visit, description=rng.choice(PROBLEMS),
                                found_on=visit.occurred_on,
                                deadline=visit.occurred_on + datetime.timedelta(days=rng.choice([15, 30, 60]))))
    transitions = []
    for problem, status in zip(problems, statuses):
        problem.status = status
        found = timezone.make_aware(datetime.datetime.combine(problem.found_on, datetime.time(9)))
        liaison = builder.liaison.get(problem.unit_id) or builder.reviewer_of(problem.unit)
        if status != ProblemStatus.OPEN:
            problem.rectification = "已对照问题逐项整改，完善相关制度和台账。"
            problem.reported_at = found + datetime.timedelta(days=rng.randint(5, 25))
            transitions.append((problem, ProblemStatus.OPEN, ProblemStatus.REPORTED, liaison,
                                problem.reported_at))
        if status == ProblemStatus.CLOSED:
            problem.closed_at = problem.reported_at + datetime.timedelta(days=rng.randint(2, 10))
            problem.closed_by = builder.reviewer_of(problem.unit)
            transitions.append((problem, ProblemStatus.REPORTED, ProblemStatus.CLOSED, problem.closed_by,
                                problem.closed_at))
        problem.version = 1 + sum(1 for t in transitions[-2:] if t[0] is problem)
    Problem.objects.bulk_create(problems, batch_size=1000)
    ProblemTransition.objects.bulk_create(
        [ProblemTransition(problem=p, from_status=a, to_status=b, by=u, at=at) for p, a, b, u, at in transitions],
        batch_size=2000)
