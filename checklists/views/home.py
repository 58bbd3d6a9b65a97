from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors
from ..models import reach_of


@login_required
def home(request):
    """Offices and leaders in charge get the overview; liaisons and unit leaders what needs them."""
    reach = reach_of(request.user)
    if reach.is_all or reach.subtree_paths:
        campaign = selectors.chosen_campaign(user=request.user, asked=request.GET.get("campaign"))
        return render(request, "checklists/home_office.html",
                      selectors.office_home(user=request.user, campaign=campaign))
    return render(request, "checklists/home_unit.html", selectors.unit_home(user=request.user))
