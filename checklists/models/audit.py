"""The audit trail: every change to the tracker's records is kept by django-simple-history with who,
when, the old and new values, and where it came from (the web app, the admin, an import, a command)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Source(models.TextChoices):
    WEB = "web", _("web app")
    ADMIN = "admin", _("admin")
    IMPORT = "import", _("Excel import")
    SYSTEM = "system", _("command or background task")


_source = ContextVar("history_source", default=None)


@contextmanager
def recorded_as(source):
    """Record every change made inside the block as coming from `source` (an import, say)."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


def current_source():
    """Where the change being recorded comes from: what `recorded_as` says, else the request's path."""
    source = _source.get()
    if source:
        return source
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None:
        return Source.SYSTEM
    return Source.ADMIN if request.path.startswith(reverse("admin:index")) else Source.WEB


class SourcedHistory(models.Model):
    """What every history record carries beside simple-history's own fields."""

    history_source = models.CharField(_("from"), max_length=8, choices=Source.choices, default=current_source)

    class Meta:
        abstract = True


def audit_trail(**options):
    """The history of a model, each record noting where the change came from."""
    return HistoricalRecords(bases=[SourcedHistory], **options)
