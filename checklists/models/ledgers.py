"""Ledgers (台账): what units did, one table with a kind and a proxy model per kind."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .access import ScopedQuerySetMixin
from .archive import Archivable, InUse, archive_managers
from .items import ChecklistItem
from .units import Unit
from .audit import audit_trail


class LedgerKind(models.TextChoices):
    TRAINING = "training", _("Training session")
    MEETING = "meeting", _("Meeting")
    RESPONSIBILITY = "responsibility", _("Responsibility list")
    VISIT = "visit", _("Supervision visit")
    ACTIVITY = "activity", _("Integrity activity")
    DOCUMENT = "document", _("Document issued")
    SELF_INSPECTION = "self_inspection", _("Self-inspection")


class TrainingKind(models.TextChoices):
    SPECIAL = "special_training", _("Special training")
    SEMINAR = "seminar", _("Party-school seminar")
    ENTERPRISE = "enterprise_training", _("Enterprise training")
    LECTURE = "training_lecture", _("Training lecture")
    TERM = "term_class", _("Term class")
    OTHER_TRAINING = "other_training", _("Other training")


class MeetingKind(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", _("Standing-committee meeting")
    SPECIAL = "special_meeting", _("Special meeting")
    DEMOCRATIC_LIFE = "democratic_life", _("Democratic life meeting")
    ORGANISATIONAL_LIFE = "organisational_life", _("Organisational life meeting")
    THREE_MEETINGS = "three_meetings_one_lesson", _("Three meetings and one lesson")
    FIRST_AGENDA = "first_agenda_item", _("First agenda item study")
    THEME_PARTY_DAY = "theme_party_day", _("Theme Party day")
    WORK_MEETING = "work_meeting", _("Work meeting")


class ResponsibilityKind(models.TextChoices):
    LIST = "responsibility_list", _("Responsibility list")
    LETTER = "responsibility_letter", _("Responsibility letter")


class VisitKind(models.TextChoices):
    ROUTINE = "routine", _("Routine supervision")
    SPECIAL_RECTIFICATION = "special_rectification", _("Special rectification")
    CROSS_INSPECTION = "cross_inspection", _("Cross inspection")
    FOLLOW_UP = "follow_up", _("Follow-up supervision")


class ActivityKind(models.TextChoices):
    LECTURE = "integrity_lecture", _("Integrity Party lecture")
    PLEDGE = "pledge", _("Integrity pledge (诺廉)")
    SHOW = "show", _("Integrity show (示廉)")
    PRACTISE = "practise", _("Integrity practice (践廉)")
    REPORT = "report", _("Integrity report (述廉)")
    APPRAISE = "appraise", _("Integrity appraisal (评廉)")
    APPLY = "apply", _("Integrity use (用廉)")
    HONOUR = "honour", _("Integrity honour (崇廉)")
    OPERA = "opera", _("Opera show")
    MICRO_VIDEO = "micro_video", _("Micro-video")
    CALLIGRAPHY = "calligraphy", _("Calligraphy and painting exhibition")
    TALK = "talk", _("Talk")
    STUDY_TRIP = "study_trip", _("Study trip")
    MATERIALS = "materials", _("Materials handed out")
    FAMILY = "family_integrity", _("Family integrity initiative")
    WARNING_EDUCATION = "warning_education", _("Warning education")
    MODEL_SELECTION = "model_selection", _("Models named")
    DEMONSTRATION_CASE = "demonstration_case", _("Demonstration case")
    REPORTER_VISIT = "reporter_visit", _("Reporters' visit")
    SERVICE = "service", _("Service to the public")
    OTHER_ACTIVITY = "other_activity", _("Other activity")


SEVEN_INTEGRITY = (
    ActivityKind.PLEDGE, ActivityKind.SHOW, ActivityKind.PRACTISE, ActivityKind.REPORT,
    ActivityKind.APPRAISE, ActivityKind.APPLY, ActivityKind.HONOUR,
)


class DocumentKind(models.TextChoices):
    WORK_PLAN = "work_plan", _("Work plan")
    KEY_POINTS = "key_points", _("Key points")
    LIST = "list", _("List")
    GUIDANCE = "guidance", _("Guiding opinions")
    INDICATORS = "indicators", _("Evaluation indicators")
    NOTICE = "notice", _("Notice")


class SelfInspectionKind(models.TextChoices):
    POSITIVE_NEGATIVE = "positive_negative_list", _("Positive and negative list")
    RISK_POINTS = "risk_points", _("Power and risk points")
    OTHER_INSPECTION = "other_inspection", _("Other self-inspection")


SUBKINDS = {
    LedgerKind.TRAINING: TrainingKind,
    LedgerKind.MEETING: MeetingKind,
    LedgerKind.RESPONSIBILITY: ResponsibilityKind,
    LedgerKind.VISIT: VisitKind,
    LedgerKind.ACTIVITY: ActivityKind,
    LedgerKind.DOCUMENT: DocumentKind,
    LedgerKind.SELF_INSPECTION: SelfInspectionKind,
}
SUBKIND_CHOICES = [(LedgerKind(kind).label, choices.choices) for kind, choices in SUBKINDS.items()]


class LedgerEntryQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


ENTRY_HISTORY = audit_trail()  # kept, to record the saves of the proxies below too


class LedgerEntry(Archivable):
    """A record of what a unit did, counted towards the checklist items it satisfies.

    `count`, `participants` and `materials` are what quantity targets add up:
    sessions or works (次/场/部), person-times (人次) and copies (份/册).
    """

    kind = models.CharField(_("ledger"), max_length=20, choices=LedgerKind.choices)
    subkind = models.CharField(_("kind"), max_length=32, choices=SUBKIND_CHOICES)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=300)
    occurred_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    COUNTED_FIELDS = ("count", "participants", "materials")  # what the linked items' quantities add up
    count = models.PositiveIntegerField(_("sessions or works"), default=1)
    participants = models.PositiveIntegerField(_("participants (person-times)"), default=0)
    materials = models.PositiveIntegerField(_("materials (copies)"), default=0)
    # training and meeting
    speaker = models.CharField(_("speaker or chair"), max_length=100, blank=True)
    audience = models.CharField(_("who attended"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    # supervision visit
    inspector_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="visits_made",
        verbose_name=_("inspecting body"),
    )
    inspectors = models.CharField(_("inspectors"), max_length=200, blank=True)
    # document issued and self-inspection
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    basis = models.CharField(_("checked against"), max_length=300, blank=True)

    items = models.ManyToManyField(
        ChecklistItem, through="LedgerLink", blank=True, related_name="ledger_entries",
        verbose_name=_("checklist items satisfied"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    renews = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals",
        verbose_name=_("renews"), help_text=_("The responsibility list of an earlier year this one renews."),
    )

    objects, all_objects = archive_managers(LedgerEntryQuerySet)
    history = ENTRY_HISTORY

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "kind", "occurred_on"], name="ledger_unit_kind_date"),
            models.Index(fields=["kind", "subkind", "occurred_on"], name="ledger_kind_subkind_date"),
        ]

    def __str__(self):
        return f"{self.day_shown} {self.title}"

    @property
    def day_shown(self):
        """The day as the locale writes it (2023年5月10日); as given while not yet a date."""
        day = self.occurred_on
        return date_format(day) if isinstance(day, datetime.date) else str(day or "")

    def get_absolute_url(self):
        return reverse("ledger_detail", args=[self.pk])

    def clean(self):
        subkinds = SUBKINDS.get(self.kind)
        if subkinds and self.subkind and self.subkind not in subkinds.values:
            raise ValidationError({"subkind": _("This kind does not belong to this ledger.")})
        if self.kind == LedgerKind.VISIT and not self.inspector_unit_id:
            raise ValidationError({"inspector_unit": _("Say which body made the visit.")})

    @property
    def archived_by_office_only(self):
        return self.kind == LedgerKind.VISIT

    def renewal_year(self):
        """The year this responsibility list would be renewed for: the next, unless it is not the unit's
        latest list in use (a later one exists: renew that one) or it is not a list in use."""
        if self.kind != LedgerKind.RESPONSIBILITY or self.is_archived:
            return None
        later = LedgerEntry.objects.filter(unit_id=self.unit_id, kind=LedgerKind.RESPONSIBILITY,
                                           occurred_on__year__gt=self.occurred_on.year)
        return None if later.exists() else self.occurred_on.year + 1

    def locked_items(self):
        """The submitted or approved items this entry counts towards: while there are any, its figures,
        its links to them and its files stay as they are."""
        return self.items.filter(status__in=ChecklistItem.LOCKED_STATUSES).select_related("unit", "standard_item")

    def archive_blocker(self):
        locked = self.locked_items().first()
        if locked is not None:
            return locked.locked_message()
        if self.problems.exists():
            return _("Problems were found on this visit; archive them first.")
        return None


class LedgerLink(models.Model):
    """A ledger entry counted towards a checklist item of the same unit."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="links",
                              verbose_name=_("ledger entry"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="links",
                             verbose_name=_("checklist item"))

    class Meta:
        verbose_name = _("linked ledger entry")
        verbose_name_plural = _("linked ledger entries")
        constraints = [models.UniqueConstraint(fields=["entry", "item"], name="ledger_link_once")]

    def __str__(self):
        return ""  # shown as a row label under the item; the entry column says it all


