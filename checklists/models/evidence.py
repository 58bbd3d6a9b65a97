"""Evidence files: what a unit gives to show an item done, with versions, a validity and a verdict."""

import os

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..files import stored_name
from .access import ScopedQuerySetMixin
from .archive import Archivable, archive_managers
from .audit import audit_trail
from .expressions import end_of_day
from .units import Unit


class EvidenceQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def current_on(self, day):
        """The files in use at the end of `day`: given by then and not yet replaced or removed."""
        end = end_of_day(day)
        return self.filter(models.Q(archived_at__isnull=True) | models.Q(archived_at__gte=end), uploaded_at__lt=end)

    def expired_on(self, day):
        """The files in use on `day` whose validity ended before it."""
        return self.current_on(day).filter(valid_until__lt=day)


class Verdict(models.TextChoices):
    """The reviewer's word on one file."""

    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


def evidence_path(instance, filename):
    return stored_name(f"evidence/{instance.unit_id}", filename)


class Evidence(Archivable):
    """A file attached to a checklist item, a ledger entry or a problem's rectification."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("unit"))
    # Indexed below, each over the rows that have one: most rows have only one of the three owners.
    item = models.ForeignKey(
        "checklists.ChecklistItem", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence",
        verbose_name=_("checklist item"), db_index=False,
    )
    entry = models.ForeignKey(
        "checklists.LedgerEntry", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence",
        verbose_name=_("ledger entry"), db_index=False,
    )
    problem = models.ForeignKey(
        "checklists.Problem", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence",
        verbose_name=_("problem"), db_index=False,
    )
    file = models.FileField(_("file"), upload_to=evidence_path, db_index=True)  # stored_file looks it up
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    reused_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reuses",
        verbose_name=_("re-used from"), help_text=_("The earlier upload of the same stored file, re-used here."),
    )
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="later_versions",
        verbose_name=_("replaces"), help_text=_("The earlier version of this file, kept in its history."),
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True,
                                   help_text=_("The last day this file counts; empty: it does not expire."))
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    verdict_reason = models.CharField(_("why not accepted"), max_length=300, blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("judged by"))
    verdict_at = models.DateTimeField(_("judged at"), null=True, blank=True)

    objects, all_objects = archive_managers(EvidenceQuerySet)
    history = audit_trail()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at"]
        # Partial: an index over every row would hold mostly NULLs, and SQLite's statistics then take
        # `item_id = 7` for a match of every row and scan the table (the item page at city scale).
        indexes = [
            models.Index(fields=[owner, "-uploaded_at"], name=f"evidence_{owner}",
                         condition=models.Q(**{f"{owner}__isnull": False}))
            for owner in ("item", "entry", "problem")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(item__isnull=False, entry__isnull=True, problem__isnull=True)
                    | models.Q(item__isnull=True, entry__isnull=False, problem__isnull=True)
                    | models.Q(item__isnull=True, entry__isnull=True, problem__isnull=False)
                ),
                name="evidence_has_exactly_one_owner",
            ),
        ]

    def __str__(self):
        return self.name

    PREVIEWED = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp"}  # shown in the browser; all else downloads

    @property
    def can_preview(self):
        return os.path.splitext(self.name.lower())[1] in self.PREVIEWED

    @property
    def owner(self):
        return self.item or self.entry or self.problem

    def is_expired(self, day=None):
        return self.valid_until is not None and self.valid_until < (day or timezone.localdate())

    @property
    def is_rejected(self):
        return self.verdict == Verdict.REJECTED

    @cached_property
    def earlier_versions(self):
        """The versions this file replaced, newest first (each a row of its own, kept archived)."""
        versions, seen = [], {self.pk}
        version = self.replaces
        while version is not None and version.pk not in seen:
            versions.append(version)
            seen.add(version.pk)
            version = version.replaces
        return versions

    def approved_items(self):
        """The approved items this file counts for, directly or through its ledger entry."""
        items = [self.item] if self.item is not None else list(self.entry.items.all()) if self.entry else []
        return [item for item in items if item.is_approved]

    def latest_version(self):
        """The newest version of this file: itself, unless another replaced it."""
        version = self
        while (later := Evidence.all_objects.filter(replaces=version).order_by("-pk").first()) is not None:
            version = later
        return version

    def locking_item(self):
        """The submitted or approved item this file supports, directly or through its ledger entry."""
        if self.item is not None:
            return self.item if self.item.is_locked else None
        if self.entry is not None:
            return self.entry.locked_items().first()
        return None

    def archive_blocker(self):
        item = self.locking_item()
        return item.locked_message() if item is not None else None

    def restore_blocker(self):
        if getattr(self.owner, "is_archived", False):
            return _("Restore %(owner)s first; this file belongs to it.") % {"owner": self.owner}
        latest = self.latest_version()
        if latest != self:  # a version replaced stays history; the newest is the one restored
            return _("%(later)s replaced this file, which stays in its history: restore that version instead.") % {
                "later": latest.name}
        return None
