"""The office's admin, scoped: every changelist starts from `for_user`, every unit
choice is limited to the user's reach, and roles decide what may be changed."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .exports import EXPORTERS
from .uploads import check_evidence_file
from .models import (
    Activity,
    Campaign,
    ChecklistItem,
    Dimension,
    DocumentIssued,
    Duty,
    Evidence,
    ItemTransition,
    LedgerEntry,
    LedgerLink,
    Meeting,
    Membership,
    Problem,
    ProblemStatus,
    ProblemTransition,
    ResponsibilityList,
    Role,
    SUBKINDS,
    SelfInspection,
    StandardItem,
    StandardSet,
    SupervisionVisit,
    Task,
    Training,
    Unit,
    UnitStanding,
    reach_of,
)


User = get_user_model()
OFFICE = frozenset({Role.OFFICE})
UNIT_SIDE = frozenset({Role.OFFICE, Role.LIAISON, Role.LEADER})


def warning(text):
    """A red word in a list column: a tick or a cross would read as good or bad the wrong way round."""
    return format_html('<strong style="color: var(--error-fg, #ba2121)">{}</strong>', text)


class CountyFilter(admin.SimpleListFilter):
    """Filter by the county/district the row's unit lies in, among those the user reaches."""

    title = _("county or district")
    parameter_name = "county"
    unit_path = "unit__path"

    def lookups(self, request, model_admin):
        counties = Unit.objects.for_user(request.user).counties()
        return [(county.path, county.name) for county in counties]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.unit_path}__startswith": self.value()})
        return queryset


class UnitCountyFilter(CountyFilter):
    unit_path = "path"


class LateFilter(admin.SimpleListFilter):
    """Rows the model's queryset calls late: overdue items, problems past their deadline."""

    title = _("overdue")
    parameter_name = "late"
    late = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        late = getattr(queryset.model.objects, self.late)().values("pk")
        return queryset.filter(pk__in=late) if self.value() == "yes" else queryset.exclude(pk__in=late)


class PastDeadlineFilter(LateFilter):
    title = _("past deadline")
    late = "past_deadline"


class DimensionFilter(admin.AllValuesFieldListFilter):
    """Dimensions by name, among the rows the user reaches."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("dimension")


# Related-object filters list only objects of rows within reach, never the whole table.
Scoped = admin.RelatedOnlyFieldListFilter


class CampaignInReach(admin.RelatedFieldListFilter):
    """The task lists the user reaches, without scanning a city's items for those they use."""

    def field_choices(self, field, request, model_admin):
        return [(c.pk, str(c)) for c in Campaign.objects.for_user(request.user).order_by("-year", "name")]


class SubkindFilter(admin.SimpleListFilter):
    """The kinds of the ledger shown (meeting kinds for meetings...), not every ledger's."""

    title = _("kind")
    parameter_name = "subkind"

    def lookups(self, request, model_admin):
        return SUBKINDS[model_admin.model.KIND].choices

    def queryset(self, request, queryset):
        return queryset.filter(subkind=self.value()) if self.value() else queryset


def choices_within_reach(model, user):
    """What a form may offer and accept for a relation: never a record outside the user's reach."""
    if model is User:
        return User.objects.filter(pk__in=Membership.objects.for_user(user).values("user"))
    queryset = model._default_manager.all()
    return queryset.for_user(user) if hasattr(queryset, "for_user") else queryset


class ChoicesWithinReach:
    """Foreign keys and many-to-many fields offer, and accept, only records within reach."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", choices_within_reach(db_field.related_model, request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", choices_within_reach(db_field.related_model, request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class NotFoundOutsideReach:
    """A record outside the user's reach answers 404, the same as one that does not exist."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No such record, or not one you may see."))
        return obj


class OutOfRange(Exception):
    pass


