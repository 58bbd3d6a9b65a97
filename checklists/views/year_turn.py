from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import services
from ..forms import YearTurnForm
from ..models import Campaign, reach_of
from ..selectors import asked_id, chosen_campaign
from ..selectors.year_turn import next_year_copy, unfinished_at_year_end, unfinished_by
from .access import office_only

SHOWN = 200  # unfinished items listed on the page; "all that match" acts on every one


@login_required
def year_turn(request):
    """年度结转: a list's unfinished items, counted by unit and by dimension, each carried into next
    year's list (结转) or closed as not done; the old list's figures stay as they were."""
    office_only(request)
    campaigns = Campaign.objects.for_user(request.user)
    asked = request.GET.get("campaign")
    campaign = (chosen_campaign(user=request.user, asked=asked) if asked else
                campaigns.filter(year__lt=timezone.localdate().year).order_by("-year").first()
                or chosen_campaign(user=request.user, asked=None))
    items = unfinished_at_year_end(user=request.user, campaign=campaign)
    shown = items
    unit, dimension = asked_id(request.GET.get("unit")), asked_id(request.GET.get("dimension"))
    if unit:
        shown = shown.filter(unit_id=unit)
    if dimension:
        shown = shown.filter(standard_item__dimension_id=dimension)
    into = next_year_copy(campaign)
    form = YearTurnForm(request.POST or None, campaign=campaign) if campaign else None
    if request.method == "POST" and form is not None and form.is_valid():
        chosen = shown if request.POST.get("all") else shown.filter(
            pk__in=[pk for pk in request.POST.getlist("item") if pk.isdigit()])
        try:
            if form.cleaned_data["action"] == "carry":
                if into is None:
                    raise services.ServiceError(_("Generate next year's task list first."))
                done = len(services.items_carry_over(items=chosen, into=into, due_date=form.cleaned_data["due_date"],
                                                     user=request.user))
                messages.success(request, _("Carried over into %(list)s: %(count)d items.") % {"list": into,
                                                                                          "count": done})
            else:
                done = services.items_close_not_done(items=chosen, reason=form.cleaned_data["reason"],
                                                     user=request.user)
                messages.success(request, _("Closed as not done: %(count)d items.") % {"count": done})
        except services.ServiceError as error:
            form.add_error(None, " ".join((str(error), _("None of the chosen items was changed."))))
        else:
            return redirect(request.get_full_path())
    by_unit, by_dimension = unfinished_by(items)
    return render(request, "checklists/year_turn.html", {
        "campaign": campaign, "campaigns": campaigns, "into": into, "form": form,
        "may_issue": campaign is not None and reach_of(request.user).may_issue(campaign.owner),
        "by_unit": by_unit, "by_dimension": by_dimension, "unit": unit, "dimension": dimension,
        "count": shown.count(), "shown": shown.select_related("unit", "standard_item").order_by(
            "unit__path", "standard_item__code", "period")[:SHOWN],
        "ticked": {int(pk) for pk in request.POST.getlist("item") if pk.isdigit()},
        "chosen": next((row["unit__name"] for row in by_unit if row["unit_id"] == unit), None) or next(
            (row["standard_item__dimension__name"] for row in by_dimension
             if row["standard_item__dimension_id"] == dimension), None),
    }, status=400 if request.method == "POST" else 200)
