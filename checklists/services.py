"""Every write that touches more than one object, or follows a rule of the workflow.

Views, admin actions, imports and commands call these; each runs in one transaction
and records who did what. A refusal raises ServiceError with a message for the user.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import (
    AccountFlags,
    Campaign,
    ChecklistItem,
    Evidence,
    ItemStatus,
    ItemTransition,
    Job,
    JobKind,
    JobStatus,
    LedgerEntry,
    LedgerLink,
    Problem,
    ProblemStatus,
    ProblemTransition,
    Recurrence,
    ReminderSent,
    StandardSet,
    Unit,
    UnitStanding,
    reach_of,
)


class ServiceError(Exception):
    """A refused action; str() is the message to show."""


class IllegalTransition(ServiceError):
    pass


class NotPermitted(ServiceError):
    pass


class EditConflict(ServiceError):
    """Someone saved the record since this user loaded it."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


# Units


@transaction.atomic
def unit_save(*, unit: Unit, parent: Unit | None) -> Unit:
    """Create a unit under its parent, or save it and move it under a new parent."""
    if unit.pk is None:
        if parent is None:
            return Unit.objects.add_root(instance=unit)
        return Unit.objects.add_child(parent, instance=unit)
    current_parent = Unit.objects.get_parent(unit, update=True)
    if parent is not None and (current_parent is None or current_parent.pk != parent.pk):
        Unit.objects.move(unit, parent, "last-child")
        moved = Unit.objects.get(pk=unit.pk)
        unit.path, unit.depth = moved.path, moved.depth
    unit.save()
    return unit


# Campaigns


def campaign_missing_items(campaign: Campaign) -> list[ChecklistItem]:
    """The checklist items the campaign calls for that do not exist yet, unsaved."""
    scope_ids = list(campaign.units_in_scope().values_list("pk", flat=True))
    tasks = {task.standard_item_id: task for task in campaign.tasks.prefetch_related("responsible_units")}
    existing = set(
        ChecklistItem.objects.filter(campaign=campaign).values_list("unit_id", "standard_item_id", "period")
    )
    missing = []
    for standard_item in campaign.standard_set.items.all():
        task = tasks.get(standard_item.pk)
        unit_ids = scope_ids
        if task is not None and task.responsible_units.all():
            unit_ids = [unit.pk for unit in task.responsible_units.all()]
        for period in campaign.periods(standard_item.recurrence):
            due = period.end
            if task is not None and task.deadline and standard_item.recurrence == Recurrence.ONCE:
                due = task.deadline
            missing += [
                ChecklistItem(campaign=campaign, unit_id=unit_id, standard_item=standard_item, period=period.label,
                              period_start=period.start, period_end=period.end, due_date=due)
                for unit_id in unit_ids
                if (unit_id, standard_item.pk, period.label) not in existing
            ]
    return missing


@transaction.atomic
def campaign_generate_items(*, campaign: Campaign) -> int:
    """Create the checklist items the campaign calls for and that do not exist yet.

    Idempotent: a second run creates nothing, and a unit added to scope later gets its items.
    Returns the number of items created.
    """
    missing = campaign_missing_items(campaign)
    bulk_create_with_history(missing, ChecklistItem, batch_size=1000)
    UnitStanding.objects.forget(campaign_id=campaign.pk)
    return len(missing)


# Checklist items


def _record_item_move(item, user, to_status, comment=""):
    ItemTransition.objects.create(item=item, from_status=item.status, to_status=to_status, by=user, comment=comment)
    item.status = to_status


def _save_item(item, expected_version, fields, user):
    """Save `fields` only if nobody saved the item since `expected_version`; the history records who."""
    current = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if current.version != expected_version:
        raise EditConflict(
            _("Someone else saved this item since you opened it. Their version is shown; nothing of yours was "
              "saved over it."),
            current,
        )
    item.version = expected_version + 1
    item._history_user = user
    item.save(update_fields=[*fields, "version", "updated_at"])
    UnitStanding.objects.forget(campaign_id=item.campaign_id, unit_ids=[item.unit_id])


def _check_unit_side(item, user):
    if not reach_of(user).acts_for(item.unit):
        raise NotPermitted(_("Only the unit's liaison or leader may do this for %(unit)s.") % {"unit": item.unit})


