"""Problems and their rectification."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import Problem, ProblemStatus, ProblemTransition, Role, reach_of
from .base import ArchiveAdmin, HistoryInReach, ScopedAdmin, UNIT_SIDE, warning
from .filters import CountyFilter, PastDeadlineFilter
from .items import ItemTransitionAdmin, TransitionInline


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
        if obj is None or reach.may_review(obj):
            return always
        return ["unit", "source", "description", "found_on", "deadline", *always]

    def may_edit(self, reach, obj):
        return reach.may_review(obj) or (reach.acts_for(obj.unit) and obj.status == ProblemStatus.OPEN)

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
        if not change or form.changed_data:
            services.problem_save(problem=obj, user=request.user)

    @admin.action(description=_("Verify and close the selected problems"))
    def close_problems(self, request, queryset):
        self.run_service(request, services.problem_close, queryset.select_related("unit"))

    @admin.action(description=_("Send the selected rectifications back"))
    def send_back_problems(self, request, queryset):
        self.run_service(request, services.problem_send_back, queryset.select_related("unit"),
                         comment=str(_("The rectification is not sufficient; please continue.")))
