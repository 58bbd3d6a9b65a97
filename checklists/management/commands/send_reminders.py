import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.conf import settings

from ... import services
from ...models import Membership, Role


class Command(BaseCommand):
    help = ("Email each liaison and leader its units' items due within a week and overdue, and each office its "
            "units with overdue items and its problems past deadline; at most once a day per person (for cron).")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="The day to remind of (default today).")

    def handle(self, *args, date=None, **options):
        today = date or timezone.localdate()
        roles = [Role.OFFICE, Role.LIAISON, Role.LEADER]
        users = get_user_model().objects.filter(
            is_active=True, pk__in=Membership.objects.filter(role__in=roles).values("user")).exclude(email="")
        sent = skipped = 0
        with translation.override(settings.LANGUAGE_CODE):
            for user in users.order_by("pk").iterator(chunk_size=200):
                if services.reminder_send(user=user, today=today):
                    sent += 1
                else:
                    skipped += 1
        self.stdout.write(f"{today}: {sent} reminder(s) sent; {skipped} person(s) with nothing to say or "
                          f"already reminded today.")