def _check_office_side(item, user):
    if not reach_of(user).manages(item.unit):
        raise NotPermitted(_("Only the task-force office over %(unit)s may review it.") % {"unit": item.unit})


def _check_move(item, to_status):
    if not item.can_move_to(to_status):
        raise IllegalTransition(
            _("A %(current)s item cannot be %(target)s.")
            % {"current": item.get_status_display(), "target": ItemStatus(to_status).label}
        )


@transaction.atomic
def item_update(*, item: ChecklistItem, user, expected_version: int, **changes) -> ChecklistItem:
    """Change an item's fields as the user's role allows; a draft becomes in progress."""
    reach = reach_of(user)
    allowed = set()
    if reach.acts_for(item.unit):
        allowed |= set(ChecklistItem.UNIT_FIELDS)
    if reach.manages(item.unit):
        allowed |= set(ChecklistItem.REVIEW_FIELDS) | {"due_date"}
    refused = set(changes) - allowed
    if refused:
        raise NotPermitted(
            _("You may not change: %(fields)s.")
            % {"fields": ", ".join(str(ChecklistItem._meta.get_field(f).verbose_name) for f in sorted(refused))}
        )
    if "progress" in changes and not 0 <= int(changes["progress"]) <= 100:
        raise ServiceError(_("Progress must be between 0 and 100."))
    if changes.get("score") is not None:
        if not item.is_scorable:
            raise IllegalTransition(_("Only a submitted or approved item is scored."))
        _check_score(item, changes["score"])
    unit_side = set(changes) & set(ChecklistItem.UNIT_FIELDS)
    if unit_side and item.status in (ItemStatus.SUBMITTED, ItemStatus.APPROVED):
        raise IllegalTransition(_("A submitted or approved item cannot be edited; ask the office to return it."))
    for name, value in changes.items():
        setattr(item, name, value)
    fields = list(changes)
    if unit_side and item.status == ItemStatus.DRAFT:
        _record_item_move(item, user, ItemStatus.IN_PROGRESS)
        fields.append("status")
    _save_item(item, expected_version, fields, user)
    return item


def _check_score(item, score):
    try:
        item.validate_score(Decimal(score))
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages)) from error


@transaction.atomic
def item_submit(*, item: ChecklistItem, user, comment: str = "") -> ChecklistItem:
    """Send the item to the office; where the campaign wants it, to the unit leader first.

    The unit leader's own submission, or sign-off of an item awaiting it, goes to the office.
    """
    _check_unit_side(item, user)
    to_office = not item.campaign.leader_signoff_required or reach_of(user).leads(item.unit)
    target = ItemStatus.SUBMITTED if to_office else ItemStatus.AWAITING_SIGNOFF
    _check_move(item, target)
    expected = item.version
    _record_item_move(item, user, target, comment)
    fields = ["status"]
    if target == ItemStatus.SUBMITTED:
        item.submitted_at = timezone.now()
        fields.append("submitted_at")
    _save_item(item, expected, fields, user)
    return item


@transaction.atomic
def item_decline_signoff(*, item: ChecklistItem, user, comment: str) -> ChecklistItem:
    """The unit leader sends an item awaiting sign-off back to the liaison, saying why."""
    if not reach_of(user).leads(item.unit):
        raise NotPermitted(_("Only the leader of %(unit)s signs off its items.") % {"unit": item.unit})
    if not comment.strip():
        raise ServiceError(_("Say why the item goes back: the comment is required."))
    if item.status != ItemStatus.AWAITING_SIGNOFF:
        raise IllegalTransition(_("Only an item awaiting the unit leader can be sent back by the leader."))
    expected = item.version
    _record_item_move(item, user, ItemStatus.IN_PROGRESS, comment)
    _save_item(item, expected, ["status"], user)
    return item


@transaction.atomic
def item_approve(*, item: ChecklistItem, user, score=None, comment: str = "") -> ChecklistItem:
    """Approve a submitted item; the score, if given, may not exceed the item's points."""
    _check_office_side(item, user)
    item = ChecklistItem.objects.select_for_update().select_related("standard_item").get(pk=item.pk)
    _check_move(item, ItemStatus.APPROVED)
    fields = ["status", "reviewed_at", "reviewed_by", "review_comment"]
    if score is not None:
        _check_score(item, score)
        item.score = Decimal(score)
        fields.append("score")
    expected = item.version
    _record_item_move(item, user, ItemStatus.APPROVED, comment)
    item.reviewed_at, item.reviewed_by, item.review_comment = timezone.now(), user, comment
    _save_item(item, expected, fields, user)
    return item