class OutOfRangeLookups(ChangeList):
    """A lookup the list does not have, or one the database or the calendar cannot hold
    (`?occurred_on__year=99999999999`, `=0`)."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (IncorrectLookupParameters, OverflowError) as error:
            raise OutOfRange from error

    def get_queryset(self, request, exclude_parameters=None):
        try:
            return super().get_queryset(request, exclude_parameters)
        except IncorrectLookupParameters as error:
            raise OutOfRange from error

    def get_results(self, request):
        try:
            return super().get_results(request)
        except (OverflowError, ValueError) as error:  # year 0 or -1, past the calendar, on counting
            raise OutOfRange from error


class BadLookupsRefused:
    """Such a lookup answers 400 with a page saying so, not a 500 nor (Django's way) the whole list."""

    def get_changelist(self, request, **kwargs):
        return OutOfRangeLookups

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except OutOfRange:
            return TemplateResponse(request, "admin/checklists/bad_lookup.html", {
                **self.admin_site.each_context(request), "opts": self.model._meta,
                "title": _("A filter this list cannot apply")}, status=400)


class HistoryInReach(SimpleHistoryAdmin):
    """A record's history (who, when, the old and new values, from where) for whoever reaches the
    record; a deleted record's history for superusers only. Nothing is reverted from history:
    changes go through the services."""

    history_list_display = ["history_source"]

    def _reach_or_404(self, request, object_id):
        if not request.user.is_superuser and not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404(_("No such record, or not one you may see."))

    def history_view(self, request, object_id, extra_context=None):
        self._reach_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._reach_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedAdmin(BadLookupsRefused, NotFoundOutsideReach, ChoicesWithinReach, admin.ModelAdmin):
    """Rows come through `for_user`; `edit_roles` may add, change and delete what they manage."""

    edit_roles = OFFICE
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_module_permission(self, request):
        return not reach_of(request.user).is_empty

    def has_view_permission(self, request, obj=None):
        return not reach_of(request.user).is_empty

    def has_add_permission(self, request):
        reach = reach_of(request.user)
        return reach.is_all or bool(reach.roles & self.edit_roles)

    def has_change_permission(self, request, obj=None):
        reach = reach_of(request.user)
        if reach.is_all:
            return True
        if not reach.roles & self.edit_roles:
            return False
        return obj is None or self.may_edit(reach, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def may_edit(self, reach, obj):
        """Whether this user may change this record; by default, the office over its unit."""
        return reach.manages(obj.unit) or (Role.OFFICE not in self.edit_roles and reach.acts_for(obj.unit))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save the services refuse (the form could not know: someone else acted meanwhile) is
        shown as a message, and nothing of it is written."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.ServiceError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(request.path)

    def run_service(self, request, function, objects, argument=None, **kwargs):
        """Apply a service to each object; report what was done and each refusal."""
        done = 0
        for obj in objects:
            try:
                function(user=request.user, **{argument or self.service_argument: obj}, **kwargs)
                done += 1
            except services.ServiceError as error:
                self.message_user(request, f"{obj}: {error}", messages.ERROR)
        if done:
            self.message_user(request, _("%(count)d record(s) done.") % {"count": done}, messages.SUCCESS)


class ArchivedFilter(admin.SimpleListFilter):
    """Records in use by default; the archived ones on request, for the office to restore."""

    title = _("archive")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("yes", _("Archived"))]

    def queryset(self, request, queryset):
        return queryset.filter(archived_at__isnull=self.value() != "yes")

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("In use")
        return choices


class ArchiveAdmin:
    """Archivable records (evidence, ledger entries, problems) are archived instead of deleted, and the
    office restores them; an archived record is shown read-only. Goes before `ScopedAdmin`."""

    actions = ["archive_records", "restore_records"]

    def get_queryset(self, request):
        match = request.resolver_match
        manager = self.model.objects if match and match.url_name == "autocomplete" else self.model.all_objects
        ordering = self.get_ordering(request)
        queryset = manager.for_user(request.user)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_list_filter(self, request):
        return [ArchivedFilter, *super().get_list_filter(request)]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_archived) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_archive_permission(self, request):
        return super().has_change_permission(request)

    def has_restore_permission(self, request):
        reach = reach_of(request.user)
        return reach.is_all or Role.OFFICE in reach.roles

    @admin.action(description=_("Archive the selected records (the office can restore them)"),
                  permissions=["archive"])
    def archive_records(self, request, queryset):
        self.run_service(request, services.record_archive, queryset, argument="record")

    @admin.action(description=_("Restore the selected archived records"), permissions=["restore"])
    def restore_records(self, request, queryset):
        self.run_service(request, services.record_restore, queryset, argument="record")


