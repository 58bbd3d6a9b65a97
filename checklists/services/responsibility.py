"""Responsibility lists (责任清单) renewed for the new year from the old one."""

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Duty, LedgerEntry, LedgerKind, ResponsibilityList, reach_of
from .errors import NotPermitted, ServiceError
from .ledgers import entry_save


def renewed_title(title: str, old_year: int, year: int) -> str:
    """The old title with its year written as the new one ("2023年度…" → "2024年度…"); a title without the
    old year stays as it is. Only the year standing alone: 20231 or 120230 is not a year."""
    return re.sub(rf"(?<!\d){old_year}(?!\d)", str(year), title)


@transaction.atomic
def responsibility_list_renew(*, entry: LedgerEntry, user, year: int | None = None) -> LedgerEntry:
    """The unit's responsibility list for `year` (by default the year after the old list's) copied from
    `entry`: the same kind, place, description and duties, every signature cleared for the new signing
    to be recorded; dated today, or 1 January of `year` when today is in another year. Evidence files
    and the items the old list counts towards stay with the old list."""
    if not reach_of(user).may_keep_ledger(entry.unit, entry.kind):
        raise NotPermitted(_("You may not change the ledger of %(unit)s.") % {"unit": entry.unit})
    # Read again under a lock: two renewals sent at once are one renewal and one refusal.
    entry = LedgerEntry.all_objects.select_for_update().select_related("unit").get(pk=entry.pk)
    if entry.kind != LedgerKind.RESPONSIBILITY or entry.is_archived:
        raise ServiceError(_("Only a responsibility list in use can be renewed."))
    old_year = entry.occurred_on.year
    year = year or old_year + 1
    if year <= old_year:
        raise ServiceError(_("A list of %(old)s is renewed for a later year, not %(year)s.")
                           % {"old": old_year, "year": year})
    that_year = LedgerEntry.objects.filter(unit_id=entry.unit_id, kind=LedgerKind.RESPONSIBILITY,
                                           occurred_on__year=year).order_by("pk")
    existing = that_year.filter(renews=entry).first()
    if existing is not None:
        raise ServiceError(_("This list is already renewed for %(year)s: %(list)s.") % {"year": year, "list": existing})
    existing = that_year.first()
    if existing is not None:
        raise ServiceError(_("%(unit)s already has a list for %(year)s: %(list)s.")
                           % {"unit": entry.unit, "year": year, "list": existing})
    today = timezone.localdate()
    renewal = ResponsibilityList(
        unit=entry.unit, subkind=entry.subkind, title=renewed_title(entry.title, old_year, year),
        occurred_on=today if today.year == year else datetime.date(year, 1, 1), place=entry.place,
        description=entry.description, renews=entry)
    renewal._history_user = user
    entry_save(entry=renewal, user=user)
    for duty in entry.duties.order_by("-is_head", "pk"):
        copy = Duty(responsibility_list=renewal, holder=duty.holder, position=duty.position, is_head=duty.is_head,
                    duties=duty.duties, signed_on=None)
        copy._history_user = user
        copy.save()
    return renewal
