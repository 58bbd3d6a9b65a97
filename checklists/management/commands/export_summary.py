import sys

from django.core.management.base import BaseCommand, CommandError

from checklists import selectors, services
from checklists.exports import EXPORTERS, ExportScope, render
from checklists.management.people import acting_user
from checklists.management.progress import Progress
from checklists.models import Campaign, Unit


class Command(BaseCommand):
    help = "Write a summary workbook, e.g. --kind monthly --period 2023-05 --out 月通报.xlsx (for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(EXPORTERS))
        parser.add_argument("--period", required=True,
                            help="monthly and bimonthly: YYYY-MM (the first month); weekly: any day YYYY-MM-DD; "
                                 "ledgers and items: YYYY or YYYY-MM.")
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument("--user", help="Whose reach the workbook covers (default: the first superuser).")
        parser.add_argument("--campaign", type=int, help="The task list's id (default: the current one).")
        parser.add_argument("--county", help="Limit to one county or district, by code or name.")
        parser.add_argument("--issue", action="store_true",
                            help="Issue it: the next 第N期 of the report, kept as issued under 已发布通报 "
                                 "(the office over the county, or the task list's office, only).")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, kind, period, out, user=None, campaign=None, county=None, quiet=False, issue=False,
               **options):
        person = acting_user(user)
        try:
            start, end = EXPORTERS[kind].period_bounds(period)
        except ValueError as error:
            raise CommandError(f"--period: {error}") from None
        campaigns = Campaign.objects.for_user(person)
        chosen = campaigns.filter(pk=campaign).first() if campaign else selectors.current_campaign(campaigns, end)
        if chosen is None:
            raise CommandError(f"--campaign: no task list {campaign or ''} that {person} reaches.")
        area = None
        if county:
            area = Unit.objects.for_user(person).counties().filter(code=county).first() or (
                Unit.objects.for_user(person).counties().filter(name=county).first())
            if area is None:
                raise CommandError(f"--county: no county or district {county!r} that {person} reaches.")
        scope = ExportScope(user=person, campaign=chosen, start=start, end=end, county=area)
        exporter = EXPORTERS[kind](scope)
        total = exporter.expected_rows()
        bar = Progress(sys.stdout, quiet)
        written = []

        def write(exporter):
            written[:] = render(exporter, progress=(lambda rows: bar("rows", rows, total)) if total else None)
            return written

        if issue:
            try:
                bulletin = services.bulletin_issue(user=person, exporter=exporter, write=write)
            except services.ServiceError as error:
                raise CommandError(f"--issue: {error}") from None
            self.stdout.write(f"{bulletin.title}")
        else:
            write(exporter)
        content = written[2]
        with open(out, "wb") as handle:
            handle.write(content)
        self.stdout.write(f"{out}: {len(content):,} bytes ({chosen}, {start} to {end})")