class CountColumns:
    """List columns that count related rows, annotated on the changelist's one query."""

    counted = {}  # column -> relation counted, or the Count itself

    def get_queryset(self, request):
        counts = {column: Count(relation, distinct=True) if isinstance(relation, str) else relation
                  for column, relation in self.counted.items()}
        return super().get_queryset(request).annotate(**counts)


class ScopedInline(ChoicesWithinReach):
    """Inlines of a scoped admin: the parent's permissions, choices limited to the user's reach."""

    def parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self.parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self.parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.parent_admin().has_change_permission(request, obj)


# Units and people


class UnitForm(forms.ModelForm):
    parent = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("parent unit"), required=False)

    class Meta:
        model = Unit
        fields = ["parent", "name", "code", "kind", "is_demonstration_site", "demonstration_year"]

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        if self.instance.pk and parent and parent.path.startswith(self.instance.path):
            self.add_error("parent", _("A unit cannot be placed under itself or its own units."))
        return cleaned


@admin.register(Unit)
class UnitAdmin(HistoryInReach, ScopedAdmin):
    form = UnitForm
    list_display = ["indented_name", "kind", "code", "is_demonstration_site", "demonstration_year", "subunits"]
    list_filter = [UnitCountyFilter, "kind", "is_demonstration_site", "demonstration_year"]
    search_fields = ["name", "code"]
    ordering = ["path"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return "　" * (obj.depth - 1) + obj.name

    @admin.display(description=_("subunits"), ordering="numchild")
    def subunits(self, obj):
        return obj.numchild

    def may_edit(self, reach, obj):
        return reach.manages(obj) and (reach.is_all or obj.path not in reach.office_paths)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        parents = Unit.objects.for_user(request.user)
        if not request.user.is_superuser:
            parents = parents.filter(path__regex=r"^(" + "|".join(reach_of(request.user).office_paths) + ")")
        form.base_fields["parent"].queryset = parents
        form.base_fields["parent"].required = not request.user.is_superuser
        if obj is not None:
            form.base_fields["parent"].initial = Unit.objects.get_parent(obj)
        return form

    def save_model(self, request, obj, form, change):
        services.unit_save(unit=obj, parent=form.cleaned_data.get("parent"))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_leaf())

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "unit", "role"]


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    form = MembershipForm
    list_display = ["user", "user_full_name", "unit", "role"]
    list_filter = ["role", CountyFilter]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    @admin.display(description=_("full name"))
    def user_full_name(self, obj):
        return obj.user.get_full_name()


