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
    """Who runs a job: "host:boot:pid:start". The boot and the process's start time tell a process
    id reused after a restart, or after the ids wrap around, from the worker that held it."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{_boot_id()}:{pid}:{_started(pid)}"


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _started(pid: int) -> str | None:
    """When the process started (clock ticks since boot); None when it has ended (a zombie, killed
    but not yet reaped, has ended too). Without /proc, "" while the process id is in use."""
    if not Path("/proc").is_dir():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return ""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


def worker_alive(worker: str) -> bool | None:
    """Whether the worker a job names still runs; None when it runs on another machine."""
    host, boot, pid, started = worker.split(":")
    if host != socket.gethostname():
        return None
    return boot == _boot_id() and _started(int(pid)) == started


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
    worker = models.CharField(max_length=200, blank=True)  # "host:boot:pid:start" of the process running it
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
        """Running, but its worker is gone: on this machine its process has ended (or the machine has
        restarted), elsewhere its heartbeat has stopped."""
        if self.status != JobStatus.RUNNING or self.worker.count(":") != 3:
            return False
        alive = worker_alive(self.worker)
        if alive is not None:
            return not alive
        return self.heartbeat_at is None or timezone.now() - self.heartbeat_at > ABANDONED_AFTER

    @property
    def is_waiting_long(self):
        """Queued for longer than a worker takes to pick a job up: no worker may be running."""
        return self.status == JobStatus.QUEUED and timezone.now() - self.created_at > ABANDONED_AFTER / 2

    @property
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
