from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .. import selectors
from ..exports import EXPORTERS, ExportScope, download
from ..forms import ExportForm
from ..models import Campaign


@login_required
def export_page(request):
    """Pick a workbook, task list, month and county; the file downloads with what the user reaches."""
    if "kind" in request.GET:
        form = ExportForm(request.GET, user=request.user, exporters=EXPORTERS)
        if form.is_valid():
            start, end = form.cleaned_data["period"]
            scope = ExportScope(user=request.user, campaign=form.cleaned_data["campaign"], start=start, end=end,
                                county=form.cleaned_data["county"])
            return download(EXPORTERS[form.cleaned_data["kind"]](scope))
        status = 400
    else:
        campaign = selectors.current_campaign(Campaign.objects.for_user(request.user))
        form = ExportForm(user=request.user, exporters=EXPORTERS, initial={
            "kind": "monthly", "campaign": campaign, "period": f"{timezone.localdate():%Y-%m}"})
        status = 200
    return render(request, "checklists/export_page.html", {"form": form}, status=status)