@transaction.atomic
def item_return(*, item: ChecklistItem, user, comment: str) -> ChecklistItem:
    """Send a submitted (or approved) item back to the unit with the reason why."""
    _check_office_side(item, user)
    if not comment.strip():
        raise ServiceError(_("Say why the item is returned: the comment is required."))
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    _check_move(item, ItemStatus.RETURNED)
    expected = item.version
    _record_item_move(item, user, ItemStatus.RETURNED, comment)
    item.reviewed_at, item.reviewed_by, item.review_comment = timezone.now(), user, comment
    _save_item(item, expected, ["status", "reviewed_at", "reviewed_by", "review_comment"], user)
    return item


def item_refresh_quantities(*, item_ids, user=None, reason: str = "") -> None:
    """Store each item's achieved quantity as its linked ledger entries add it up, with a history
    record (who, from where, why) for each item whose quantity moved.

    Set-based: one aggregate over the links, one bulk update, whatever the number of items.
    """
    item_ids = set(item_ids)
    links = LedgerLink.objects.filter(item_id__in=item_ids, entry__archived_at__isnull=True)
    sums = links.values("item_id").annotate(
        count=Sum("entry__count"), participants=Sum("entry__participants"), materials=Sum("entry__materials"),
    )
    sums = {row["item_id"]: row for row in sums}
    moved = []
    for item in ChecklistItem.objects.filter(pk__in=item_ids).select_related("standard_item"):
        quantity = (sums.get(item.pk) or {}).get(item.standard_item.ledger_count_field) or 0
        if quantity != item.quantity_achieved:
            item.quantity_achieved = quantity
            moved.append(item)
    bulk_update_with_history(moved, ChecklistItem, ["quantity_achieved"], batch_size=1000, default_user=user,
                             default_change_reason=reason[:100])


# Ledgers


def entry_describe(entry: LedgerEntry) -> str:
    """How an item's history names the entry that moved its quantity: "培训 2023-05-10 《…》"."""
    return f"{entry.get_kind_display()} {entry.occurred_on} 《{entry.title[:30]}》"


@transaction.atomic
def entry_link_items(*, entry: LedgerEntry, items, user) -> None:
    """Link a ledger entry to the checklist items it satisfies; only the entry's own unit's items.

    Links to a submitted or approved item stay as they are until the office returns the item (the
    forms do not offer such items); a new link to one is refused.
    """
    if not reach_of(user).acts_for(entry.unit) and not reach_of(user).manages(entry.unit):
        raise NotPermitted(_("You may not change the ledger of %(unit)s.") % {"unit": entry.unit})
    items = list(items)
    foreign = [item for item in items if item.unit_id != entry.unit_id]
    if foreign:
        raise ServiceError(
            _("A ledger entry of %(unit)s can only count towards that unit's items, not %(item)s.")
            % {"unit": entry.unit, "item": foreign[0]}
        )
    before = set(entry.items.values_list("pk", flat=True))
    kept = list(entry.locked_items())
    newly_locked = [item for item in items if item.is_locked and item.pk not in before]
    if newly_locked:
        raise IllegalTransition(newly_locked[0].locked_message())
    wanted = {item.pk: item for item in [*items, *kept]}
    if set(wanted) == before:
        return
    entry.items.set(wanted.values())
    added, removed = set(wanted) - before, before - set(wanted)
    for changed, words in ((added, _("counted: %(entry)s")), (removed, _("no longer counted: %(entry)s"))):
        if changed:
            item_refresh_quantities(item_ids=changed, user=user, reason=words % {"entry": entry_describe(entry)})


def evidence_attach_blocker(owner) -> str | None:
    """Why no file may be attached to this item or ledger entry now: it counts towards a submitted or
    approved item."""
    if isinstance(owner, ChecklistItem):
        locked = owner if owner.is_locked else None
    else:
        locked = owner.locked_items().first() if isinstance(owner, LedgerEntry) and owner.pk else None
    return locked.locked_message() if locked is not None else None


