import io
import json
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by `migrate`, or worthless elsewhere: left out of a backup.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes", "django_tasks_database"]


class Command(BaseCommand):
    help = ("Write the whole tracker, every record (times to the millisecond) and every evidence file, to one "
            ".tar.gz that `manage.py restore` reads into an empty database of either kind (SQLite or PostgreSQL).")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The archive to write, e.g. backup-2023-05-31.tar.gz.")

    def handle(self, *args, out, **options):
        started = time.monotonic()
        data = io.StringIO()
        call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, use_base_manager=True, stdout=data)
        content = data.getvalue().encode()
        records = len(json.loads(content))
        media = Path(settings.MEDIA_ROOT)
        files = [path for path in media.rglob("*") if path.is_file()] if media.exists() else []
        with tarfile.open(out, "w:gz") as archive:
            info = tarfile.TarInfo("data.json")
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media)}")
        self.stdout.write(f"{out}: {records:,} records and {len(files):,} files "
                          f"in {time.monotonic() - started:.1f} s.")
