from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import ScopedQuerySetMixin
from .archive import Archivable, archive_managers
from .expressions import end_of_day
from .ledgers import LedgerEntry
from .units import Unit
from .audit import audit_trail


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("To rectify")
    REPORTED = "reported", _("Rectification reported")
    CLOSED = "closed", _("Verified and closed")


class ProblemQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def past_deadline(self, today=None):
        return self.filter(Problem.past_deadline_q(today or timezone.localdate()))

    def as_of(self, day):
        """The problems with `status_then`: their status as it stood at the end of `day`, from their
        moves (one closed with no recorded move, loaded in bulk, was closed when `closed_at` says)."""
        if day >= timezone.localdate():
            return self.annotate(status_then=models.F("status"))
        end = end_of_day(day)
        moves = ProblemTransition.objects.filter(problem=models.OuterRef("pk"), at__lt=end).order_by("-at", "-pk")
        unmoved = models.Case(
            models.When(status=ProblemStatus.CLOSED, closed_at__lt=end, then=models.Value(ProblemStatus.CLOSED)),
            models.When(status=ProblemStatus.CLOSED, then=models.Value(ProblemStatus.OPEN)),
            default=models.F("status"))
        return self.annotate(status_then=Coalesce(models.Subquery(moves.values("to_status")[:1]), unmoved))


class Problem(Archivable):
    """A problem found on a visit or a self-inspection, and its rectification loop."""

    TRANSITIONS = {
        ProblemStatus.REPORTED: {ProblemStatus.OPEN},
        ProblemStatus.CLOSED: {ProblemStatus.REPORTED},
        ProblemStatus.OPEN: {ProblemStatus.REPORTED},
    }

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="problems", verbose_name=_("unit to rectify"))
    source = models.ForeignKey(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="problems",
        verbose_name=_("found on"),
    )
    description = models.TextField(_("problem"))
    found_on = models.DateField(_("found on date"))
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    rectification = models.TextField(_("rectification"), blank=True)
    reported_at = models.DateTimeField(_("rectification reported at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("closed by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects, all_objects = archive_managers(ProblemQuerySet)
    history = audit_trail()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-found_on", "-pk"]
        indexes = [
            # A reach's problems by its units, read off the index alone (the default manager's rows).
            models.Index(fields=["unit", "status", "deadline"], name="problem_unit_current",
                         condition=models.Q(archived_at__isnull=True)),
            models.Index(fields=["status", "deadline"], name="problem_status_deadline"),
            # The open ones, by unit: those past their deadline are counted for the menu on every page.
            models.Index(fields=["unit", "deadline"], name="problem_open_unit",
                         condition=models.Q(archived_at__isnull=True) & ~models.Q(status=ProblemStatus.CLOSED)),
            # The rectifications to verify (待办), by unit.
            models.Index(fields=["unit", "reported_at"], name="problem_reported_unit",
                         condition=models.Q(archived_at__isnull=True, status=ProblemStatus.REPORTED)),
            # The list's order, so that a page is read off an index instead of sorting a province's problems.
            models.Index(fields=["-found_on", "-id"], name="problem_list_order",
                         condition=models.Q(archived_at__isnull=True)),
        ]

    def __str__(self):
        return self.description[:40]

    def get_absolute_url(self):
        return reverse("problem_detail", args=[self.pk])

    def can_move_to(self, status):
        return self.status in self.TRANSITIONS.get(status, set())

    archived_by_office_only = True

    def restore_blocker(self):
        if self.source is not None and self.source.is_archived:
            return _("Restore the visit it was found on first: %(visit)s.") % {"visit": self.source}
        return None

    @staticmethod
    def past_deadline_q(today):
        """Open and past its deadline on `today`, as a condition (the open problems' index is over it)."""
        return models.Q(deadline__lt=today) & ~models.Q(status=ProblemStatus.CLOSED)

    @property
    def is_past_deadline(self):
        return bool(self.deadline) and self.deadline < timezone.localdate() and self.status != ProblemStatus.CLOSED


class ProblemTransitionQuerySet(ScopedQuerySetMixin, models.QuerySet):
    unit_field = "problem__unit"


class ProblemTransition(models.Model):
    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("problem")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ProblemStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ProblemStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    objects = ProblemTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem transition")
        verbose_name_plural = _("problem transitions")
        ordering = ["problem", "at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
