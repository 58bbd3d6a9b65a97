from django.core.management.base import BaseCommand, CommandError

from checklists import selectors
from checklists.exports import ExportScope, render
from checklists.exports.summary import SummaryDraft
from checklists.management.people import acting_user
from checklists.models import Campaign, Unit


class Command(BaseCommand):
    help = ("Draft the year-end summary (年度总结（草稿）) of a body, the city, a county or one unit, as a Word "
            "document, e.g. summary_draft --unit 郊区 --year 2023 --out 总结.docx [--half 1].")

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="The body whose summary it is, by name or code.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--half", type=int, choices=[1, 2], help="A half-year only: 1 or 2.")
        parser.add_argument("--out", required=True, help="The .docx file to write.")
        parser.add_argument("--user", help="Whose reach the draft covers (default: the first superuser).")
        parser.add_argument("--campaign", type=int,
                            help="The task list's id, for its dimensions and measures (default: the year's).")

    def handle(self, *args, unit, year, out, half=None, user=None, campaign=None, **options):
        person = acting_user(user)
        units = Unit.objects.for_user(person)
        body = units.filter(name=unit).first() or units.filter(code=unit).first()
        if body is None:
            raise CommandError(f"--unit: no unit {unit!r} that {person} reaches.")
        start, end = SummaryDraft.period_bounds(f"{year}-H{half}" if half else str(year))
        campaigns = Campaign.objects.for_user(person)
        chosen = campaigns.filter(pk=campaign).first() if campaign else selectors.current_campaign(
            campaigns.filter(year=year), end)
        if chosen is None:
            raise CommandError(f"--campaign: no task list {campaign or f'of {year}'} that {person} reaches.")
        name, _type, content = render(SummaryDraft(ExportScope(user=person, campaign=chosen, start=start, end=end,
                                                               county=body)))
        with open(out, "wb") as handle:
            handle.write(content)
        self.stdout.write(f"{out}: {name}, {len(content):,} bytes ({chosen}, {start} to {end})")
