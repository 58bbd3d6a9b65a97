from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# The office's models in the order of its work, not the alphabet.
WORK_ORDER = [
    "Unit", "Membership", "StandardSet", "Dimension", "StandardItem", "Campaign", "Task", "ChecklistItem",
    "ItemTransition", "Evidence", "Training", "Meeting", "ResponsibilityList", "Duty", "Activity", "DocumentIssued",
    "SelfInspection", "SupervisionVisit", "Problem", "ProblemTransition", "LedgerEntry",
]


class CleanLedgerAdminSite(admin.AdminSite):
    site_header = _("Clean Ledger")
    site_title = _("Clean Ledger")
    index_title = _("Workbench")
    enable_nav_sidebar = False  # tables need the width on 1366-pixel office screens

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {name: i for i, name in enumerate(WORK_ORDER)}
        for app in apps:
            app["models"].sort(key=lambda model: rank.get(model["object_name"], len(rank)))
        return sorted(apps, key=lambda app: app["app_label"] != "checklists")
