import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from checklists.management.progress import Progress
from checklists.models import Campaign, Unit, UnitStanding

BATCH = 200


class Command(BaseCommand):
    help = ("Count every unit's standing for today in each task list under way. Run it from cron just after "
            "midnight, so that nobody's first dashboard of the day waits for a city's count.")

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, quiet, **options):
        today = timezone.localdate()
        progress = Progress(sys.stdout, quiet)
        counted = 0
        for campaign in Campaign.objects.filter(period_start__lte=today, period_end__gte=today):
            unit_ids = list(Unit.objects.filter(items__campaign=campaign).values_list("pk", flat=True).distinct())
            for start in range(0, len(unit_ids), BATCH):
                counted += UnitStanding.objects.fill(
                    campaign=campaign, units=Unit.objects.filter(pk__in=unit_ids[start:start + BATCH]), as_of=today)
                progress(f"{campaign.year}", min(start + BATCH, len(unit_ids)), len(unit_ids))
        self.stdout.write(f"Counted {counted:,} standings for {today}.")
