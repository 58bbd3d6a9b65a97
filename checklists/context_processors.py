from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .selectors import reminders
from .models import LEDGER_MODELS, LEDGER_SLUGS, Notification, Role, reach_of


def navigation(request):
    """The left navigation, by what the user's roles may do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    reach = reach_of(user)
    entries = [(_("Home"), reverse("home"))]
    if reach.is_all or reach.office_paths:
        entries.append((_("To do"), reverse("work_queue")))
        entries.append((_("The year's turn"), reverse("year_turn")))
    entries += [(_("Checklist items"), reverse("item_list")), (_("Units and ranking"), reverse("unit_list"))]
    entries += [(model._meta.verbose_name_plural, reverse("ledger_list", args=[LEDGER_SLUGS[kind]]))
                for kind, model in LEDGER_MODELS.items()]
    if reach.is_all or reach.office_paths:
        entries.append((_("Responsibility lists renewed"), reverse("responsibility_renewal")))
    entries.append((_("Problems and rectification"), reverse("problem_list")))
    entries.append((_("Summaries in Excel"), reverse("export_page")))
    if reach.is_all or reach.subtree_paths:
        entries.append((_("Issued reports"), reverse("bulletin_list")))
    if reach.is_all or Role.OFFICE in reach.roles or reach.acting_unit_ids:
        entries.append((_("Import from Excel"), reverse("import_page")))
    if reach.is_all or Role.OFFICE in reach.roles:
        entries.append((_("Admin"), reverse("admin:index")))
    return {"nav_entries": entries, "reach": reach,
            "reminder_count": SimpleLazyObject(lambda: reminders.badge_count(user)),
            "unread_count": SimpleLazyObject(lambda: Notification.objects.for_user(user).unread().count())}