@transaction.atomic
def evidence_attach(*, owner, upload, user, evidence: Evidence | None = None) -> Evidence:
    """Attach an uploaded file to an item, a ledger entry or a problem of a unit the user works on."""
    unit = owner.unit
    reach = reach_of(user)
    if not (reach.acts_for(unit) or reach.manages(unit)):
        raise NotPermitted(_("You may not attach evidence for %(unit)s.") % {"unit": unit})
    blocker = evidence_attach_blocker(owner)
    if blocker:
        raise IllegalTransition(blocker)
    if evidence is not None and evidence.pk:
        raise ServiceError(_("An evidence file is not replaced: remove it and attach the new one."))
    evidence = Evidence()
    evidence.item = owner if isinstance(owner, ChecklistItem) else None
    evidence.entry = owner if isinstance(owner, LedgerEntry) else None
    evidence.problem = owner if isinstance(owner, Problem) else None
    evidence.unit = unit
    evidence.file = upload
    evidence.name = upload.name.rsplit("/", 1)[-1][:255]
    evidence.size = upload.size or 0
    evidence.content_type = getattr(upload, "content_type", "") or ""
    evidence.uploaded_by = user
    evidence.save()
    return evidence


# Archive


def _may_archive(record, user):
    reach = reach_of(user)
    return reach.manages(record.unit) or (reach.acts_for(record.unit) and not record.archived_by_office_only)


@transaction.atomic
def record_archive(*, record, user) -> None:
    """Remove an evidence file, a ledger entry or a problem from sight and from every count.

    Nothing is destroyed: the record (and its file) is archived, for the office to restore.
    """
    if not _may_archive(record, user):
        raise NotPermitted(_("You may not remove records of %(unit)s.") % {"unit": record.unit})
    if record.is_archived:
        return
    blocker = record.archive_blocker()
    if blocker:
        raise IllegalTransition(blocker)
    _set_archived(record, timezone.now(), user, user)


@transaction.atomic
def record_restore(*, record, user) -> None:
    """Bring an archived record back into use; the office over its unit decides."""
    if not reach_of(user).manages(record.unit):
        raise NotPermitted(_("Only the office over %(unit)s may restore its records.") % {"unit": record.unit})
    if not record.is_archived:
        return
    blocker = record.restore_blocker()
    if blocker:
        raise IllegalTransition(blocker)
    _set_archived(record, None, None, user)


def _set_archived(record, at, by, user):
    """Archive or restore; an entry's items count it again, or no longer."""
    record.archived_at, record.archived_by = at, by
    record.save(update_fields=["archived_at", "archived_by"])
    if isinstance(record, LedgerEntry):
        words = _("removed: %(entry)s") if at else _("restored: %(entry)s")
        item_refresh_quantities(item_ids=record.links.values_list("item_id", flat=True), user=user,
                                reason=words % {"entry": entry_describe(record)})


@transaction.atomic
def entry_save(*, entry: LedgerEntry, user, items=None, duties=None) -> LedgerEntry:
    """Log or change a ledger entry of a unit the user works for, with the items it counts towards
    (None: its links stay as they are).

    `duties` (a bound, valid inline formset) are saved with a responsibility list.
    """
    reach = reach_of(user)
    if not (reach.acts_for(entry.unit) or reach.manages(entry.unit)):
        raise NotPermitted(_("You may not change the ledger of %(unit)s.") % {"unit": entry.unit})
    moved = entry_figures_moved(entry)
    if entry.pk is None:
        entry.created_by = user
    entry.full_clean(exclude=["items"])
    entry.save()
    if duties is not None:
        duties.instance = entry
        duties.save()
    if moved:
        item_refresh_quantities(item_ids=entry.links.values_list("item_id", flat=True), user=user,
                                reason=f"{entry_describe(entry)} {'，'.join(moved)}")
    if items is not None:
        entry_link_items(entry=entry, items=items, user=user)
    return entry


def entry_figures_moved(entry):
    """What the save changes of the figures items count ("人次 2 → 40"); refused while the entry counts
    towards a submitted or approved item."""
    if entry.pk is None:
        return []
    saved = LedgerEntry.all_objects.get(pk=entry.pk)
    moved = [f"{LedgerEntry._meta.get_field(name).verbose_name} {getattr(saved, name)} → {getattr(entry, name)}"
             for name in LedgerEntry.COUNTED_FIELDS if getattr(saved, name) != getattr(entry, name)]
    if moved or saved.unit_id != entry.unit_id:
        locked = saved.locked_items().first()
        if locked is not None:
            raise IllegalTransition(locked.locked_message())
    return moved


