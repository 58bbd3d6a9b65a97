"""Telling a unit's people what the office did: a message (消息) each, read on the web and in the
daily reminder email."""

from ..models import Membership, Notification, NotificationKind, Role

# Who hears of what: the unit's liaisons, and its leaders where the move concerns them too.
HEARD_BY = {
    NotificationKind.RETURNED: (Role.LIAISON, Role.LEADER),
    NotificationKind.APPROVED: (Role.LIAISON, Role.LEADER),
    NotificationKind.SIGNOFF_DECLINED: (Role.LIAISON,),
    NotificationKind.PROBLEM_FOUND: (Role.LIAISON, Role.LEADER),
    NotificationKind.PROBLEM_SENT_BACK: (Role.LIAISON, Role.LEADER),
}


def notify(*, kind, unit, by, item=None, problem=None, comment=""):
    """A message to each person who works for `unit` in a role that hears of `kind`, but not to the
    person who did it."""
    people = (Membership.objects.filter(unit=unit, role__in=HEARD_BY[kind]).exclude(user=by)
              .values_list("user_id", flat=True).distinct())
    Notification.objects.bulk_create([
        Notification(recipient_id=person, kind=kind, item=item, problem=problem, comment=comment, by=by)
        for person in people])
