"""Checklist items: their workflow (submit, sign off, approve, return), edits and quantities."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from ..models import ChecklistItem, ItemStatus, ItemTransition, LedgerLink, NotificationKind, UnitStanding, reach_of
from .errors import EditConflict, IllegalTransition, NotPermitted, ServiceError
from .notifications import notify


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
    if not reach_of(user).may_review(item):
        raise NotPermitted(_("Only the task-force office over %(unit)s may review it.") % {"unit": item.unit})


def _check_move(item, to_status):
    if item.year_end:
        raise IllegalTransition(item.locked_message())
    if not item.can_move_to(to_status):
        raise IllegalTransition(
            _("A %(current)s item cannot be %(target)s.")
            % {"current": item.get_status_display(), "target": ItemStatus(to_status).label}
        )


@transaction.atomic
def item_update(*, item: ChecklistItem, user, expected_version: int, **changes) -> ChecklistItem:
    """Change an item's fields as the user's role allows; a draft becomes in progress."""
    if item.year_end:
        raise IllegalTransition(item.locked_message())
    reach = reach_of(user)
    allowed = set()
    if reach.acts_for(item.unit):
        allowed |= set(ChecklistItem.UNIT_FIELDS)
    if reach.may_review(item):
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
    if unit_side and item.is_locked:
        raise IllegalTransition(item.locked_message())
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
    notify(kind=NotificationKind.SIGNOFF_DECLINED, unit=item.unit, by=user, item=item, comment=comment)
    return item


@transaction.atomic
def item_approve(*, item: ChecklistItem, user, score=None, comment: str = "") -> ChecklistItem:
    """Approve a submitted item; the score, if given, may not exceed the item's points."""
    _check_office_side(item, user)
    item = ChecklistItem.objects.select_for_update().select_related("standard_item").get(pk=item.pk)
    _check_move(item, ItemStatus.APPROVED)
    rejected = item.rejected_files()
    if rejected:
        raise IllegalTransition(
            _("%(file)s is not accepted (%(reason)s): change the verdict, or return the item for the unit to "
              "replace or remove the file, before approving.")
            % {"file": rejected[0].name, "reason": rejected[0].verdict_reason})
    fields = ["status", "reviewed_at", "reviewed_by", "review_comment"]
    if score is not None:
        _check_score(item, score)
        item.score = Decimal(score)
        fields.append("score")
    expected = item.version
    _record_item_move(item, user, ItemStatus.APPROVED, comment)
    item.reviewed_at, item.reviewed_by, item.review_comment = timezone.now(), user, comment
    _save_item(item, expected, fields, user)
    notify(kind=NotificationKind.APPROVED, unit=item.unit, by=user, item=item, comment=comment)
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
    notify(kind=NotificationKind.RETURNED, unit=item.unit, by=user, item=item, comment=comment)
    return item


@transaction.atomic
def items_review(*, user, approve=(), give_back=(), comment: str = "") -> int:
    """Review many items at once, all or none: approve each of `approve`, (item, score) pairs, and
    return each of `give_back` with the one `comment`; each through `item_approve` or `item_return`.
    A refusal names the item and nothing is written."""
    done = 0
    for item, score in approve:
        _reviewed(item_approve, item, user=user, score=score, comment=comment)
        done += 1
    for item in give_back:
        _reviewed(item_return, item, user=user, comment=comment)
        done += 1
    return done


def _reviewed(service, item, **arguments):
    try:
        service(item=item, **arguments)
    except ServiceError as error:
        raise ServiceError(f"{item.unit} · {item.standard_item.code}：{error}") from error


@transaction.atomic
def items_delete(*, items, user) -> int:
    """A superuser removes checklist items (generated by mistake); the units' standings are counted
    again. Returns the number removed."""
    if not user.is_superuser:
        raise NotPermitted(_("Only a superuser may delete checklist items."))
    items = list(items)
    for campaign_id, unit_ids in _by_campaign(items).items():
        UnitStanding.objects.forget(campaign_id=campaign_id, unit_ids=unit_ids)
    ChecklistItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    return len(items)


def _by_campaign(items):
    grouped = {}
    for item in items:
        grouped.setdefault(item.campaign_id, []).append(item.unit_id)
    return grouped


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
