"""Units, memberships and users."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from .. import services
from ..models import Membership, Unit, UnitAlias, reach_of
from .base import (
    BadLookupsRefused,
    HistoryInReach,
    NotFoundOutsideReach,
    SavedByServices,
    ScopedAdmin,
    ScopedInline,
    User,
)
from .filters import CountyFilter, UnitCountyFilter


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


class UnitAliasInline(ScopedInline, admin.TabularInline):
    """Other names offices write for the unit in their lists; a task list import matches them."""

    model = UnitAlias
    extra = 1


@admin.register(Unit)
class UnitAdmin(HistoryInReach, ScopedAdmin):
    form = UnitForm
    inlines = [UnitAliasInline]
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
        return reach.may_change_unit(obj)

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
        services.unit_save(unit=obj, parent=form.cleaned_data.get("parent"), user=request.user)

    def delete_model(self, request, obj):
        services.unit_delete(unit=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        services.unit_aliases_save(unit=form.instance, user=request.user, added=formset.new_objects,
                                   changed=[alias for alias, _fields in formset.changed_objects],
                                   removed=formset.deleted_objects)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_leaf())

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class MembershipForm(forms.ModelForm):
    acting_user = None  # set by the admin for the request

    class Meta:
        model = Membership
        fields = ["user", "unit", "role"]

    def clean(self):
        """A role the service would refuse is an error on the form, and what was chosen stays."""
        cleaned = super().clean()
        if cleaned.get("unit") and cleaned.get("role"):
            candidate = Membership(pk=self.instance.pk, unit=cleaned["unit"], role=cleaned["role"])
            refusal = services.membership_refusal(candidate, self.acting_user)
            if refusal:
                self.add_error("role", refusal)
        return cleaned


@admin.register(Membership)
class MembershipAdmin(SavedByServices, ScopedAdmin):
    form = MembershipForm
    service_argument = "membership"
    save_service = staticmethod(services.membership_save)
    delete_service = staticmethod(services.membership_delete)
    list_display = ["user", "user_full_name", "unit", "role"]
    list_filter = ["role", CountyFilter]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    @admin.display(description=_("full name"))
    def user_full_name(self, obj):
        return obj.user.get_full_name()

    def may_edit(self, reach, obj):
        return reach.may_give_role(obj.unit, obj.role)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.acting_user = request.user
        return form


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
