import django_tables2 as tables
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django_tables2 import RequestConfig
from django_tables2 import utils as tables_utils
from django_tables2.columns import library
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from . import ratings
from .models import Bulletin, ChecklistItem, ItemStatus, LedgerEntry, Problem, ProblemStatus, Unit

PER_PAGE, MAX_PER_PAGE = 25, 100


SIGNATURES = {}


def _remembered(signature):
    """django-tables2 3.0.1 reads the signature of a cell's render function for every cell (`inspect`,
    a quarter of a list page's time); a function's signature does not change, so read it once."""

    def remembered(fn):
        key = (getattr(fn, "__func__", fn), hasattr(fn, "__self__"))
        if key not in SIGNATURES:
            if len(SIGNATURES) > 10_000:  # functions made afresh per table would otherwise pile up
                SIGNATURES.clear()
            SIGNATURES[key] = signature(fn)
        return SIGNATURES[key]

    return remembered


tables_utils.signature = _remembered(tables_utils.signature)


def configure(request, table):
    """Sort and paginate the table from the query string: 25 rows a page, up to 100 on request
    (`?per_page=100`), never more, so that no page renders a city."""
    asked = request.GET.get("per_page")
    try:
        per_page = min(MAX_PER_PAGE, max(1, int(asked or PER_PAGE)))
    except ValueError:
        per_page = PER_PAGE
    if asked is not None and asked != str(per_page):
        request.GET = request.GET.copy()  # RequestConfig reads the number from the query string
        request.GET["per_page"] = str(per_page)
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    return table


@library.register
class DayColumn(tables.Column):
    """A date (or a moment, in local time) as the locale writes it, 2026年11月25日, formatted in Python:
    django-tables2's own DateColumn compiles a template for every cell. Taken for every date field."""

    @classmethod
    def from_field(cls, field, **kwargs):
        if isinstance(field, models.DateField):
            return cls(**kwargs)
        return None

    def render(self, value):
        if hasattr(value, "tzinfo"):  # a datetime
            return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        return date_format(value, "SHORT_DATE_FORMAT")

    def value(self, value):
        return value.isoformat()


def list_attrs(nowrap=False):
    """A list's table: on a phone each row stacks into a card, every cell labelled by its column
    (`stack`, clean-ledger.css), so that no page scrolls sideways."""
    td = {"data-label": lambda bound_column: bound_column.header}
    if nowrap:
        td["class"] = "text-nowrap"
    return {"class": "table table-sm table-hover align-middle stack", "td": td}


class ListTable(tables.Table):
    """A list's table, its rows rendered in Python (`rows_html`, in checklists/_table.html): the template
    engine's loop over every cell cost more than the rest of a list page."""

    class Meta:
        template_name = "checklists/_table.html"

    def rows_html(self):
        cell_attrs = {}  # a column's cell attributes: the same on every row, as `list_attrs` makes them
        rows = []
        for row in self.paginated_rows:
            cells = []
            for column, value in row.items():
                if column.name not in cell_attrs:
                    cell_attrs[column.name] = column.attrs["td"].as_html()
                cells.append(format_html("<td {}>{}</td>", cell_attrs[column.name], localize(value)))
            rows.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(), mark_safe("".join(cells))))
        if not rows and self.empty_text:
            rows.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(self.columns), self.empty_text))
        return mark_safe("".join(rows))


STATUS_COLOURS = {
    ItemStatus.DRAFT: "secondary", ItemStatus.IN_PROGRESS: "info", ItemStatus.AWAITING_SIGNOFF: "dark",
    ItemStatus.SUBMITTED: "primary",
    ItemStatus.RETURNED: "warning", ItemStatus.APPROVED: "success",
}


def status_badge(item):
    return format_html('<span class="badge text-bg-{}">{}</span>', STATUS_COLOURS[item.status],
                       item.get_status_display())


class ChecklistItemTable(ListTable):
    standard_item = tables.Column(verbose_name=_("measure"), order_by=("standard_item__code",))
    unit = tables.Column(verbose_name=_("unit"), order_by=("unit__path",))
    status = tables.Column(verbose_name=_("status"))
    quantity_achieved = tables.Column(verbose_name=_("quantity"))
    overdue = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta(ListTable.Meta):
        model = ChecklistItem
        fields = ["standard_item", "unit", "period", "due_date", "status", "progress", "quantity_achieved", "score"]
        sequence = [*fields, "overdue"]
        attrs = list_attrs(nowrap=True)

    def render_standard_item(self, record):
        title = record.standard_item.title
        short = title if len(title) <= 22 else f"{title[:21]}…"
        return format_html('<a href="{}" title="{}">{} {}</a>', reverse("item_detail", args=[record.pk]), title,
                           record.standard_item.code, short)

    def render_status(self, record):
        return status_badge(record)

    def render_progress(self, value):
        return f"{value}%"

    def render_quantity_achieved(self, record):
        target = record.standard_item.quantity_target
        return f"{record.quantity_achieved}/{target}{record.standard_item.measure_word}" if target else (
            record.quantity_achieved)

    def render_overdue(self, record):
        """The item's flags: overdue, relying on an expired file, carried over from last year (结转)."""
        flags = [("danger", _("overdue"))] if record.is_overdue else []
        if getattr(record, "evidence_expired", False):
            flags.append(("danger", _("evidence expired")))
        if record.carried_from_id:
            flags.append(("info", pgettext("结转", "carried over")))
        return format_html_join(" ", '<span class="badge text-bg-{}">{}</span>', flags)


