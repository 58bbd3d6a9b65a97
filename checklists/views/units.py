from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django_tables2 import RequestConfig

from .. import selectors
from ..filters import UnitScoreFilter
from ..models import Campaign
from ..tables import UnitScoreTable


@login_required
def unit_list(request):
    """Units with completion, score, rank and rating in one campaign."""
    campaigns = Campaign.objects.for_user(request.user)
    campaign = campaigns.filter(pk=request.GET.get("campaign") or None).first() or selectors.current_campaign(
        campaigns)
    scores = selectors.unit_scores(user=request.user, campaign=campaign)
    filterset = UnitScoreFilter(request.GET, queryset=scores, request=request)
    table = UnitScoreTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "checklists/unit_list.html", {
        "filter": filterset, "table": table, "campaign": campaign, "campaigns": campaigns})
