"""The scoped admin every model's admin builds on: rows through `for_user`, choices within reach,
roles deciding what may change, records archived not deleted, history within reach."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import Membership, Role, reach_of

User = get_user_model()


OFFICE = frozenset({Role.OFFICE})
UNIT_SIDE = frozenset({Role.OFFICE, Role.LIAISON, Role.LEADER})


def warning(text):
    """A red word in a list column: a tick or a cross would read as good or bad the wrong way round."""
    return format_html('<strong style="color: var(--error-fg, #ba2121)">{}</strong>', text)


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


class ReadOnly:
    """Shown, never added, changed or deleted here: records kept by the workflow or another admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except services.ServiceError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(request.path)

    def run_service(self, request, function, objects, argument=None, said=None, **kwargs):
        """Apply a service to each object; report what was done (`said(obj, result)`: a message for
        each, instead of the count) and each refusal."""
        done = 0
        for obj in objects:
            try:
                result = function(user=request.user, **{argument or self.service_argument: obj}, **kwargs)
            except services.ServiceError as error:
                self.message_user(request, f"{obj}: {error}", messages.ERROR)
                continue
            done += 1
            if said is not None:
                self.message_user(request, said(obj, result), messages.SUCCESS)
        if done and said is None:
            self.message_user(request, _("%(count)d record(s) done.") % {"count": done}, messages.SUCCESS)


class SavedByServices:
    """The record, and its inlines' records, are saved and deleted by the area's services
    (`save_service` and `delete_service`, given the record as `service_argument`), never by the admin;
    a refusal is shown as a message and nothing of the save is written. Goes before `ScopedAdmin`."""

    save_service = delete_service = None

    def _call(self, service, request, obj):
        service(user=request.user, **{self.service_argument: obj})

    def save_model(self, request, obj, form, change):
        self._call(self.save_service, request, obj)

    def save_formset(self, request, form, formset, change):
        records = formset.save(commit=False)
        for obj in formset.deleted_objects:
            self._call(self.delete_service, request, obj)
        for obj in records:
            self._call(self.save_service, request, obj)
        formset.save_m2m()

    def delete_model(self, request, obj):
        self._call(self.delete_service, request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            try:
                self._call(self.delete_service, request, obj)
            except services.ServiceError as error:
                self.message_user(request, f"{obj}: {error}", messages.ERROR)


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