@transaction.atomic
def visit_record(*, visit: LedgerEntry, user, problems=()) -> LedgerEntry:
    """Record a supervision visit and the problems found, each assigned to the unit visited."""
    if not reach_of(user).manages(visit.unit):
        raise NotPermitted(_("Only the office over %(unit)s records visits to it.") % {"unit": visit.unit})
    if visit.pk is None:
        visit.created_by = user
    visit.full_clean(exclude=["items"])
    visit.save()
    for problem in problems:
        problem.unit, problem.source = visit.unit, visit
        problem.found_on = problem.found_on or visit.occurred_on
        problem.full_clean()
        problem.save()
    return visit


# Problems


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
    if not reach_of(user).manages(problem.unit):
        raise NotPermitted(_("Only the office over %(unit)s closes its problems.") % {"unit": problem.unit})
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    _move_problem(problem, user, ProblemStatus.CLOSED, comment)
    problem.closed_at, problem.closed_by = timezone.now(), user
    problem.save(update_fields=["status", "closed_at", "closed_by", "version"])
    return problem


@transaction.atomic
def problem_send_back(*, problem: Problem, user, comment: str) -> Problem:
    """The office finds the rectification wanting and sends it back to the unit."""
    if not reach_of(user).manages(problem.unit):
        raise NotPermitted(_("Only the office over %(unit)s verifies its problems.") % {"unit": problem.unit})
    if not comment.strip():
        raise ServiceError(_("Say why the rectification is sent back: the comment is required."))
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    _move_problem(problem, user, ProblemStatus.OPEN, comment)
    problem.save(update_fields=["status", "version"])
    return problem


# Background exports


def export_start(*, user, exporter: str, campaign: Campaign, start, end, county: Unit | None = None) -> Job:
    """Queue a workbook for writing in the background; the job's page shows its progress."""
    from .tasks import run_export

    job = Job.objects.create(user=user, identifier=exporter, parameters={
        "campaign": campaign.pk, "start": start.isoformat(), "end": end.isoformat(),
        "county": county.pk if county else None, "language": translation.get_language()})
    run_export.enqueue(str(job.pk))
    return job


def export_run(*, job: Job) -> Job:
    """Write the job's workbook with what its user reaches now, reporting rows written as it goes."""
    from .exports import EXPORTERS, ExportScope, render

    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    parameters = job.parameters
    try:
        with translation.override(parameters.get("language") or settings.LANGUAGE_CODE):
            county = parameters.get("county")
            scope = ExportScope(
                user=job.user, campaign=Campaign.objects.for_user(job.user).get(pk=parameters["campaign"]),
                start=datetime.date.fromisoformat(parameters["start"]),
                end=datetime.date.fromisoformat(parameters["end"]),
                county=Unit.objects.for_user(job.user).get(pk=county) if county else None)
            exporter = EXPORTERS[job.identifier](scope)
            job.total = exporter.expected_rows()
            Job.objects.filter(pk=job.pk).update(total=job.total)
            name, _content_type, content = render(
                exporter, progress=lambda rows: Job.objects.filter(pk=job.pk).update(done=rows))
    except Exception as error:
        job.status, job.message, job.finished_at = JobStatus.FAILED, str(error), timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        raise
    job.refresh_from_db(fields=["done"])
    job.file.save(name, ContentFile(content), save=False)
    job.filename, job.status, job.finished_at = name, JobStatus.DONE, timezone.now()
    job.save(update_fields=["file", "filename", "status", "finished_at", "total"])
    return job


def job_fail_if_abandoned(*, job: Job) -> Job:
    """A job whose worker has died is failed, so that its page stops waiting and offers a retry.
    Nothing of it was written: an export writes its file last, an import in one transaction."""
    if job.is_abandoned:
        with translation.override(job.parameters.get("language") or settings.LANGUAGE_CODE):
            message = _("Not finished, nothing was written; please try again.")
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, message=message, finished_at=timezone.now())
        job.refresh_from_db()
    return job


