"""Standard sets, their dimensions and items, task lists and their tasks."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import services, tasks
from ..exports import EXPORTERS
from ..forms import NextYearForm
from ..models import Campaign, Dimension, StandardItem, StandardSet, Task, reach_of
from ..selectors.year_turn import campaign_copy_plan
from .base import CountColumns, HistoryInReach, SavedByServices, ScopedAdmin, ScopedInline
from .filters import DimensionFilter, Scoped


class IssuedAdmin(SavedByServices, HistoryInReach, ScopedAdmin):
    """Standards and task lists: seen when issued from above, changed by the issuing office."""

    owner_of = staticmethod(lambda obj: obj.owner)
    service_argument = "record"
    save_service = staticmethod(services.standard_record_save)
    delete_service = staticmethod(services.standard_record_delete)

    def may_edit(self, reach, obj):
        return reach.may_issue(self.owner_of(obj))


class DimensionInline(ScopedInline, admin.TabularInline):
    model = Dimension
    extra = 0


class StandardItemInline(ScopedInline, admin.TabularInline):
    model = StandardItem
    extra = 0
    fields = ["order", "code", "dimension", "title", "measure_kind", "recurrence", "quantity_target",
              "measure_word", "points", "evidence_valid_months"]
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

    actions = ["revise"]

    @admin.action(description=_("Create the next version of the selected standard sets"))
    def revise(self, request, queryset):
        self.run_service(request, services.standard_set_revise, queryset, argument="standard_set", said=lambda old, new: (
            _("%(revision)s: reword, add or drop its measures; the task lists on %(old)s keep that version.")
            % {"revision": new, "old": old}))

    def get_urls(self):
        return [path("<path:object_id>/difference/", self.admin_site.admin_view(self.difference_view),
                     name="checklists_standardset_difference"), *super().get_urls()]

    def difference_view(self, request, object_id):
        """The version beside the one it revises, measure by measure (by code)."""
        revision = self.get_object(request, object_id)
        if revision is None or revision.revises is None:
            raise Http404
        return TemplateResponse(request, "admin/checklists/standardset/difference.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": revision,
            "title": _("%(new)s beside %(old)s") % {"new": revision, "old": revision.revises},
            "difference": revision.revises.difference(revision),
        })


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
    list_display = ["code", "title", "dimension", "measure_kind", "recurrence", "target", "points",
                    "evidence_valid_months", "standard_set"]
    list_filter = [("standard_set", Scoped), ("dimension__name", DimensionFilter), "measure_kind", "recurrence"]
    search_fields = ["code", "title", "guidance"]
    list_select_related = ["standard_set", "dimension"]

    @admin.display(description=_("quantity target"))
    def target(self, obj):
        return obj.target_display


class ResponsibleUnitsInReach:
    """Read only (a task list issued from above), a task's responsible units are listed as far as the
    viewer reaches: a county office sees its own units, not every unit of the city."""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fields
        shown = self.responsible_units_shown(request)
        return [shown if field == "responsible_units" else field for field in fields]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fields
        return [*fields, self.responsible_units_shown(request)]

    @staticmethod
    def responsible_units_shown(request):
        if not hasattr(request, "_responsible_units_shown"):
            reach = reach_of(request.user)

            def responsible_units(task):
                return "、".join(unit.name for unit in task.responsible_units.filter(reach.q())) or "—"

            responsible_units.short_description = Task._meta.get_field("responsible_units").verbose_name
            request._responsible_units_shown = responsible_units
        return request._responsible_units_shown


class TaskInline(ResponsibleUnitsInReach, ScopedInline, admin.StackedInline):
    model = Task
    extra = 0
    autocomplete_fields = ["lead_department", "responsible_units"]
    fields = ["section", ("number", "standard_item"), "title", "measures", ("leader_in_charge", "lead_department"),
              "responsible_units", ("deadline", "deadline_text"), "note"]


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
        return redirect(tasks.export_start(user=request.user, exporter=exporter.identifier, campaign=campaign,
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
    save_service = staticmethod(services.campaign_record_save)
    delete_service = staticmethod(services.campaign_record_delete)
    counted = {"item_count": "items"}

    @admin.display(description=_("checklist items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    def get_urls(self):
        return [path("<path:object_id>/next-year/", self.admin_site.admin_view(self.next_year_view),
                     name="checklists_campaign_next_year"), *super().get_urls()]

    def next_year_view(self, request, object_id):
        """生成下一年度任务清单: the year and the standard set version, a preview of what changes, and
        nothing written until the office confirms (`services.campaign_copy`)."""
        campaign = self.get_object(request, object_id)
        if campaign is None:
            raise Http404
        if not reach_of(request.user).may_issue(campaign.owner):
            raise PermissionDenied
        form = NextYearForm(request.POST if request.method == "POST" else NextYearForm.initial_for(campaign),
                            campaign=campaign, user=request.user)
        plan = None
        if form.is_valid():
            chosen = {"campaign": campaign, "year": form.cleaned_data["year"],
                      "standard_set": form.cleaned_data["standard_set"]}
            if request.method == "POST" and "confirm" in request.POST:
                try:
                    plan, created = services.campaign_copy(**chosen, user=request.user)
                except services.ServiceError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.message_user(request, _("%(campaign)s: %(tasks)d task(s) and %(items)d checklist item(s) "
                                                 "written.") % {"campaign": plan.campaign, "tasks": len(plan.tasks),
                                                                "items": created}, messages.SUCCESS)
                    return redirect(reverse("admin:checklists_campaign_change", args=[plan.campaign.pk]))
            plan = campaign_copy_plan(**chosen)
        return TemplateResponse(request, "admin/checklists/campaign/next_year.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": campaign,
            "title": _("Generate next year's task list"), "form": form, "plan": plan,
        })

    @admin.action(description=_("Generate the checklist items of the selected campaigns"))
    def generate_items(self, request, queryset):
        self.run_service(request, services.campaign_generate_items, queryset, argument="campaign", said=lambda
                         campaign, created: _("%(campaign)s: %(count)d new checklist item(s).")
                         % {"campaign": campaign, "count": created})


@admin.register(Task)
class TaskAdmin(ResponsibleUnitsInReach, IssuedAdmin):
    list_display = ["number", "title", "section", "campaign", "leader_in_charge", "lead_department", "deadline_shown"]
    list_filter = [("campaign", Scoped), "section"]
    search_fields = ["title", "measures", "leader_in_charge", "section", "note"]
    autocomplete_fields = ["lead_department", "responsible_units"]
    list_select_related = ["campaign", "lead_department"]
    owner_of = staticmethod(lambda obj: obj.campaign.owner)
    save_service = staticmethod(services.campaign_record_save)
    delete_service = staticmethod(services.campaign_record_delete)

    @admin.display(description=_("deadline"))
    def deadline_shown(self, obj):
        return obj.deadline or obj.deadline_text

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "campaign":
            kwargs["queryset"] = Campaign.objects.filter(reach_of(request.user).q("owner"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
