from django.contrib.admin.apps import AdminConfig


class CleanLedgerAdminConfig(AdminConfig):
    default_site = "tracker.admin_site.CleanLedgerAdminSite"
