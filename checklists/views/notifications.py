from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..models import Notification

PER_PAGE = 50


@login_required
def notification_list(request):
    """消息: what the office did to the unit's items and problems, newest first, unread marked."""
    messages = (Notification.objects.for_user(request.user)
                .select_related("item__standard_item", "item__unit", "problem__unit", "by"))
    page = Paginator(messages, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "checklists/notifications.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Open a message: marked read, then its item or problem."""
    message = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if message.read_at is None:
        Notification.objects.filter(pk=message.pk).update(read_at=timezone.now())
    return redirect(message.target_url)


@require_POST
@login_required
def notifications_read(request):
    Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    return redirect("notification_list")
