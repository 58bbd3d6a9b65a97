"""Archiving: what users remove is kept, out of sight, until the office restores it.

An archivable model's `objects` (and so every related lookup such as `item.evidence`) holds the
records in use; `all_objects` holds the archived ones too, for the office's archive in the admin,
backups and restores.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InUse(models.Manager):
    """The records in use: archived ones are left out."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


def archive_managers(queryset_class):
    """The two managers of an archivable model: (records in use, every record)."""
    return InUse.from_queryset(queryset_class)(), models.Manager.from_queryset(queryset_class)()


class Archivable(models.Model):
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("archived by"),
    )

    class Meta:
        abstract = True

    # Archived and restored by the office over the unit only, not by the unit itself.
    archived_by_office_only = False

    @property
    def is_archived(self):
        return self.archived_at is not None

    def archive_blocker(self):
        """Why this record may not be archived now, or None."""
        return None

    def restore_blocker(self):
        """Why this record may not be restored now, or None."""
        return None
