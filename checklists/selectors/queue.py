"""待办: what waits for an office, oldest first, with how long each has waited."""

import datetime

from django.utils import timezone

from ..models import (ChecklistItem, ItemStatus, ItemTransition, Job, JobKind, JobStatus, Problem, ProblemStatus,
                      reach_of)
from .figures import shown_and_count
from .items import ITEM_LIST_RELATED

REPORTED_SHOWN = 200
IMPORTS_KEPT = datetime.timedelta(days=14)  # a checked import older than this is no longer offered


def waited(since, today):
    """Whole days since a moment (or a day), in local time."""
    if since is None:
        return None
    day = timezone.localdate(since) if isinstance(since, datetime.datetime) else since
    return (today - day).days


def reviewed_here(user):
    """The items in the units this office reviews (`Reach.may_review`), as a queryset."""
    return managed_within(user, ChecklistItem.objects.for_user(user))


def managed_within(user, records):
    """Scoped records narrowed to the units the user manages; as they are where that is all they reach
    (the same query then as the overview's, and no second filter on the unit path)."""
    reach = reach_of(user)
    return records if reach.manages_all_reached else records.filter(reach.q_managed("unit"))


def awaiting_review(user):
    """The items waiting for this office's review, oldest first."""
    return (reviewed_here(user).filter(status=ItemStatus.SUBMITTED).select_related(*ITEM_LIST_RELATED, "campaign")
            .order_by("submitted_at", "pk"))


def work_queue(*, user, campaign, today=None):
    """Items of the task list submitted for review, rectifications to verify and the task list's
    sign-offs the unit leaders declined, in the units this office reviews; the user's own checked
    imports not yet imported."""
    today = today or timezone.localdate()
    submitted = awaiting_review(user).filter(campaign=campaign)
    reported = (managed_within(user, Problem.objects.for_user(user)).filter(status=ProblemStatus.REPORTED)
                .select_related("unit").order_by("reported_at", "pk"))
    reported_shown, reported_count = shown_and_count(reported, REPORTED_SHOWN)
    declined = (ItemTransition.objects.filter(
        item__in=reviewed_here(user).filter(campaign=campaign, status=ItemStatus.IN_PROGRESS),
        from_status=ItemStatus.AWAITING_SIGNOFF, to_status=ItemStatus.IN_PROGRESS)
        # who declined, read apart: joined, SQLite read every item once for each user
        .select_related("item__unit", "item__standard_item").prefetch_related("by").order_by("-at")[:50])
    return {
        "today": today,
        "campaign": campaign,
        "submitted": submitted,
        "submitted_count": submitted.count(),
        "reported": [(problem, waited(problem.reported_at, today)) for problem in reported_shown],
        "reported_count": reported_count,
        "declined": [(move, waited(move.at, today)) for move in declined],
        "imports": imports_to_confirm(user),
    }


def imports_to_confirm(user):
    """The user's checked imports (a dry run that found no problem) of the last two weeks that no
    later import of the same kind has carried out."""
    jobs = Job.objects.for_user(user).filter(kind=JobKind.IMPORT, status=JobStatus.DONE,
                                             created_at__gte=timezone.now() - IMPORTS_KEPT)
    checked, carried_out = [], {}
    for job in jobs.order_by("created_at"):
        if job.result.get("dry_run") and job.result.get("ok"):
            checked.append(job)
        elif job.result.get("ok"):
            carried_out[job.identifier] = job.created_at
    return [job for job in checked if carried_out.get(job.identifier, job.created_at) <= job.created_at]
