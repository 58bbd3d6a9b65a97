from decimal import ROUND_FLOOR, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import connections, models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import ScopedQuerySetMixin
from .campaigns import Campaign
from .standards import StandardItem
from .units import Unit
from .audit import audit_trail
from .evidence import Evidence, Verdict
from .expressions import end_of_day


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_SIGNOFF = "awaiting_signoff", _("Awaiting the unit leader")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class YearEnd(models.TextChoices):
    """What the office decided, at the year's turn, for an item left unfinished."""

    CARRIED = "carried", _("Carried over (结转)")
    NOT_DONE = "not_done", _("Closed as not done")


class ChecklistItemQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def overdue(self, today=None):
        return self.filter(ChecklistItem.overdue_q(today or timezone.localdate()))

    def relying_on_expired(self, day=None):
        """The items with a file counted for them (their own or a linked ledger entry's) expired on `day`."""
        return self.filter(ChecklistItem.relies_on_expired_q(day or timezone.localdate()))

    def as_of(self, day):
        """The items with `status_then` and `score_then`: their status and score as they stood at the
        end of `day`, read from their workflow moves and their history, so that a past period's figures
        never move. From today on, as they are. A score counts only while the item is approved.

        An item with no recorded move (loaded in bulk) stood as its review and submission times say,
        else as a draft; an approved item's score is the last one recorded by then, else the first one
        recorded (a score corrected later does not change a past period), else its score now."""
        status, score = self._standing_then(day)
        return self.annotate(status_then=status).annotate(score_then=models.Case(
            models.When(status_then=ItemStatus.APPROVED, then=score),
            default=models.Value(None), output_field=models.DecimalField(max_digits=5, decimal_places=1)))

    def _standing_then(self, day):
        """Expressions of an item's status at the end of `day` and of its score then, were it approved."""
        if day >= timezone.localdate():
            return models.F("status"), models.F("score")
        end = end_of_day(day)
        moves = ItemTransition.objects.filter(item=models.OuterRef("pk"), at__lt=end).order_by("-at", "-pk")
        records = ChecklistItem.history.model.objects.filter(id=models.OuterRef("pk"))
        scores = records.filter(history_date__lt=end).order_by("-history_date", "-history_id")
        first = records.order_by("history_date", "history_id")  # an item loaded after the day, as loaded
        unmoved = models.Case(
            models.When(status=ItemStatus.APPROVED, reviewed_at__lt=end, then=models.Value(ItemStatus.APPROVED)),
            models.When(status__in=self.model.DONE_STATUSES, submitted_at__lt=end,
                        then=models.Value(ItemStatus.SUBMITTED)),
            models.When(status__in=[ItemStatus.DRAFT, ItemStatus.IN_PROGRESS], then=models.F("status")),
            default=models.Value(ItemStatus.DRAFT))
        return (Coalesce(models.Subquery(moves.values("to_status")[:1]), unmoved),
                Coalesce(models.Subquery(scores.values("score")[:1]), models.Subquery(first.values("score")[:1]),
                         models.F("score")))

    def figures_as_of(self, day, keys, groupings):
        """The items' figures as of the end of `day`, added up in SQL for each of `groupings`.

        `keys` names expressions over the items (a unit, a dimension, a month); each grouping is a tuple
        of those names. Returns, for each grouping and each value of its keys, `(grouping's index, *the
        value of every key in `keys`' order (None for keys not in the grouping), due, approved, submitted,
        overdue, score)`. Each item's status then (`as_of`) is computed once, in a common table that every
        grouping reads.
        """
        names = list(keys)
        columns = {f"key{i}": expression for i, expression in enumerate(keys.values())}
        status, score = self._standing_then(day)  # the status once, not again in the score's condition
        inner = self.order_by().values(**columns, due_=models.F("due_date"), status_=status, score_=score)
        inner_sql, params = inner.query.sql_with_params()
        params, selects = list(params), []
        for index, grouping in enumerate(groupings):
            grouped = [f"key{names.index(name)}" for name in grouping]
            listed = ", ".join(column if column in grouped else "NULL" for column in columns)
            selects.append(
                f"SELECT {index}, {listed}, COUNT(*), SUM(CASE WHEN status_ = %s THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN status_ = %s THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN due_ < %s AND status_ NOT IN (%s, %s) THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN status_ = %s THEN score_ END) "
                f"FROM figures GROUP BY {', '.join(grouped)}")
            params += [ItemStatus.APPROVED, ItemStatus.SUBMITTED, day, *ChecklistItem.DONE_STATUSES,
                       ItemStatus.APPROVED]
        sql = f"WITH figures AS MATERIALIZED ({inner_sql}) {' UNION ALL '.join(selects)}"
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class ChecklistItem(models.Model):
    """One measure for one unit for one period (清单事项)."""

    DONE_STATUSES = (ItemStatus.SUBMITTED, ItemStatus.APPROVED)
    # Submitted or approved: the item, and everything that counts towards it (its evidence, the ledger
    # entries linked to it, their figures and their files), changes only after the office returns it.
    LOCKED_STATUSES = DONE_STATUSES
    UNIT_FIELDS = ("progress", "account")
    REVIEW_FIELDS = ("score", "review_comment")
    # target status -> statuses it may be reached from
    TRANSITIONS = {
        ItemStatus.IN_PROGRESS: {ItemStatus.DRAFT, ItemStatus.AWAITING_SIGNOFF},
        ItemStatus.AWAITING_SIGNOFF: {ItemStatus.DRAFT, ItemStatus.IN_PROGRESS, ItemStatus.RETURNED},
        ItemStatus.SUBMITTED: {ItemStatus.DRAFT, ItemStatus.IN_PROGRESS, ItemStatus.RETURNED,
                               ItemStatus.AWAITING_SIGNOFF},
        ItemStatus.APPROVED: {ItemStatus.SUBMITTED},
        ItemStatus.RETURNED: {ItemStatus.SUBMITTED, ItemStatus.APPROVED},
    }

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="items", verbose_name=_("campaign"))
    # indexed by item_unit_status_campaign, which leads with the unit
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="items", verbose_name=_("unit"),
                             db_index=False)
    standard_item = models.ForeignKey(
        StandardItem, on_delete=models.PROTECT, related_name="checklist_items", verbose_name=_("standard item")
    )
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    quantity_achieved = models.PositiveIntegerField(
        _("quantity achieved"), default=0, help_text=_("Added up from the linked ledger entries.")
    )
    account = models.TextField(_("account of what was done"), blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="carried_into",
        verbose_name=_("carried over from"), help_text=_("Last year's unfinished item this one continues (结转)."),
    )
    # Set at the year's turn on an item left unfinished; its status, and so every figure, stays as it was.
    year_end = models.CharField(_("at the year's turn"), max_length=10, choices=YearEnd.choices, blank=True)
    year_end_reason = models.TextField(_("reason"), blank=True)
    year_end_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    year_end_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("settled by"),
    )

    objects = ChecklistItemQuerySet.as_manager()
    history = audit_trail(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["due_date", "unit_id", "standard_item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "standard_item", "period"], name="item_one_per_unit_measure_period"
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="item_progress_at_most_100"),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="item_score_not_negative"),
        ]
        indexes = [
            # A reach's items by its units: read off the index alone, whatever else the table holds.
            models.Index(fields=["unit", "status", "campaign"], name="item_unit_status_campaign"),
            models.Index(fields=["campaign", "status"], name="item_campaign_status"),
            models.Index(fields=["status", "due_date", "unit", "standard_item"], name="item_status_due"),
            # The lists' orders, so that a page is read off an index instead of sorting a city's items.
            models.Index(fields=["-campaign", "due_date", "unit", "standard_item"], name="item_list_order"),
            models.Index(fields=["due_date", "unit", "standard_item"], name="item_due_order"),
            models.Index(fields=["campaign", "updated_at"], name="item_campaign_updated"),  # standings' recheck
        ]

    def __str__(self):
        return f"{self.unit} · {self.standard_item.code} · {self.period}"

    def get_absolute_url(self):
        return reverse("item_detail", args=[self.pk])

    # Overdue: past its due date and not yet submitted. The one rule, as a Q for queries and counts,
    # and for a row already read.
    @classmethod
    def overdue_q(cls, as_of, status="status"):
        """`status`: the field read, `status_then` on a queryset `as_of` the same day."""
        return models.Q(due_date__lt=as_of) & ~models.Q(**{f"{status}__in": cls.DONE_STATUSES})

    @classmethod
    def overdue_on(cls, due_date, status, as_of):
        return due_date < as_of and status not in cls.DONE_STATUSES

    @property
    def is_overdue(self):
        return self.overdue_on(self.due_date, self.status, timezone.localdate())

    @classmethod
    def relies_on_expired_q(cls, day):
        """A file counted for the item expired on `day`, within the item's task list's period (a file
        that lapsed after the year it served is no flag on that year's items). Read from the expired
        files outwards, so that it costs what they are, not what the items are."""
        expired = Evidence.all_objects.expired_on(day)
        own = cls.objects.filter(evidence__in=expired, evidence__valid_until__lt=models.F("campaign__period_end"))
        via_entries = cls.objects.filter(
            links__entry__evidence__in=expired, links__entry__archived_at__isnull=True,
            links__entry__evidence__valid_until__lt=models.F("campaign__period_end"))
        return models.Q(pk__in=own.values("pk")) | models.Q(pk__in=via_entries.values("pk"))

    def counted_files(self):
        """The files in use counted for this item: its own and those of its linked ledger entries in use."""
        return Evidence.objects.filter(
            models.Q(item=self) | models.Q(entry__links__item=self, entry__archived_at__isnull=True))

    def expired_files(self, day=None):
        day = min(day or timezone.localdate(), self.campaign.period_end)
        return [file for file in self.counted_files() if file.is_expired(day)]

    def rejected_files(self):
        return list(self.counted_files().filter(verdict=Verdict.REJECTED))

    def can_move_to(self, status):
        return not self.year_end and self.status in self.TRANSITIONS.get(status, set())

    @property
    def is_approved(self):
        return self.status == ItemStatus.APPROVED

    @property
    def is_locked(self):
        """Nothing of the unit's can change: under review or approved, or settled at the year's turn."""
        return self.status in self.LOCKED_STATUSES or bool(self.year_end)

    @property
    def is_unfinished_at_year_end(self):
        """Not approved, and not yet carried over or closed: what the office settles at the year's turn."""
        return self.status != ItemStatus.APPROVED and not self.year_end

    @property
    def is_scorable(self):
        """The office scores what the unit has submitted, not a draft."""
        return self.status in self.DONE_STATUSES

    def locked_message(self):
        if self.year_end:
            return _("%(item)s was settled at the year's turn (%(how)s): it no longer changes.") % {
                "item": self, "how": self.get_year_end_display()}
        return _("%(item)s is %(status)s: nothing that counts towards it can change until the office returns it.") % {
            "item": self, "status": self.get_status_display()}

    HISTORY_FIELDS = ("progress", "account", "quantity_achieved", "score", "review_comment", "due_date")

    def edits(self):
        """Each saved change, newest first: when, who, from where, and each shown field's old and new value."""
        records = list(self.history.select_related("history_user").order_by("history_date", "history_id"))
        edits = []
        for old, new in zip(records, records[1:]):
            changed = {c.field: c for c in new.diff_against(old, included_fields=self.HISTORY_FIELDS).changes}
            changes = []
            for name in self.HISTORY_FIELDS:
                if name in changed:
                    field = self._meta.get_field(name)
                    shown = dict(field.choices or ())
                    old_value, new_value = changed[name].old, changed[name].new
                    changes.append((field.verbose_name, shown.get(old_value, old_value), shown.get(new_value, new_value)))
            if changes:
                edits.append((new.history_date, new.history_user, new.get_history_source_display(), changes,
                              new.history_change_reason or ""))
        return edits[::-1]

    @property
    def completion_share(self):
        """How far the item has got, 0 to 1: the quantity achieved against the target where there is
        one, else the progress the unit gave."""
        target = self.standard_item.quantity_target
        if target:
            return min(Decimal(self.quantity_achieved) / target, Decimal(1))
        return Decimal(self.progress) / 100

    @property
    def suggested_score(self):
        """The score the office is offered: the item's points × its completion, down to the half point."""
        raw = self.standard_item.points * self.completion_share
        return (raw * 2).to_integral_value(rounding=ROUND_FLOOR) / 2

    def validate_score(self, score):
        points = self.standard_item.points
        if score is not None and not 0 <= score <= points:
            raise ValidationError(
                {"score": _("The score must be between 0 and %(points)s, the item's points.") % {"points": points}}
            )

    def clean(self):
        self.validate_score(self.score)


class ItemTransitionQuerySet(ScopedQuerySetMixin, models.QuerySet):
    unit_field = "item__unit"


class ItemTransition(models.Model):
    """A workflow move of a checklist item: who, when, from what to what, and why."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("item"),
                             db_index=False)  # indexed with the time, below
    from_status = models.CharField(_("from"), max_length=16, choices=ItemStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ItemStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    objects = ItemTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("item transition")
        verbose_name_plural = _("item transitions")
        ordering = ["item", "at", "pk"]
        indexes = [
            # An item's status as of a day is its last move before the day's end (`as_of`).
            models.Index(fields=["item", "at"], name="transition_item_at"),
            models.Index(fields=["at"], name="transition_at"),  # the week's moves (weekly dispatch)
            # The sign-offs unit leaders declined (待办): a few among a province's millions of moves.
            models.Index(fields=["at"], name="transition_declined", condition=models.Q(
                from_status=ItemStatus.AWAITING_SIGNOFF, to_status=ItemStatus.IN_PROGRESS)),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