class OfKind:
    """A proxy's manager: the rows of its kind."""

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.model.KIND)


class LedgerProxyManager(OfKind, InUse.from_queryset(LedgerEntryQuerySet)):
    pass


class LedgerProxyAllManager(OfKind, models.Manager.from_queryset(LedgerEntryQuerySet)):
    pass


class LedgerProxy(LedgerEntry):
    """Base of the per-kind proxies: their rows carry their kind; `KIND_FIELDS` are the kind's own fields."""

    KIND = None
    KIND_FIELDS = []
    objects = LedgerProxyManager()
    all_objects = LedgerProxyAllManager()

    class Meta:
        proxy = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.kind and self.KIND:
            self.kind = self.KIND


class Training(LedgerProxy):
    KIND = LedgerKind.TRAINING
    KIND_FIELDS = ["speaker", "audience", "hours"]

    class Meta:
        proxy = True
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")


class Meeting(LedgerProxy):
    KIND = LedgerKind.MEETING
    KIND_FIELDS = ["speaker", "audience"]

    class Meta:
        proxy = True
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")


class ResponsibilityList(LedgerProxy):
    KIND = LedgerKind.RESPONSIBILITY

    class Meta:
        proxy = True
        verbose_name = _("responsibility list")
        verbose_name_plural = _("responsibility lists")

    @staticmethod
    def renewal_deadline(year: int) -> datetime.date:
        """The day a year's lists are due unless the office says otherwise: 31 March."""
        return datetime.date(year, 3, 31)


