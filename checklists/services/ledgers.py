"""Ledger entries, their links to items and their evidence, and archiving what users remove."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ChecklistItem, Evidence, LedgerEntry, NotificationKind, Problem, Verdict, reach_of
from .errors import IllegalTransition, NotPermitted, ServiceError
from .notifications import notify
from .items import item_refresh_quantities


def entry_describe(entry: LedgerEntry) -> str:
    """How an item's history names the entry that moved its quantity: "培训 2023年5月10日 《…》"."""
    return f"{entry.get_kind_display()} {entry.day_shown} 《{entry.title[:30]}》"


@transaction.atomic
def entry_link_items(*, entry: LedgerEntry, items, user) -> None:
    """Link a ledger entry to the checklist items it satisfies; only the entry's own unit's items.

    Links to a submitted or approved item stay as they are until the office returns the item (the
    forms do not offer such items); a new link to one is refused.
    """
    if not reach_of(user).may_keep_ledger(entry.unit, entry.kind):
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
def evidence_attach(*, owner, upload, user, evidence: Evidence | None = None, valid_until=None,
                    replaces: Evidence | None = None) -> Evidence:
    """Attach an uploaded file to an item, a ledger entry or a problem of a unit the user works on.

    A file for an item whose measure says how long its evidence counts is valid that long unless
    `valid_until` says otherwise. With `replaces`, the file is that one's next version (see
    `evidence_new_version`)."""
    unit = owner.unit
    reach = reach_of(user)
    if not (reach.acts_for(unit) or reach.manages(unit)):
        raise NotPermitted(_("You may not attach evidence for %(unit)s.") % {"unit": unit})
    blocker = evidence_attach_blocker(owner)
    if blocker and not (replaces is not None and replaces.is_expired()):  # an expired file is renewed even so
        raise IllegalTransition(blocker)
    if evidence is not None and evidence.pk:
        raise ServiceError(_("An evidence file is not replaced: remove it and attach the new one."))
    evidence = evidence if evidence is not None else Evidence()  # the admin passes the object it shows
    if valid_until is None and isinstance(owner, ChecklistItem):
        valid_until = owner.standard_item.evidence_valid_until(timezone.localdate())
    evidence.valid_until = valid_until
    evidence.replaces = replaces
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


@transaction.atomic
def evidence_reuse(*, evidence: Evidence, item: ChecklistItem, user) -> Evidence:
    """Attach to `item` a file the same unit gave before (last period, last year): a link to the same
    stored file, recorded as re-used from its first upload, never a copy. Removing either leaves the other."""
    if not reach_of(user).acts_for(item.unit):
        raise NotPermitted(_("Only the unit's liaison or leader may do this for %(unit)s.") % {"unit": item.unit})
    blocker = evidence_attach_blocker(item)
    if blocker:
        raise IllegalTransition(blocker)
    if evidence.unit_id != item.unit_id or evidence.is_archived:
        raise ServiceError(_("Only a file of %(unit)s still in use can be re-used for it.") % {"unit": item.unit})
    if item.evidence.filter(file=evidence.file.name).exists():
        raise ServiceError(_("%(file)s is already among this item's files.") % {"file": evidence.name})
    if evidence.is_expired():
        raise ServiceError(_("%(file)s expired on %(day)s; give a new file instead.")
                           % {"file": evidence.name, "day": evidence.valid_until})
    return Evidence.objects.create(
        unit=item.unit, item=item, file=evidence.file.name, name=evidence.name, size=evidence.size,
        content_type=evidence.content_type, uploaded_by=user, reused_from=evidence.reused_from or evidence,
        valid_until=evidence.valid_until)


@transaction.atomic
def evidence_new_version(*, evidence: Evidence, upload, user, valid_until=None) -> Evidence:
    """Give a new version of a file: the new one counts from now on, the old one stays in its history
    (archived, still readable). An expired file may be renewed even on an item under review or approved;
    nothing else of such an item changes."""
    if evidence.is_archived:
        raise ServiceError(_("%(file)s has been replaced or removed; give the new version of the file in use.")
                           % {"file": evidence.name})
    if valid_until is not None and valid_until < timezone.localdate():
        raise ServiceError(_("The new version's validity ends before today; give a date from today on."))
    new = evidence_attach(owner=evidence.owner, upload=upload, user=user, valid_until=valid_until,
                          replaces=evidence)
    _set_archived(evidence, timezone.now(), user, user)
    return new


