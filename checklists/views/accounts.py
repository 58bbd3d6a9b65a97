from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .. import services
from ..forms import AccountLanguageForm, bootstrap
from ..models import AccountFlags, Membership


@login_required
def account_page(request):
    """Who I am, where I work and in what role, when I last logged in; and my password."""
    if request.method == "POST" and "language" in request.POST:
        return account_language(request)
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_change_password(user=request.user, form=form)
        update_session_auth_hash(request, form.user)
        request.session.pop(AccountFlags.SESSION_KEY, None)
        messages.success(request, _("Your password is changed."))
        target = request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        return redirect(target if safe and target else "home")
    return render_account(request, form, AccountLanguageForm(initial={"language": AccountFlags.language_of(
        request.user)}))


def account_language(request):
    language_form = AccountLanguageForm(request.POST)
    if language_form.is_valid():
        services.account_set_language(user=request.user, language=language_form.cleaned_data["language"])
        messages.success(request, _("Your emails will be in the language you chose."))
        return redirect("account")
    return render_account(request, PasswordChangeForm(request.user), language_form)


def render_account(request, form, language_form):
    bootstrap(form)
    bootstrap(language_form)
    return render(request, "checklists/account.html", {
        "form": form, "language_form": language_form,
        "memberships": Membership.objects.filter(user=request.user).select_related("unit"),
        "must_change": request.session.get(AccountFlags.SESSION_KEY, False),
    }, status=400 if request.method == "POST" else 200)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account: when the user may try again."""
    cooloff = settings.AXES_COOLOFF_TIME
    return render(request, "registration/locked_out.html", {
        "until": timezone.localtime() + cooloff, "minutes": int(cooloff.total_seconds() // 60)}, status=429)
