"""Reminder emails."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from ..models import AccountFlags, ReminderSent
from ..selectors.reminders import reminder_email, reminders_for


def reminder_send(*, user, today) -> bool:
    """Email the user today's reminders, unless there is nothing to say or they had today's already.

    The record of the day is written in the same transaction as the email is sent: a failed send
    leaves no record, so the next run tries again.
    """
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
