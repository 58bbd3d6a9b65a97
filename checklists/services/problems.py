"""Problems and their rectification: reported by the unit, closed or sent back by the office."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import NotificationKind, Problem, ProblemStatus, ProblemTransition, reach_of
from .errors import IllegalTransition, NotPermitted, ServiceError
from .notifications import notify


def _move_problem(problem, user, to_status, comment=""):
    if not problem.can_move_to(to_status):
        raise IllegalTransition(
            _("A problem that is %(current)s cannot become %(target)s.")
            % {"current": problem.get_status_display(), "target": ProblemStatus(to_status).label}
        )
    ProblemTransition.objects.create(
        problem=problem, from_status=problem.status, to_status=to_status, by=user, comment=comment
    )
    problem.status = to_status
    problem.version += 1


@transaction.atomic
def problem_save(*, problem: Problem, user) -> Problem:
    """The office records or corrects a problem of a unit it manages (what was found, the deadline);
    one found on a visit belongs to the unit visited. Its status moves only through the steps below."""
    if not reach_of(user).may_review(problem):
        raise NotPermitted(_("Only the office over %(unit)s records its problems.") % {"unit": problem.unit})
    if problem.source_id and problem.source.unit_id != problem.unit_id:
        raise ServiceError(_("A problem found on a visit belongs to the unit visited, %(unit)s.")
                           % {"unit": problem.source.unit})
    problem.full_clean()
    problem.save()
    return problem


@transaction.atomic
def problem_report_rectification(*, problem: Problem, user, rectification: str) -> Problem:
    """The unit reports what it did to rectify the problem."""
    if not reach_of(user).acts_for(problem.unit):
        raise NotPermitted(_("Only %(unit)s reports its own rectification.") % {"unit": problem.unit})
    if not rectification.strip():
        raise ServiceError(_("Describe the rectification."))
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    _move_problem(problem, user, ProblemStatus.REPORTED, rectification)
    problem.rectification = rectification
    problem.reported_at = timezone.now()
    problem.save(update_fields=["status", "rectification", "reported_at", "version"])
    return problem


@transaction.atomic
def problem_close(*, problem: Problem, user, comment: str = "") -> Problem:
    """The office verifies the rectification and closes the problem (销号)."""
    if not reach_of(user).may_review(problem):
        raise NotPermitted(_("Only the office over %(unit)s closes its problems.") % {"unit": problem.unit})
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    _move_problem(problem, user, ProblemStatus.CLOSED, comment)
    problem.closed_at, problem.closed_by = timezone.now(), user
    problem.save(update_fields=["status", "closed_at", "closed_by", "version"])
    return problem


@transaction.atomic
def problem_send_back(*, problem: Problem, user, comment: str) -> Problem:
    """The office finds the rectification wanting and sends it back to the unit."""
    if not reach_of(user).may_review(problem):
        raise NotPermitted(_("Only the office over %(unit)s verifies its problems.") % {"unit": problem.unit})
    if not comment.strip():
        raise ServiceError(_("Say why the rectification is sent back: the comment is required."))
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    _move_problem(problem, user, ProblemStatus.OPEN, comment)
    problem.save(update_fields=["status", "version"])
    notify(kind=NotificationKind.PROBLEM_SENT_BACK, unit=problem.unit, by=user, problem=problem, comment=comment)
    return problem