class LedgerEntryTable(ListTable):
    occurred_on = DayColumn(linkify=lambda record: record.get_absolute_url())
    unit = tables.Column(order_by=("unit__path",))
    subkind = tables.Column(verbose_name=_("kind"))

    class Meta(ListTable.Meta):
        model = LedgerEntry
        fields = ["occurred_on", "unit", "subkind", "title", "count", "participants", "materials"]
        attrs = list_attrs()


PROBLEM_COLOURS = {ProblemStatus.OPEN: "danger", ProblemStatus.REPORTED: "primary", ProblemStatus.CLOSED: "success"}


class ProblemTable(ListTable):
    description = tables.Column(linkify=lambda record: record.get_absolute_url())
    unit = tables.Column(order_by=("unit__path",))
    late = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta(ListTable.Meta):
        model = Problem
        fields = ["description", "unit", "found_on", "deadline", "status"]
        sequence = [*fields, "late"]
        attrs = list_attrs()

    def render_description(self, value):
        return value if len(value) <= 30 else f"{value[:29]}…"

    def render_status(self, record):
        return format_html('<span class="badge text-bg-{}">{}</span>', PROBLEM_COLOURS[record.status],
                           record.get_status_display())

    def render_late(self, record):
        return format_html('<span class="badge text-bg-danger">{}</span>', _("past deadline")) if (
            record.is_past_deadline) else ""


RAG_COLOURS = {"green": "success", "amber": "warning", "red": "danger"}


class UnitScoreTable(ListTable):
    rank = tables.Column(verbose_name=_("rank"))
    name = tables.Column(verbose_name=_("unit"), order_by=("path",),
                         linkify=lambda record: f"{reverse('item_list')}?unit={record.pk}")
    kind = tables.Column(verbose_name=_("unit kind"))
    due = tables.Column(verbose_name=_("due"))
    approved = tables.Column(verbose_name=_("approved"))
    completion = tables.Column(verbose_name=_("completion"))
    score = tables.Column(verbose_name=_("score"))
    overdue = tables.Column(verbose_name=_("overdue"))
    rating = tables.Column(verbose_name=_("rating"), empty_values=(), order_by=("completion",))
    draft = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta(ListTable.Meta):
        model = Unit
        fields = ["rank", "name", "kind", "due", "approved", "completion", "score", "overdue", "rating", "draft"]
        attrs = list_attrs(nowrap=True)

    def __init__(self, *args, ranks=None, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ranks = ranks  # {unit id: rank} over every unit ranked, when the rows are a filtered few
        self.campaign = campaign

    def render_draft(self, record):
        """The unit's year-end summary, drafted from its ledgers (`views.exports.summary_draft`)."""
        query = f"?campaign={self.campaign.pk}" if self.campaign else ""
        return format_html('<a href="{}{}">{}</a>', reverse("summary_draft", args=[record.pk]), query,
                           _("summary draft"))

    def render_rank(self, record):
        return self.ranks.get(record.pk, record.rank) if self.ranks is not None else record.rank

    def render_completion(self, value):
        return f"{value:.1f}%"

    def render_rating(self, record):

        rating = ratings.rating(record.completion)
        return format_html('<span class="badge text-bg-{}">{}</span>', RAG_COLOURS[rating], ratings.NAMES[rating])


class BulletinTable(ListTable):
    title = tables.Column(linkify=lambda record: record.get_download_url(), order_by=("kind", "year", "number"))
    number = tables.Column(verbose_name=_("issue number"), accessor="number_words", order_by=("year", "number"))
    issued_by = tables.Column(order_by=("issued_by__first_name", "issued_by__username"))

    class Meta(ListTable.Meta):
        model = Bulletin
        fields = ["title", "number", "issuer", "issued_by", "issued_at"]
        attrs = list_attrs()

    def render_issued_by(self, value):
        return value.first_name or value.username


RENEWAL_COLOURS = {"not_renewed": "danger", "unsigned": "warning", "renewed": "success"}


def _list_link(listed):
    return format_html('<a href="{}">{} {}</a>', reverse("ledger_detail", args=[listed["pk"]]),
                       date_format(listed["occurred_on"], "SHORT_DATE_FORMAT"), listed["title"])


class RenewalTable(ListTable):
    """责任清单续签: a unit a row (`selectors.responsibility.UnitRenewal`), in the selector's order."""

    unit_name = tables.Column(verbose_name=_("unit"))
    county = tables.Column(verbose_name=_("county or district"))
    last = tables.Column(verbose_name=_("list of the year before"))
    current = tables.Column(verbose_name=_("list of the year"), empty_values=())
    signed = tables.Column(verbose_name=_("signed"), accessor="current", empty_values=())
    state = tables.Column(verbose_name=_("state"))

    class Meta(ListTable.Meta):
        attrs = list_attrs()
        orderable = False
        empty_text = _("No unit is in this state.")

    def render_unit_name(self, record):
        shown = record.current or record.last
        return format_html('<a href="{}">{}</a>', reverse("ledger_detail", args=[shown["pk"]]), record.unit_name)

    def render_last(self, value):
        return _list_link(value)

    def render_current(self, record):
        if record.current is None:
            return "—"
        late = format_html(' <span class="badge text-bg-secondary">{}</span>', _("after the deadline")) if (
            record.late) else ""
        return format_html("{}{}", _list_link(record.current), late)

    def render_signed(self, record):
        listed = record.current
        return f"{listed['duty_count'] - listed['unsigned']}/{listed['duty_count']}" if listed else "—"

    def render_state(self, record):
        return format_html('<span class="badge text-bg-{}">{}</span>', RENEWAL_COLOURS[record.state],
                           record.state_label)
