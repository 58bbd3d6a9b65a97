from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role, reach_of


def navigation(request):
    """The left navigation, by what the user's roles may do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    reach = reach_of(user)
    entries = [(_("Home"), reverse("home")), (_("Checklist items"), reverse("item_list"))]
    if reach.is_all or Role.OFFICE in reach.roles:
        entries.append((_("Admin"), reverse("admin:index")))
    return {"nav_entries": entries, "reach": reach}
