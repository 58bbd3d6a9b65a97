"""Ledger entries of every kind, responsibility lists' duties and supervision visits."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import (
    Activity,
    ChecklistItem,
    DocumentIssued,
    Duty,
    LedgerEntry,
    Meeting,
    Problem,
    ResponsibilityList,
    SUBKINDS,
    SelfInspection,
    SupervisionVisit,
    Training,
)
from .base import (
    ArchiveAdmin, CountColumns, HistoryInReach, OFFICE, ReadOnly, ScopedAdmin, ScopedInline, UNIT_SIDE,
)
from .filters import CountyFilter, SubkindFilter


class LedgerAdminForm(forms.ModelForm):
    """Saved through `entry_save`, which keeps the items' quantities right and their locks; a change a
    lock refuses is shown on the form, with what was typed kept."""

    items = forms.ModelMultipleChoiceField(
        queryset=ChecklistItem.objects.none(), required=False, label=_("checklist items satisfied"),
        help_text=_("Submitted and approved items are not listed; links to them stay until the office returns "
                    "them."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["items"].initial = list(self.instance.items.exclude(
                status__in=ChecklistItem.LOCKED_STATUSES).values_list("pk", flat=True))

    def _post_clean(self):
        super()._post_clean()
        try:
            services.entry_figures_moved(self.instance)
        except services.ServiceError as error:
            self.add_error(None, str(error))


class LedgerAdmin(ArchiveAdmin, ScopedAdmin):
    """One admin per ledger kind, over the shared ledger table."""

    form = LedgerAdminForm

    edit_roles = UNIT_SIDE
    list_display = ["occurred_on", "title", "unit", "subkind", "count", "participants", "materials"]
    list_filter = [CountyFilter, SubkindFilter, "occurred_on", "unit__kind"]
    search_fields = ["title", "description", "unit__name", "speaker"]
    list_select_related = ["unit"]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["unit"]

    def get_fields(self, request, obj=None):
        return ["unit", "subkind", "title", "occurred_on", "place", *self.model.KIND_FIELDS, "count", "participants",
                "materials", "description", "items"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        items = form.base_fields["items"]
        items.queryset = ChecklistItem.objects.for_user(request.user).exclude(
            status__in=ChecklistItem.LOCKED_STATUSES)
        items.widget = AutocompleteSelectMultiple(LedgerEntry._meta.get_field("items"), self.admin_site)
        return form

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "subkind":
            kwargs["choices"] = [("", "---------"), *SUBKINDS[self.model.KIND].choices]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def may_edit(self, reach, obj):
        return reach.may_keep_ledger(obj.unit, obj.kind)

    def save_model(self, request, obj, form, change):
        services.entry_save(entry=obj, user=request.user, items=form.cleaned_data.get("items"))

    def save_related(self, request, form, formsets, change):
        form.cleaned_data.pop("items", None)  # linked by entry_save
        super().save_related(request, form, formsets, change)


for ledger in (Training, Meeting, Activity, DocumentIssued, SelfInspection):
    admin.site.register(ledger, LedgerAdmin)


class DutyInline(ScopedInline, admin.TabularInline):
    model = Duty
    fk_name = "responsibility_list"
    extra = 1


@admin.register(ResponsibilityList)
class ResponsibilityListAdmin(LedgerAdmin):
    inlines = [DutyInline]


class ProblemInline(ScopedInline, admin.TabularInline):
    model = Problem
    fk_name = "source"
    extra = 1
    can_delete = False  # archived from the problems' list instead
    fields = ["unit", "description", "found_on", "deadline", "status"]
    readonly_fields = ["unit", "status"]  # the unit visited: visit_record_problems assigns it


@admin.register(SupervisionVisit)
class SupervisionVisitAdmin(CountColumns, LedgerAdmin):
    edit_roles = OFFICE
    list_display = ["occurred_on", "unit", "subkind", "inspector_unit", "inspectors", "problem_count"]
    autocomplete_fields = ["unit", "inspector_unit"]
    inlines = [ProblemInline]
    list_select_related = ["unit", "inspector_unit"]
    counted = {"problem_count": Count("problems", filter=Q(problems__archived_at__isnull=True), distinct=True)}

    def save_formset(self, request, form, formset, change):
        if formset.model is not Problem:
            return super().save_formset(request, form, formset, change)
        services.visit_record_problems(visit=form.instance, user=request.user, problems=formset.save(commit=False))

    @admin.display(description=_("problems found"), ordering="problem_count")
    def problem_count(self, obj):
        return obj.problem_count

    def may_edit(self, reach, obj):
        return reach.may_keep_ledger(obj.unit, obj.kind)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly, ArchiveAdmin, HistoryInReach, ScopedAdmin):
    """Every ledger entry in one list, for searching across kinds; edited under its own kind."""

    list_display = ["occurred_on", "kind", "subkind", "title", "unit", "count", "participants", "materials"]
    list_filter = ["kind", CountyFilter, "occurred_on"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit"]


@admin.register(Duty)
class DutyAdmin(HistoryInReach, ScopedAdmin):
    edit_roles = UNIT_SIDE
    list_display = ["holder", "position", "is_head", "responsibility_list", "signed_on"]
    list_filter = ["is_head", "signed_on"]
    search_fields = ["holder", "duties", "responsibility_list__unit__name"]
    list_select_related = ["responsibility_list__unit"]
    autocomplete_fields = ["responsibility_list"]

    def may_edit(self, reach, obj):
        return reach.may_keep_ledger(obj.responsibility_list.unit, obj.responsibility_list.kind)
