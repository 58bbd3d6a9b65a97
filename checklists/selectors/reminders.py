"""Reminders: what needs each person now, the same on the web page and in the daily email.

A liaison (or leader) hears of its units' items due within a week and overdue; an office of the units
under it with overdue items, and of problems past their rectification deadline.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Campaign, ChecklistItem, Notification, Problem, Role, reach_of
from .campaigns import current_campaign
from .figures import shown_and_count
from .items import ITEM_LIST_RELATED
from .standings import problems_past_deadline, unit_overdue_rows

SHOWN = 20  # lines of each list in the page and the email; the counts say how many in all
DUE_SOON_DAYS = 7


@dataclass
class Reminders:
    due_soon: list = field(default_factory=list)
    due_soon_count: int = 0
    overdue: list = field(default_factory=list)
    overdue_count: int = 0
    units_overdue: list = field(default_factory=list)  # figures.Row per unit, most overdue first
    units_overdue_count: int = 0
    items_overdue_in_units: int = 0
    problems: list = field(default_factory=list)
    problems_count: int = 0
    expired: list = field(default_factory=list)  # items relying on a file whose validity has ended
    expired_count: int = 0
    messages: list = field(default_factory=list)  # unread 消息
    messages_count: int = 0

    @property
    def items(self):
        return self.due_soon_count + self.overdue_count

    @property
    def is_empty(self):
        return not (self.items or self.units_overdue_count or self.problems_count or self.messages_count
                    or self.expired_count)


def _open_items(user):
    """The items not yet submitted of the units the user acts for (liaison or leader)."""
    acting = reach_of(user).acting_unit_ids
    if not acting:
        return ChecklistItem.objects.none()
    return ChecklistItem.objects.for_user(user).filter(unit_id__in=acting).exclude(
        status__in=ChecklistItem.DONE_STATUSES)


def _expired_items(user, campaign, today):
    """The current task list's items relying on an expired file: an office's in its reach, a unit's own."""
    reach = reach_of(user)
    items = ChecklistItem.objects.for_user(user).filter(campaign=campaign)
    if Role.OFFICE not in reach.roles:
        items = items.filter(unit_id__in=reach.acting_unit_ids)
    return (items.relying_on_expired(today).select_related(*ITEM_LIST_RELATED)
            .order_by("unit__path", "due_date", "pk"))


def reminders_for(user, today=None):
    """Everything the user should be reminded of today; empty for a viewer or a superuser without a unit."""
    today = today or timezone.localdate()
    reminders = Reminders()
    open_items = _open_items(user).select_related(*ITEM_LIST_RELATED).order_by("due_date", "pk")
    reminders.due_soon, reminders.due_soon_count = shown_and_count(open_items.filter(
        due_date__gte=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)), SHOWN)
    reminders.overdue, reminders.overdue_count = shown_and_count(open_items.overdue(today), SHOWN)
    reminders.messages, reminders.messages_count = shown_and_count(
        Notification.objects.for_user(user).unread().select_related("item__standard_item", "problem"), SHOWN)
    campaign = current_campaign(Campaign.objects.for_user(user), today)
    reminders.expired, reminders.expired_count = shown_and_count(_expired_items(user, campaign, today), SHOWN)
    if Role.OFFICE not in reach_of(user).roles:
        return reminders
    by_unit = unit_overdue_rows(user=user, campaign=campaign, today=today)
    reminders.units_overdue = by_unit[:SHOWN]
    reminders.units_overdue_count = len(by_unit)
    reminders.items_overdue_in_units = sum(row.overdue for row in by_unit)
    reminders.problems, reminders.problems_count = shown_and_count(
        Problem.objects.for_user(user).past_deadline(today).select_related("unit").order_by("deadline", "pk"),
        SHOWN)
    return reminders


def badge_count(user, today=None):
    """The number beside the reminders link: the unit's items due or overdue, the items relying on an
    expired file and, for an office, problems past deadline (the units' overdue items are counted on the
    page itself)."""
    today = today or timezone.localdate()
    count = _open_items(user).filter(due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)).count()
    if Role.OFFICE in reach_of(user).roles:
        count += problems_past_deadline(user, today)
    return count + _expired_items(user, current_campaign(Campaign.objects.for_user(user), today), today).count()


def reminder_email(user, reminders, today):
    """(subject, text) of the daily email."""
    parts = []
    if reminders.messages_count:
        parts.append(_("%(count)d new message(s)") % {"count": reminders.messages_count})
    if reminders.items:
        parts.append(_("%(overdue)d item(s) overdue, %(soon)d due within a week")
                     % {"overdue": reminders.overdue_count, "soon": reminders.due_soon_count})
    if reminders.units_overdue_count:
        parts.append(_("%(units)d unit(s) with overdue items") % {"units": reminders.units_overdue_count})
    if reminders.problems_count:
        parts.append(_("%(problems)d problem(s) past deadline") % {"problems": reminders.problems_count})
    if reminders.expired_count:
        parts.append(_("%(items)d item(s) with expired evidence") % {"items": reminders.expired_count})
    subject = _("Clean Ledger reminder: %(what)s") % {"what": "；".join(parts)}
    site = settings.SITE_URL.rstrip("/")
    text = render_to_string("checklists/email/reminder.txt", {
        "user": user, "r": reminders, "today": today, "site": site, "shown": SHOWN,
        "items_url": site + reverse("item_list"), "reminders_url": site + reverse("reminders"),
        "problems_url": site + reverse("problem_list"), "messages_url": site + reverse("notification_list")})
    return subject, text