class SupervisionVisit(LedgerProxy):
    """A visit of an office to a unit; `unit` is the unit visited."""

    KIND = LedgerKind.VISIT
    KIND_FIELDS = ["inspector_unit", "inspectors"]

    class Meta:
        proxy = True
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")


class Activity(LedgerProxy):
    KIND = LedgerKind.ACTIVITY
    KIND_FIELDS = ["speaker", "audience"]

    class Meta:
        proxy = True
        verbose_name = _("integrity activity")
        verbose_name_plural = _("integrity activities")


class DocumentIssued(LedgerProxy):
    KIND = LedgerKind.DOCUMENT
    KIND_FIELDS = ["document_number"]

    class Meta:
        proxy = True
        verbose_name = _("document issued")
        verbose_name_plural = _("documents issued")


class SelfInspection(LedgerProxy):
    KIND = LedgerKind.SELF_INSPECTION
    KIND_FIELDS = ["basis"]

    class Meta:
        proxy = True
        verbose_name = _("self-inspection")
        verbose_name_plural = _("self-inspections")


LEDGER_MODELS = {model.KIND: model for model in LedgerProxy.__subclasses__()}
LEDGER_SLUGS = {model.KIND: model.KIND.replace("_", "-") for model in LEDGER_MODELS.values()}
# simple-history listens to LedgerEntry's own saves; the ledgers are saved through their proxies.
for _proxy in (LedgerProxy, *LEDGER_MODELS.values()):
    models.signals.post_save.connect(ENTRY_HISTORY.post_save, sender=_proxy, weak=False)
    models.signals.post_delete.connect(ENTRY_HISTORY.post_delete, sender=_proxy, weak=False)


class DutyQuerySet(ScopedQuerySetMixin, models.QuerySet):
    unit_field = "responsibility_list__unit"


class Duty(models.Model):
    """One person's duties on a responsibility list, and when they signed."""

    responsibility_list = models.ForeignKey(
        LedgerEntry, on_delete=models.CASCADE, related_name="duties", verbose_name=_("responsibility list"),
        limit_choices_to={"kind": LedgerKind.RESPONSIBILITY},
    )
    holder = models.CharField(_("holder"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    is_head = models.BooleanField(_("head of the unit (一把手)"), default=False)
    duties = models.TextField(_("duties"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    objects = DutyQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["responsibility_list", "-is_head", "pk"]

    def __str__(self):
        return f"{self.holder}: {self.duties[:30]}"
