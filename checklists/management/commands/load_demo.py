import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Q

from checklists.demo import build
from checklists.models import Unit


class Command(BaseCommand):
    help = "Load the demo city drawn from the two reports, once; print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Load only into a database that has no units yet.")
        parser.add_argument("--reset", action="store_true",
                            help="Delete ALL tracker data and demo accounts first, then load the demo afresh.")

    def handle(self, *args, reset=False, if_empty=False, **options):
        started = time.monotonic()
        if reset:
            self.wipe()
        if build.is_loaded():
            self.stdout.write("演示数据已存在，未重复加载。Demo data already loaded; nothing changed.")
        elif if_empty and Unit.objects.exists():
            self.stdout.write("数据库已有数据，未加载演示数据。The database has data; the demo was not loaded.")
        else:
            build.build()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # statistics for the planner after a bulk load
            self.stdout.write(self.style.SUCCESS(
                f"演示数据已加载 Demo data loaded in {time.monotonic() - started:.1f} s."))
        self.stdout.write("\n演示账号 Demo logins: http://127.0.0.1:8000/ (offices also http://127.0.0.1:8000/admin/)")
        for username, password, label in build.demo_logins():
            self.stdout.write(f"  {username:<14} {password:<10} {label}")

    @transaction.atomic
    def wipe(self):
        """Delete every tracker record and the demo's accounts, children before parents."""
        from django.apps import apps
        from django.contrib.auth import get_user_model

        from checklists.models import Membership

        users = get_user_model().objects.filter(
            Q(pk__in=Membership.objects.values("user")) | Q(username__in=[n for n, _, _ in build.demo_logins()])
        )
        user_ids = list(users.values_list("pk", flat=True))
        for name in ["ItemTransition", "ProblemTransition", "Evidence", "Problem", "Duty", "LedgerEntry",
                     "ChecklistItem", "Task", "Campaign", "StandardItem", "Dimension", "StandardSet", "Membership"]:
            apps.get_model("checklists", name).objects.all().delete()
        Unit.objects.all().delete()
        get_user_model().objects.filter(pk__in=user_ids).delete()
