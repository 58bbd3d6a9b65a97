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
    # A unit's rank is its place among every unit in reach, whichever of them the filters show.
    table = UnitScoreTable(filterset.qs, ranks=dict(scores.values_list("pk", "rank")), campaign=campaign)
    configure(request, table)
    return render(request, "checklists/unit_list.html", {
        "filter": filterset, "table": table, "campaign": campaign,
        "campaigns": Campaign.objects.for_user(request.user)})
