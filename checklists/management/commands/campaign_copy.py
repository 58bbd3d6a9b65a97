from django.core.management.base import BaseCommand, CommandError

from checklists import services
from checklists.management.people import acting_user, campaign_reached
from checklists.models import StandardSet
from checklists.selectors.year_turn import campaign_copy_plan


class Command(BaseCommand):
    help = ("Next year's task list from this one, as the admin's 生成下一年度任务清单 does: tasks copied with "
            "deadlines a year on, then its checklist items. Idempotent. "
            "E.g. campaign_copy --from 1 --year 2024 [--standard-set 3] [--dry-run]")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, help="The task list's id or name.")
        parser.add_argument("--year", type=int, required=True, help="The new list's year.")
        parser.add_argument("--standard-set", help="The standard set version for the new list (id); default: the same.")
        parser.add_argument("--user", help="The office copying it (default: the first superuser).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be written; write nothing.")

    def handle(self, *args, source, year, standard_set=None, user=None, dry_run=False, **options):
        person = acting_user(user)
        campaign = campaign_reached(person, source, "--from")
        chosen_set = None
        if standard_set:
            chosen_set = StandardSet.objects.for_user(person).filter(pk=standard_set).first() if (
                standard_set.isdigit()) else None
            if chosen_set is None:
                raise CommandError(f"--standard-set: no standard set {standard_set!r} that {person} reaches.")
        plan = campaign_copy_plan(campaign=campaign, year=year, standard_set=chosen_set)
        if plan.refusal():
            raise CommandError(plan.refusal())
        for line in plan.summary_lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.SUCCESS("Dry run: nothing written."))
            return
        try:
            plan, created = services.campaign_copy(campaign=campaign, year=year, standard_set=chosen_set,
                                                   user=person)
        except services.ServiceError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(
            f"{plan.campaign} (id {plan.campaign.pk}): {len(plan.tasks)} task(s) and {created} checklist item(s) "
            "written."))
