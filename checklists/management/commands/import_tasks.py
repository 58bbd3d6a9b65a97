from django.core.management.base import BaseCommand, CommandError

from checklists.imports import IMPORTERS, ImportRefused
from checklists.management.people import acting_user, campaign_reached


class Command(BaseCommand):
    help = ("Import a task list from Excel into a campaign, as the web's import page does: every row checked "
            "first, nothing written unless all are right. E.g. import_tasks 任务清单.xlsx --campaign 2 --dry-run")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--campaign", required=True, help="The task list's id or name.")
        parser.add_argument("--user", help="The office importing it (default: the first superuser).")
        parser.add_argument("--dry-run", action="store_true", help="Check and show what would change; write nothing.")

    def handle(self, *args, file, campaign, user=None, dry_run=False, **options):
        person = acting_user(user)
        chosen = campaign_reached(person, campaign, "--campaign")
        try:
            with open(file, "rb") as upload:
                plan = IMPORTERS["tasks"](user=person, campaign=chosen).run(upload, dry_run=dry_run)
        except (ImportRefused, OSError) as error:
            raise CommandError(str(error)) from None
        for row, text in plan.skipped:
            self.stdout.write(f"  {row:>5}  {text}")
        for row, action, text, _data in plan.lines:
            self.stdout.write(f"  {row:>5}  {action:<6}  {text}")
        if not plan.ok:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(plan.problems)} problem(s); nothing was imported.")
        done = "would be imported (dry run)" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{len(plan.lines)} task(s) {done} into {chosen}."))
