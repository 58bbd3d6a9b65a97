from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..models import Role, reach_of
from ..selectors.reminders import SHOWN, reminders_for


@login_required
def reminder_page(request):
    """What the daily reminder email says, for the user, now."""
    today = timezone.localdate()
    return render(request, "checklists/reminders.html",
                  {"r": reminders_for(request.user, today), "today": today, "shown": SHOWN,
                   "is_office": Role.OFFICE in reach_of(request.user).roles})
