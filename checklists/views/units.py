from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors
from ..filters import UnitScoreFilter
from ..models import Campaign
from ..tables import UnitScoreTable, configure


@login_required
def unit_list(request):
    """Units with completion, score, rank and rating in one campaign."""
    campaign = selectors.chosen_campaign(user=request.user, asked=request.GET.get("campaign"))
    scores = selectors.unit_scores(user=request.user, campaign=campaign)
    filterset = UnitScoreFilter(request.GET, queryset=scores, request=request)
    table = UnitScoreTable(filterset.qs)
    configure(request, table)
    return render(request, "checklists/unit_list.html", {
        "filter": filterset, "table": table, "campaign": campaign,
        "campaigns": Campaign.objects.for_user(request.user)})
