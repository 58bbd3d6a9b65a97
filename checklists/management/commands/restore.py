import tarfile
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from checklists.models import Unit


class Command(BaseCommand):
    help = ("Read a `manage.py backup` archive into an empty, migrated database (SQLite or PostgreSQL) "
            "and put its evidence files under MEDIA_ROOT. All or nothing: one transaction.")

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        if Unit.objects.exists():
            raise CommandError("The database already holds data: restore into an empty one (migrate it first).")
        started = time.monotonic()
        media = Path(settings.MEDIA_ROOT).resolve()
        with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory() as scratch:
            members = tar.getmembers()
            if "data.json" not in {member.name for member in members}:
                raise CommandError(f"{archive} is not a backup of this tracker: it has no data.json.")
            tar.extractall(scratch, filter="data")
            with transaction.atomic():
                call_command("loaddata", str(Path(scratch) / "data.json"), verbosity=0)
            files = [path for path in (Path(scratch) / "media").rglob("*") if path.is_file()]
            for path in files:
                target = media / path.relative_to(Path(scratch) / "media")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
        self.stdout.write(f"Restored {archive}: {len(files):,} files, in {time.monotonic() - started:.1f} s.")