admin.site.unregister(User)
# The worker's own bookkeeping holds no unit's data and no scope; exports are followed on their pages.
admin.site.unregister(DBTaskResult)
# Login throttling's records name no unit; a lockout ends by itself after 15 minutes, and a superuser
# lifts one at once with `manage.py axes_reset_username USERNAME`.
for _model in (AccessAttempt, AccessFailureLog, AccessLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(User)
class UserAdmin(BadLookupsRefused, NotFoundOutsideReach, DjangoUserAdmin):
    """Users are seen within reach; accounts and their rights are a superuser's to change."""

    list_display = ["username", "first_name", "last_name", "is_active", "last_login"]
    ordering = [F("last_login").desc(nulls_last=True), "username"]  # PostgreSQL puts NULLs first

    actions = ["require_password_change"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.account_require_password_change(user=obj)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and str(request.user.pk) != str(id):
            services.account_require_password_change(user=self.get_object(request, id))
        return response

    @admin.action(description=_("Require a new password at the next login"), permissions=["change"])
    def require_password_change(self, request, queryset):
        for user in queryset:
            services.account_require_password_change(user=user)
        self.message_user(request, _("%(count)d accounts must set a new password at their next login.")
                          % {"count": len(queryset)})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=Membership.objects.for_user(request.user).values("user"))

    def has_module_permission(self, request):
        return not reach_of(request.user).is_empty

    def has_view_permission(self, request, obj=None):
        return not reach_of(request.user).is_empty

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# Standards and campaigns


class IssuedAdmin(HistoryInReach, ScopedAdmin):
    """Standards and task lists: seen when issued from above, changed by the issuing office."""

    owner_of = staticmethod(lambda obj: obj.owner)

    def may_edit(self, reach, obj):
        return reach.manages(self.owner_of(obj))


class DimensionInline(ScopedInline, admin.TabularInline):
    model = Dimension
    extra = 0


class StandardItemInline(ScopedInline, admin.TabularInline):
    model = StandardItem
    extra = 0
    fields = ["order", "code", "dimension", "title", "measure_kind", "recurrence", "quantity_target",
              "measure_word", "points"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dimension":
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Dimension.objects.filter(standard_set_id=object_id) if object_id else (
                Dimension.objects.none())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(StandardSet)
class StandardSetAdmin(CountColumns, IssuedAdmin):
    list_display = ["name", "version", "unit_kind", "owner", "item_count", "published_on"]
    list_filter = ["unit_kind", "version"]
    search_fields = ["name"]
    inlines = [DimensionInline, StandardItemInline]
    list_select_related = ["owner"]
    counted = {"item_count": "items"}

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count


@admin.register(Dimension)
class DimensionAdmin(IssuedAdmin):
    list_display = ["name", "code", "standard_set", "order"]
    list_filter = [("standard_set", Scoped)]
    search_fields = ["name", "code"]
    list_select_related = ["standard_set"]
    owner_of = staticmethod(lambda obj: obj.standard_set.owner)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "standard_set":
            kwargs["queryset"] = StandardSet.objects.filter(reach_of(request.user).q("owner"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(StandardItem)
class StandardItemAdmin(DimensionAdmin):
    list_display = ["code", "title", "dimension", "measure_kind", "recurrence", "target", "points", "standard_set"]
    list_filter = [("standard_set", Scoped), ("dimension__name", DimensionFilter), "measure_kind", "recurrence"]
    search_fields = ["code", "title", "guidance"]
    list_select_related = ["standard_set", "dimension"]

    @admin.display(description=_("quantity target"))
    def target(self, obj):
        return obj.target_display


class TaskInline(ScopedInline, admin.StackedInline):
    model = Task
    extra = 0
    autocomplete_fields = ["lead_department", "responsible_units"]
    fields = [("number", "standard_item"), "title", "measures", ("leader_in_charge", "lead_department"),
              "responsible_units", ("deadline", "deadline_text")]


def download_action(exporter):
    """An admin action that writes one workbook of the selected task list, for its current period, in the
    background, and opens the page that shows its progress and then the file."""

    def action(modeladmin, request, queryset):
        if queryset.count() != 1:
            modeladmin.message_user(request, _("Select exactly one task list."), messages.ERROR)
            return None
        campaign = queryset.get()
        day = min(timezone.localdate(), campaign.period_end)
        start, end = exporter.period_bounds(exporter.period_of(day))
        return redirect(services.export_start(user=request.user, exporter=exporter.identifier, campaign=campaign,
                                              start=start, end=end))

    action.__name__ = f"download_{exporter.identifier}"
    return admin.action(description=_("Download: %(workbook)s") % {"workbook": exporter.verbose_name})(action)


@admin.register(Campaign)
class CampaignAdmin(CountColumns, IssuedAdmin):
    list_display = ["name", "year", "standard_set", "owner", "period_start", "period_end", "item_count"]
    list_filter = ["year"]
    search_fields = ["name"]
    autocomplete_fields = ["owner", "scope_units"]
    inlines = [TaskInline]
    actions = ["generate_items", *(download_action(exporter) for exporter in EXPORTERS.values())]
    list_select_related = ["standard_set", "owner"]
    counted = {"item_count": "items"}

    @admin.display(description=_("checklist items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.action(description=_("Generate the checklist items of the selected campaigns"))
    def generate_items(self, request, queryset):
        reach = reach_of(request.user)
        for campaign in queryset:
            if not reach.manages(campaign.owner):
                self.message_user(request, _("%(campaign)s: only its issuing office may generate its items.")
                                  % {"campaign": campaign}, messages.ERROR)
                continue
            created = services.campaign_generate_items(campaign=campaign)
            self.message_user(request, _("%(campaign)s: %(count)d new checklist item(s).")
                              % {"campaign": campaign, "count": created}, messages.SUCCESS)


@admin.register(Task)
class TaskAdmin(IssuedAdmin):
    list_display = ["number", "title", "campaign", "leader_in_charge", "lead_department", "deadline_shown"]
    list_filter = [("campaign", Scoped)]
    search_fields = ["title", "measures", "leader_in_charge"]
    autocomplete_fields = ["lead_department", "responsible_units"]
    list_select_related = ["campaign", "lead_department"]
    owner_of = staticmethod(lambda obj: obj.campaign.owner)

    @admin.display(description=_("deadline"))
    def deadline_shown(self, obj):
        return obj.deadline or obj.deadline_text

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "campaign":
            kwargs["queryset"] = Campaign.objects.filter(reach_of(request.user).q("owner"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Checklist items and the review


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    score = forms.DecimalField(label=_("score"), required=False, min_value=0, max_digits=5, decimal_places=1,
                               help_text=_("Leave empty to keep each item's score."))


class ChecklistItemForm(forms.ModelForm):
    """Carries the version the user loaded, so a save over someone else's is refused."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ChecklistItem
        fields = ["progress", "account", "score", "review_comment", "due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        self.loaded_version = cleaned.get("loaded_version")
        current = ChecklistItem.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if self.loaded_version is not None and current != self.loaded_version:
            raise forms.ValidationError(
                _("Someone else saved this item since you opened it. Reload the page to see their changes; "
                  "nothing was saved.")
            )
        return cleaned


class RecordInline(admin.TabularInline):
    """A read-only record shown under its parent to whoever may see the parent."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return self.admin_site._registry[self.parent_model].has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(RecordInline):
    model = ItemTransition
    fields = ["at", "by", "from_status", "to_status", "comment"]


class EvidenceInline(RecordInline):
    model = Evidence
    fields = ["name", "file", "size", "uploaded_by", "uploaded_at"]


class LinkedEntryInline(RecordInline):
    """The ledger entries that count towards the item: where its achieved quantity comes from."""

    model = LedgerLink
    fields = ["entry"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entry")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(HistoryInReach, ScopedAdmin):
    form = ChecklistItemForm
    edit_roles = UNIT_SIDE
    list_display = ["measure", "unit", "period", "due_date", "status", "progress", "quantity_shown", "score",
                    "overdue"]
    # No date hierarchy and no filter by period: both list the distinct values of a city's items
    # on every page (1.7 s at 300,000 items); the due-date filter does the same work.
    list_filter = ["status", LateFilter, ("campaign", CampaignInReach), CountyFilter, "unit__kind",
                   ("standard_item__dimension__name", DimensionFilter), "due_date"]
    search_fields = ["unit__name", "standard_item__code", "standard_item__title", "account"]
    list_select_related = ["unit", "standard_item", "campaign"]
    ordering = ["due_date", "unit_id", "standard_item_id", "pk"]  # read off the item_due_order index
    show_full_result_count = False
    actions = ["submit_items", "approve_items", "return_items"]
    inlines = [LinkedEntryInline, EvidenceInline, TransitionInline]
    service_argument = "item"
    fields = ["campaign", "unit", "standard_item", "target", "period", "due_date", "status", "progress",
              "quantity_achieved", "account", "score", "review_comment", "submitted_at", "reviewed_by",
              "reviewed_at", "version", "loaded_version"]

    def get_readonly_fields(self, request, obj=None):
        reach = reach_of(request.user)
        editable = set()
        if obj is not None and reach.acts_for(obj.unit):
            editable |= set(ChecklistItem.UNIT_FIELDS)
        if obj is not None and reach.manages(obj.unit):
            editable |= {"review_comment", "due_date"} | ({"score"} if obj.is_scorable else set())
        return [f for f in self.fields if f not in editable and f != "loaded_version"]

    def may_edit(self, reach, obj):
        return reach.manages(obj.unit) or reach.acts_for(obj.unit)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        UnitStanding.objects.forget(campaign_id=obj.campaign_id, unit_ids=[obj.unit_id])

    def delete_queryset(self, request, queryset):
        for campaign_id in set(queryset.values_list("campaign_id", flat=True)):
            UnitStanding.objects.forget(campaign_id=campaign_id)
        super().delete_queryset(request, queryset)

    @admin.display(description=_("quantity target"))
    def target(self, obj):
        return obj.standard_item.target_display

    @admin.display(description=_("standard item"), ordering="standard_item__code")
    def measure(self, obj):
        title = obj.standard_item.title
        return f"{obj.standard_item.code} {title[:16]}…" if len(title) > 17 else f"{obj.standard_item.code} {title}"

    @admin.display(description=_("quantity achieved"))
    def quantity_shown(self, obj):
        target = obj.standard_item.quantity_target
        return f"{obj.quantity_achieved}/{target}" if target else obj.quantity_achieved

    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        return warning(_("overdue")) if obj.is_overdue else ""

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "loaded_version"}
        if changes:
            fresh = ChecklistItem.objects.select_related("unit", "standard_item").get(pk=obj.pk)
            services.item_update(item=fresh, user=request.user, expected_version=form.loaded_version, **changes)

    @admin.action(description=_("Submit the selected items for review"))
    def submit_items(self, request, queryset):
        self.run_service(request, services.item_submit, queryset.select_related("unit"))

    def _review(self, request, queryset, action, function):
        """Ask for a comment (and for approval an optional score), then apply the service."""
        approving = function is services.item_approve
        form = ReviewForm(request.POST if "apply" in request.POST else None)
        if not approving:
            form.fields.pop("score")
            form.fields["comment"].required = True
        if form.is_valid():
            self.run_service(request, function, queryset.select_related("unit", "standard_item"),
                             **form.cleaned_data)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": self.actions_descriptions[action],
            "form": form,
            "queryset": queryset.select_related("unit", "standard_item"),
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/checklists/review_action.html", context)

    actions_descriptions = {
        "approve_items": _("Approve the selected submitted items"),
        "return_items": _("Return the selected items with a comment"),
    }

    @admin.action(description=_("Approve the selected submitted items"))
    def approve_items(self, request, queryset):
        return self._review(request, queryset, "approve_items", services.item_approve)

    @admin.action(description=_("Return the selected items with a comment"))
    def return_items(self, request, queryset):
        return self._review(request, queryset, "return_items", services.item_return)


@admin.register(ItemTransition)
class ItemTransitionAdmin(ScopedAdmin):
    list_display = ["item", "from_status", "to_status", "by", "at", "comment"]
    list_filter = ["to_status", "at"]
    search_fields = ["item__unit__name", "comment"]
    list_select_related = ["item__unit", "item__standard_item", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["item", "entry", "problem", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        return check_evidence_file(upload) if isinstance(upload, UploadedFile) else upload

    def clean(self):
        cleaned = super().clean()
        owners = [cleaned.get(name) for name in ("item", "entry", "problem") if cleaned.get(name)]
        if len(owners) != 1:
            raise forms.ValidationError(_("Attach the file to exactly one item, ledger entry or problem."))
        if self.instance.pk:
            raise forms.ValidationError(_("An evidence file is not replaced: remove it and attach the new one."))
        blocker = services.evidence_attach_blocker(owners[0])
        if blocker:
            raise forms.ValidationError(blocker)
        return cleaned


@admin.register(Evidence)
class EvidenceAdmin(ArchiveAdmin, HistoryInReach, ScopedAdmin):
    form = EvidenceForm
    edit_roles = UNIT_SIDE
    list_display = ["name", "unit", "owner", "size", "uploaded_by", "uploaded_at"]
    list_filter = [CountyFilter, "uploaded_at"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit", "uploaded_by", "item__standard_item", "item__unit", "entry", "problem"]
    autocomplete_fields = ["item", "entry", "problem"]

    def may_edit(self, reach, obj):
        return reach.manages(obj.unit) or reach.acts_for(obj.unit)

    def save_model(self, request, obj, form, change):
        services.evidence_attach(
            owner=form.cleaned_data["item"] or form.cleaned_data["entry"] or form.cleaned_data["problem"],
            upload=form.cleaned_data["file"], user=request.user, evidence=obj,
        )


# Ledgers


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
        return reach.manages(obj.unit) or reach.acts_for(obj.unit)

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
    readonly_fields = ["status"]
    autocomplete_fields = ["unit"]


@admin.register(SupervisionVisit)
class SupervisionVisitAdmin(CountColumns, LedgerAdmin):
    edit_roles = OFFICE
    list_display = ["occurred_on", "unit", "subkind", "inspector_unit", "inspectors", "problem_count"]
    autocomplete_fields = ["unit", "inspector_unit"]
    inlines = [ProblemInline]
    list_select_related = ["unit", "inspector_unit"]
    counted = {"problem_count": Count("problems", filter=Q(problems__archived_at__isnull=True), distinct=True)}

    @admin.display(description=_("problems found"), ordering="problem_count")
    def problem_count(self, obj):
        return obj.problem_count

    def may_edit(self, reach, obj):
        return reach.manages(obj.unit)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ArchiveAdmin, HistoryInReach, ScopedAdmin):
    """Every ledger entry in one list, for searching across kinds; edited under its own kind."""

    list_display = ["occurred_on", "kind", "subkind", "title", "unit", "count", "participants", "materials"]
    list_filter = ["kind", CountyFilter, "occurred_on"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Duty)
class DutyAdmin(HistoryInReach, ScopedAdmin):
    edit_roles = UNIT_SIDE
    list_display = ["holder", "position", "is_head", "responsibility_list", "signed_on"]
    list_filter = ["is_head", "signed_on"]
    search_fields = ["holder", "duties", "responsibility_list__unit__name"]
    list_select_related = ["responsibility_list__unit"]
    autocomplete_fields = ["responsibility_list"]

    def may_edit(self, reach, obj):
        unit = obj.responsibility_list.unit
        return reach.manages(unit) or reach.acts_for(unit)


# Problems


class ProblemTransitionInline(TransitionInline):
    model = ProblemTransition


@admin.register(ProblemTransition)
class ProblemTransitionAdmin(ItemTransitionAdmin):
    list_display = ["problem", "from_status", "to_status", "by", "at", "comment"]
    search_fields = ["problem__unit__name", "comment"]
    list_select_related = ["problem__unit", "by"]


@admin.register(Problem)
class ProblemAdmin(ArchiveAdmin, HistoryInReach, ScopedAdmin):
    edit_roles = UNIT_SIDE
    list_display = ["description_short", "unit", "found_on", "deadline", "status", "past_deadline"]
    list_filter = ["status", PastDeadlineFilter, CountyFilter, "found_on", "deadline"]
    search_fields = ["description", "rectification", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "source"]
    inlines = [ProblemTransitionInline]
    actions = [*ArchiveAdmin.actions, "close_problems", "send_back_problems"]
    service_argument = "problem"

    def get_readonly_fields(self, request, obj=None):
        reach = reach_of(request.user)
        always = ["status", "reported_at", "closed_at", "closed_by", "version"]
        if obj is None or reach.manages(obj.unit):
            return always
        return ["unit", "source", "description", "found_on", "deadline", *always]

    def may_edit(self, reach, obj):
        return reach.manages(obj.unit) or (reach.acts_for(obj.unit) and obj.status == ProblemStatus.OPEN)

    def has_add_permission(self, request):
        reach = reach_of(request.user)
        return reach.is_all or Role.OFFICE in reach.roles

    @admin.display(description=_("problem"))
    def description_short(self, obj):
        return obj.description[:40]

    @admin.display(description=_("past deadline"))
    def past_deadline(self, obj):
        return warning(_("past deadline")) if obj.is_past_deadline else ""

    def save_model(self, request, obj, form, change):
        reach = reach_of(request.user)
        if change and "rectification" in form.changed_data and reach.acts_for(obj.unit):
            services.problem_report_rectification(
                problem=obj, user=request.user, rectification=form.cleaned_data["rectification"]
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Verify and close the selected problems"))
    def close_problems(self, request, queryset):
        self.run_service(request, services.problem_close, queryset.select_related("unit"))

    @admin.action(description=_("Send the selected rectifications back"))
    def send_back_problems(self, request, queryset):
        self.run_service(request, services.problem_send_back, queryset.select_related("unit"),
                         comment=str(_("The rectification is not sufficient; please continue.")))
