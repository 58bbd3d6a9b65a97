import calendar
import datetime
from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .access import reach_of
from .audit import audit_trail
from .units import Unit, UnitKind


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


class MeasureKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    DOCUMENT = "document", _("Document issued")
    RESPONSIBILITY = "responsibility", _("Responsibility list")
    VISIT = "visit", _("Supervision visit")
    ACTIVITY = "activity", _("Integrity activity")
    SELF_INSPECTION = "self_inspection", _("Self-inspection")
    OTHER = "other", _("Other")


class MeasureWord(models.TextChoices):
    """The measure word of a quantity target, and which ledger count it adds up."""

    TIMES = "次", _("times (次)")
    SESSIONS = "场", _("sessions (场)")
    TERMS = "期", _("courses (期)")
    PERSON_TIMES = "人次", _("person-times (人次)")
    PERSONS = "人", _("persons (人)")
    COPIES = "份", _("copies (份)")
    VOLUMES = "册", _("volumes (册)")
    WORKS = "部", _("works (部)")
    PIECES = "个", _("pieces (个)")
    ITEMS = "项", _("items (项)")
    ARTICLES = "篇", _("articles (篇)")
    HOUSEHOLDS = "户", _("households (户)")

    def evidence_valid_until(self, given_on):
        """The last day a file given on `given_on` counts, by `evidence_valid_months`; None: for ever."""
        if not self.evidence_valid_months:
            return None
        return months_later(given_on, self.evidence_valid_months) - datetime.timedelta(days=1)

    @property
    def ledger_count_field(self):
        if self in (MeasureWord.PERSON_TIMES, MeasureWord.PERSONS):
            return "participants"
        if self in (MeasureWord.COPIES, MeasureWord.VOLUMES):
            return "materials"
        return "count"


class IssuedQuerySet(models.QuerySet):
    """Standards and task lists: seen within reach and when issued from above."""

    owner_field = "owner"

    def for_user(self, user):
        return self.filter(reach_of(user).q_issued(self.owner_field))


class StandardSet(models.Model):
    """A versioned template of measures for one kind of unit (创建标准 / 评价指标体系)."""

    owner = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="standard_sets", verbose_name=_("issued by")
    )
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1, validators=[MinValueValidator(1)])
    unit_kind = models.CharField(
        _("for unit kind"), max_length=16, choices=UnitKind.choices, blank=True,
        help_text=_("Leave empty for a standard set that applies to every kind of unit."),
    )
    description = models.TextField(_("description"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    revises = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions",
        verbose_name=_("revises"), help_text=_("The version this one revises: its measures are compared by code."),
    )

    objects = IssuedQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = _("standard set")
        verbose_name_plural = _("standard sets")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name", "version"], name="standard_set_unique_version")
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    def difference(self, other):
        """What `other` (another version) changes in this set's measures, compared by code."""
        mine = {item.code: item for item in self.items.select_related("dimension")}
        theirs = {item.code: item for item in other.items.select_related("dimension")}
        kept, reworded = [], []
        for code in mine.keys() & theirs.keys():
            changes = [name for name in StandardItem.COMPARED_FIELDS
                       if _compared(mine[code], name) != _compared(theirs[code], name)]
            (reworded if changes else kept).append((mine[code], theirs[code], changes))
        return StandardSetDifference(
            kept=sorted(kept, key=_by_order), reworded=sorted(reworded, key=_by_order),
            added=sorted((theirs[code] for code in theirs.keys() - mine.keys()), key=lambda item: (item.order, item.code)),
            dropped=sorted((mine[code] for code in mine.keys() - theirs.keys()), key=lambda item: (item.order, item.code)),
        )


@dataclass
class StandardSetDifference:
    """Measures by code: (old, new, the fields that changed) kept or reworded; new ones added; old dropped."""

    kept: list
    reworded: list
    added: list
    dropped: list

    @property
    def is_empty(self):
        return not (self.reworded or self.added or self.dropped)


def _compared(item, name):
    return item.dimension.code if name == "dimension" else getattr(item, name)


def _by_order(pair):
    return (pair[1].order, pair[1].code)


class DimensionQuerySet(IssuedQuerySet):
    owner_field = "standard_set__owner"


class Dimension(models.Model):
    """A group of measures: political, ideological, organisational, institutional, work style, cultural."""

    standard_set = models.ForeignKey(
        StandardSet, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("standard set")
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    slogan = models.CharField(
        _("slogan"), max_length=100, blank=True,
        help_text=_("What the dimension builds, as a summary heads it: 构建清廉生态 in 聚焦政治建设，构建清廉生态."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = DimensionQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["standard_set", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["standard_set", "code"], name="dimension_unique_code")]

    def __str__(self):
        return self.name

    @property
    def heading(self):
        """The summary's heading for it: 聚焦政治建设，构建清廉生态; the name alone without a slogan."""
        return f"聚焦{self.name}，{self.slogan}" if self.slogan else self.name


def months_later(day, months):
    """The same day `months` on; the month's last day where it has no such day (31 January + 1: 28 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class StandardItem(models.Model):
    """One measure of a standard set (标准条目 / 指标)."""

    standard_set = models.ForeignKey(
        StandardSet, on_delete=models.CASCADE, related_name="items", verbose_name=_("standard set")
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="items", verbose_name=_("dimension")
    )
    code = models.CharField(_("code"), max_length=16)
    title = models.CharField(_("title"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True)
    measure_kind = models.CharField(_("kind of measure"), max_length=20, choices=MeasureKind.choices)
    recurrence = models.CharField(_("recurrence"), max_length=16, choices=Recurrence.choices)
    quantity_target = models.PositiveIntegerField(_("quantity target"), null=True, blank=True)
    measure_word = models.CharField(_("measure word"), max_length=4, choices=MeasureWord.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, default=2)
    evidence_expected = models.TextField(_("evidence expected"), blank=True)
    evidence_valid_months = models.PositiveSmallIntegerField(
        _("evidence valid for (months)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How long a file given for this measure counts, e.g. 12 for a responsibility list signed "
                    "for a year. Empty: it never expires."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # What a revision compares, code by code (the dimension by its code).
    COMPARED_FIELDS = ["title", "dimension", "guidance", "measure_kind", "recurrence", "quantity_target",
                       "measure_word", "points", "evidence_expected", "evidence_valid_months"]

    objects = DimensionQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = _("standard item")
        verbose_name_plural = _("standard items")
        ordering = ["standard_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["standard_set", "code"], name="standard_item_unique_code"),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="standard_item_points_not_negative"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def target_display(self):
        if not self.quantity_target:
            return ""
        return f"≥{self.quantity_target}{self.measure_word}"

    def evidence_valid_until(self, given_on):
        """The last day a file given on `given_on` counts, by `evidence_valid_months`; None: for ever."""
        if not self.evidence_valid_months:
            return None
        return months_later(given_on, self.evidence_valid_months) - datetime.timedelta(days=1)

    @property
    def ledger_count_field(self):
        """Which ledger count adds up towards this measure's target."""
        return MeasureWord(self.measure_word).ledger_count_field if self.measure_word else "count"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.dimension_id and self.standard_set_id and self.dimension.standard_set_id != self.standard_set_id:
            raise ValidationError({"dimension": _("The dimension belongs to another standard set.")})
        if self.quantity_target and not self.measure_word:
            raise ValidationError({"measure_word": _("A quantity target needs its measure word.")})