@transaction.atomic
def evidence_set_validity(*, evidence: Evidence, valid_until, user) -> Evidence:
    """Correct how long a file counts: the unit while its item may change, the office over it always."""
    reach = reach_of(user)
    if not (reach.acts_for(evidence.unit) or reach.manages(evidence.unit)):
        raise NotPermitted(_("You may not attach evidence for %(unit)s.") % {"unit": evidence.unit})
    blocker = evidence_attach_blocker(evidence.owner)
    if blocker and not reach.manages(evidence.unit):
        raise IllegalTransition(blocker)
    if evidence.is_archived:
        raise ServiceError(_("%(file)s is no longer in use.") % {"file": evidence.name})
    stored = Evidence.all_objects.get(pk=evidence.pk)  # a form may have set it on `evidence` already
    if stored.valid_until != valid_until:  # saved unchanged, it leaves no trace
        stored.valid_until = valid_until
        stored.save(update_fields=["valid_until"])
    return stored


@transaction.atomic
def evidence_judge(*, evidence: Evidence, user, verdict: str, reason: str = "") -> Evidence:
    """The office's word on one file: accepted, or not accepted with the reason why ("" takes it back).
    An item is not approved while a file not accepted counts for it (`item_approve`)."""
    if not reach_of(user).manages(evidence.unit):
        raise NotPermitted(_("Only the office over %(unit)s judges its files.") % {"unit": evidence.unit})
    evidence = Evidence.all_objects.select_related("item", "entry", "unit").get(pk=evidence.pk)  # as it stands
    if evidence.is_archived:
        raise ServiceError(_("%(file)s is no longer in use.") % {"file": evidence.name})
    if verdict not in {"", *Verdict.values}:
        raise ServiceError(_("Choose accepted or not accepted."))
    reason = reason.strip()
    if verdict == Verdict.REJECTED and not reason:
        raise ServiceError(_("Say why the file is not accepted: the reason is required."))
    approved = evidence.approved_items() if verdict == Verdict.REJECTED else []
    if approved:  # an approved item never counts a file not accepted
        raise IllegalTransition(_("%(item)s is approved with this file: return the item to the unit first, then "
                                  "record that the file is not accepted.") % {"item": approved[0]})
    evidence.verdict, evidence.verdict_reason = verdict, reason if verdict == Verdict.REJECTED else ""
    evidence.verdict_by, evidence.verdict_at = (user, timezone.now()) if verdict else (None, None)
    evidence.save(update_fields=["verdict", "verdict_reason", "verdict_by", "verdict_at"])
    return evidence


# Archive


@transaction.atomic
def record_archive(*, record, user) -> None:
    """Remove an evidence file, a ledger entry or a problem from sight and from every count.

    Nothing is destroyed: the record (and its file) is archived, for the office to restore.
    """
    if not reach_of(user).may_archive(record):
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
    if not reach_of(user).may_keep_ledger(entry.unit, entry.kind):
        raise NotPermitted(_("You may not change the ledger of %(unit)s.") % {"unit": entry.unit})
    moved = entry_figures_moved(entry, duties_changed=duties is not None and duties.has_changed())
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


def entry_figures_moved(entry, duties_changed=False):
    """What the save changes of the figures items count ("人次 2 → 40"). While the entry counts towards
    a submitted or approved item nothing of it changes, neither its figures nor its title, date, unit,
    other fields or duties: refused, naming the item."""
    if entry.pk is None:
        return []
    saved = LedgerEntry.all_objects.get(pk=entry.pk)
    moved = [f"{LedgerEntry._meta.get_field(name).verbose_name} {getattr(saved, name)} → {getattr(entry, name)}"
             for name in LedgerEntry.COUNTED_FIELDS if getattr(saved, name) != getattr(entry, name)]
    changed = duties_changed or any(getattr(saved, field.attname) != getattr(entry, field.attname)
                                    for field in LedgerEntry._meta.concrete_fields if field.editable)
    if changed:
        locked = saved.locked_items().first()
        if locked is not None:
            raise IllegalTransition(locked.locked_message())
    return moved


@transaction.atomic
def visit_record(*, visit: LedgerEntry, user, problems=()) -> LedgerEntry:
    """Record a supervision visit and the problems found, each assigned to the unit visited."""
    if not reach_of(user).may_keep_ledger(visit.unit, visit.kind):
        raise NotPermitted(_("Only the office over %(unit)s records visits to it.") % {"unit": visit.unit})
    if visit.pk is None:
        visit.created_by = user
    visit.full_clean(exclude=["items"])
    visit.save()
    visit_record_problems(visit=visit, user=user, problems=problems)
    return visit


@transaction.atomic
def visit_record_problems(*, visit: LedgerEntry, user, problems) -> None:
    """The problems found on a saved visit, each assigned to the unit visited."""
    if not reach_of(user).may_keep_ledger(visit.unit, visit.kind):
        raise NotPermitted(_("Only the office over %(unit)s records visits to it.") % {"unit": visit.unit})
    for problem in problems:
        problem.unit, problem.source = visit.unit, visit
        problem.found_on = problem.found_on or visit.occurred_on
        problem.full_clean()
        found = problem.pk is None
        problem.save()
        if found:
            notify(kind=NotificationKind.PROBLEM_FOUND, unit=problem.unit, by=user, problem=problem)
