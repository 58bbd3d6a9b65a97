import datetime
import os
import socket
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..files import stored_name


# A running job's worker writes a heartbeat this often; one silent for ABANDONED_AFTER has died.
HEARTBEAT_EVERY = datetime.timedelta(seconds=20)
ABANDONED_AFTER = datetime.timedelta(minutes=2)


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_alive(pid: int) -> bool:
    """Whether a process of this machine still runs (a zombie, killed but not yet reaped, does not)."""
    if Path("/proc").is_dir():
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def export_path(instance, filename):
    return stored_name("jobs", filename)


def import_path(instance, filename):
    return stored_name("imports", filename)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobKind(models.TextChoices):
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")


class JobQuerySet(models.QuerySet):
    def for_user(self, user):
        """A job is its starter's: the file holds what their reach allowed."""
        return self.filter(user=user) if user.is_authenticated else self.none()


class Job(models.Model):
    """Long work done in the background (`checklists.tasks`): a workbook written, or a large upload
    checked and imported. What was asked, how far it has got, and the file or the outcome."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=10, choices=JobKind.choices, default=JobKind.EXPORT)
    identifier = models.CharField(_("workbook"), max_length=20)  # the exporter's or the importer's
    parameters = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    file = models.FileField(upload_to=export_path, blank=True)  # the workbook written
    source = models.FileField(upload_to=import_path, blank=True)  # the workbook uploaded
    result = models.JSONField(default=dict, blank=True)  # an import's outcome: lines, problems
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    worker = models.CharField(max_length=200, blank=True)  # "host:pid" of the process running it
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background export")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.identifier} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("job_detail", args=[self.pk])

    @property
    def percent(self):
        """Share written, 0-100; None while the end is unknown."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return min(99, int(100 * self.done / self.total))

    @property
    def is_abandoned(self):
        """Running, but its worker is gone: on this machine its process has ended, elsewhere its
        heartbeat has stopped."""
        if self.status != JobStatus.RUNNING or not self.worker:
            return False
        host, _, pid = self.worker.rpartition(":")
        if host == socket.gethostname():
            return not process_alive(int(pid))
        return self.heartbeat_at is None or timezone.now() - self.heartbeat_at > ABANDONED_AFTER

    @property
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
