import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)  # the workbook written
    source = models.FileField(upload_to="imports/%Y/%m/", blank=True)  # the workbook uploaded
    result = models.JSONField(default=dict, blank=True)  # an import's outcome: lines, problems
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
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
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