def job_retry(*, job: Job, user) -> Job:
    """The same export or import again, as a new job of the same user."""
    from .tasks import run_export, run_import

    if job.user_id != user.pk:
        raise NotPermitted(_("Only who started the work may start it again."))
    if job.status != JobStatus.FAILED:
        raise ServiceError(_("Only work that failed can be started again."))
    again = Job.objects.create(user=job.user, kind=job.kind, identifier=job.identifier, parameters=job.parameters,
                               source=job.source.name, filename=job.filename if job.kind == JobKind.IMPORT else "")
    (run_import if job.kind == JobKind.IMPORT else run_export).enqueue(str(again.pk))
    return again


# Background imports


def import_start(*, user, importer: str, upload, dry_run: bool, campaign=None, standard_set=None) -> Job:
    """Keep the upload and queue its check (and, unless a dry run, its import) in the background."""
    from .tasks import run_import

    job = Job(user=user, kind=JobKind.IMPORT, identifier=importer, filename=upload.name, parameters={
        "dry_run": dry_run, "campaign": campaign.pk if campaign else None,
        "standard_set": standard_set.pk if standard_set else None, "language": translation.get_language()})
    job.source.save(upload.name, upload, save=False)
    job.save()
    run_import.enqueue(str(job.pk))
    return job


def import_run(*, job: Job) -> Job:
    """Check the uploaded workbook and, if every row is right and this is no dry run, import it in one
    transaction; the outcome (lines or problems) goes on the job, for its page."""
    from .imports import IMPORTERS, ImportRefused

    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    parameters = job.parameters
    with translation.override(parameters.get("language") or settings.LANGUAGE_CODE):
        campaigns = Campaign.objects.for_user(job.user)
        importer = IMPORTERS[job.identifier](
            user=job.user,
            campaign=campaigns.get(pk=parameters["campaign"]) if parameters.get("campaign") else None,
            standard_set=(StandardSet.objects.filter(reach_of(job.user).q("owner")).get(pk=parameters["standard_set"])
                          if parameters.get("standard_set") else None),
            progress=lambda done, total: Job.objects.filter(pk=job.pk).update(done=done, total=total))
        try:
            with job.source.open("rb") as upload:
                plan = importer.run(upload, dry_run=parameters["dry_run"])
        except ImportRefused as error:
            job.result = {"refused": str(error)}
        except Exception as error:
            job.status, job.message, job.finished_at = JobStatus.FAILED, str(error), timezone.now()
            job.save(update_fields=["status", "message", "finished_at"])
            raise
        else:
            job.result = {"ok": plan.ok, "dry_run": parameters["dry_run"],
                          "problems": [str(problem) for problem in plan.problems],
                          "lines": [[row, action, text] for row, action, text, _data in plan.lines]}
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    job.save(update_fields=["result", "status", "finished_at"])
    return job


# Reminders


def reminder_send(*, user, today) -> bool:
    """Email the user today's reminders, unless there is nothing to say or they had today's already.

    The record of the day is written in the same transaction as the email is sent: a failed send
    leaves no record, so the next run tries again.
    """
    from .reminders import reminder_email, reminders_for

    if not user.email or not user.is_active:
        return False
    with translation.override(AccountFlags.language_of(user)):
        reminders = reminders_for(user, today)
        if reminders.is_empty:
            return False
        with transaction.atomic():
            _sent, created = ReminderSent.objects.get_or_create(user=user, day=today, defaults={
                "items": reminders.items, "units": reminders.units_overdue_count,
                "problems": reminders.problems_count})
            if not created:
                return False
            subject, text = reminder_email(user, reminders, today)
            send_mail(subject, text, None, [user.email])
    return True


# Accounts


def account_change_password(*, user, form) -> None:
    """Save the new password the form checked; the account no longer has to change it."""
    form.save()
    AccountFlags.objects.filter(user=user).update(must_change_password=False)


def account_set_language(*, user, language: str) -> None:
    """The language the tracker's emails to this person are written in."""
    AccountFlags.objects.update_or_create(user=user, defaults={"language": language})


def account_require_password_change(*, user) -> None:
    """An account whose password someone else set (or whose change a superuser asks for) must set
    its own, different one at its next login."""
    AccountFlags.objects.update_or_create(user=user, defaults={"must_change_password": True})
