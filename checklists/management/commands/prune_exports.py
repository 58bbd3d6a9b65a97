import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from checklists.models import Job


class Command(BaseCommand):
    help = "Delete background exports, and their workbooks, older than --days (default 30). For cron."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        old = Job.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=days))
        for job in old.iterator():
            if job.file:
                job.file.delete(save=False)
        count, _by_model = old.delete()
        self.stdout.write(f"Deleted {count} exports older than {days} days.")
