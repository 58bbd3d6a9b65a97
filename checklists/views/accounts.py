from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .. import services
from ..forms import bootstrap
from ..models import AccountFlags, Membership


@login_required
def account_page(request):
    """Who I am, where I work and in what role, when I last logged in; and my password."""
    form = PasswordChangeForm(request.user, request.POST or None)
    bootstrap(form)
    if request.method == "POST" and form.is_valid():
        services.account_change_password(user=request.user, form=form)
        update_session_auth_hash(request, form.user)
        request.session.pop(AccountFlags.SESSION_KEY, None)
        messages.success(request, _("Your password is changed."))
        target = request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        return redirect(target if safe and target else "home")
    return render(request, "checklists/account.html", {
        "form": form,
        "memberships": Membership.objects.filter(user=request.user).select_related("unit"),
        "must_change": request.session.get(AccountFlags.SESSION_KEY, False),
    }, status=400 if request.method == "POST" else 200)
