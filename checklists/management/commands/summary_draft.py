import os

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

    @staticmethod
    def unit_named(person, text):
        """The unit `text` names (its name, its name without the county's 郊区·, or its code) among those
        `person` reaches; a name several units share is refused, naming them."""
        units = Unit.objects.for_user(person)
        found = list(units.filter(name=text)) or list(units.filter(code=text)) or list(
            units.filter(name__endswith=f"·{text}")) or [
            unit for unit in units.filter(name__contains="·") if unit.name.replace("·", "") == text]
        if not found:
            raise CommandError(f"--unit: no unit {text!r} that {person} reaches.")
        if len(found) > 1:
            raise CommandError(f"--unit: {len(found)} units are named {text!r}: "
                               + "、".join(unit.name for unit in found[:10]) + "; write the one you mean.")
        return found[0]

    def handle(self, *args, unit, year, out, half=None, user=None, campaign=None, **options):
        person = acting_user(user)
        body = self.unit_named(person, unit)
        start, end = SummaryDraft.period_bounds(f"{year}-H{half}" if half else str(year))
        campaigns = Campaign.objects.for_user(person)
        if campaign:
            chosen = campaigns.filter(pk=campaign).first()
            if chosen is None:
                raise CommandError(f"--campaign: no task list {campaign} that {person} reaches.")
        else:
            chosen = selectors.current_campaign(campaigns.filter(period_start__lte=start, period_end__gte=end), end)
            if chosen is None:
                raise CommandError(f"--year: no task list of {year} that {person} reaches; name one with --campaign.")
        refusal = SummaryDraft.period_refusal(chosen, start, end)
        if refusal:
            raise CommandError(f"--year: {refusal}")
        if not os.path.isdir(os.path.dirname(os.path.abspath(out))):
            raise CommandError(f"--out: no folder {os.path.dirname(os.path.abspath(out))!r} to write into.")
        name, _type, content = render(SummaryDraft(ExportScope(user=person, campaign=chosen, start=start, end=end,
                                                               county=body)))
        with open(out, "wb") as handle:
            handle.write(content)
        self.stdout.write(f"{out}: {name}, {len(content):,} bytes ({chosen}, {start} to {end})")
