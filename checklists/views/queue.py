from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import BulkReviewForm
from ..models import Campaign
from ..selectors.queue import awaiting_review
from .access import office_only

SHOWN = 200  # submitted items listed on the page, oldest first


@login_required
def work_queue(request):
    """待办: items to review (select and approve or return many at once), rectifications to verify,
    sign-offs declined by unit leaders, checked imports waiting to be carried out."""
    office_only(request)
    campaign = selectors.chosen_campaign(user=request.user, asked=request.GET.get("campaign"))
    context = selectors.work_queue(user=request.user, campaign=campaign)
    context["campaigns"] = Campaign.objects.for_user(request.user)
    today = context["today"]
    context["submitted"] = [(item, selectors.waited(item.submitted_at, today))
                            for item in context["submitted"][:SHOWN]]
    return render(request, "checklists/work_queue.html", context)


@require_POST
@login_required
def bulk_review(request):
    """Approve or return the items ticked on the 待办 page: first a page listing what will change (each
    approval's score editable, the item's points × completion offered), then, confirmed, the change."""
    office_only(request)
    approving = request.POST.get("action") == "approve"
    items = list(awaiting_review(request.user).filter(
        pk__in=[pk for pk in request.POST.getlist("item") if pk.isdigit()]))
    if not items:
        messages.error(request, _("Tick the submitted items to review first."))
        return redirect("work_queue")
    confirming = "confirm" in request.POST
    form = BulkReviewForm(request.POST if confirming else None, items=items, approving=approving)
    if confirming and form.is_valid():
        try:
            done = services.items_review(
                user=request.user, approve=form.decisions() if approving else (),
                give_back=() if approving else items, comment=form.cleaned_data["comment"])
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, (_("Approved: %(count)d items.") if approving
                                       else _("Returned: %(count)d items.")) % {"count": done})
            return redirect(f"{reverse('work_queue')}?campaign={items[0].campaign_id}")
    return render(request, "checklists/bulk_review.html", {"form": form, "items": items, "approving": approving},
                  status=400 if confirming else 200)
