"""Responsibility lists (责任清单) renewed for the new year, and the office's view of who has not."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import RenewalForm
from ..selectors.responsibility import (RenewalState, default_renewal_year, renewal_years,
                                        responsibility_renewal_list)
from ..tables import RenewalTable, configure
from .access import get_entry_for_change, office_only


@require_POST
@login_required
def responsibility_list_renew(request, pk):
    """续签下一年度: the list copied for the next year, then its form for the new signing."""
    entry = get_entry_for_change(request, pk)
    try:
        renewal = services.responsibility_list_renew(entry=entry, user=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
        return redirect(entry)
    if renewal.duties.exists():
        messages.success(request, _("Renewed as %(list)s: the duties were copied and the signatures cleared. Record "
                                    "each person's signing again when they sign.") % {"list": renewal})
    else:
        messages.warning(request, _("Renewed as %(list)s. The old list recorded no duties: write each person's "
                                    "duties below, and their signing when they sign.") % {"list": renewal})
    return redirect("ledger_edit", renewal.pk)


@login_required
def responsibility_renewal(request):
    """责任清单续签情况: the units that had a list last year, not renewed by the deadline first."""
    office_only(request)
    years = renewal_years(request.user)
    default_year = default_renewal_year(years, timezone.localdate())
    form = RenewalForm(request.GET or None, default_year=default_year)
    year, deadline = form.chosen()
    if not form.errors:  # the form shows the year and the deadline the page is for, defaults filled in
        form = RenewalForm({"year": year, "deadline": deadline}, default_year=default_year)
    renewal = responsibility_renewal_list(user=request.user, year=year, deadline=deadline)
    state = request.GET.get("state") if request.GET.get("state") in RenewalState.values else None
    table = configure(request, RenewalTable([row for row in renewal.rows if state in (None, row.state)]))
    return render(request, "checklists/responsibility_renewal.html", {
        "form": form, "renewal": renewal, "table": table, "state": state, "years": years,
        "counts": [(each, each.label, count) for each, count in renewal.counts.items()]})
