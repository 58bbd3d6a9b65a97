from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.utils.translation import gettext as _

from .. import services
from ..filters import LedgerEntryFilter
from ..forms import DutyFormSet, ProblemFormSet, ledger_form, units_for_entries
from ..models import LEDGER_MODELS, LEDGER_SLUGS, LedgerKind, reach_of
from ..tables import LedgerEntryTable, configure
from .access import get_entry_for_change, get_entry_for_user

KINDS_BY_SLUG = {slug: kind for kind, slug in LEDGER_SLUGS.items()}


def kind_of(slug):
    try:
        return KINDS_BY_SLUG[slug]
    except KeyError:
        raise Http404 from None


@login_required
def ledger_list(request, slug):
    kind = kind_of(slug)
    entries = LEDGER_MODELS[kind].objects.for_user(request.user).select_related("unit").order_by("-occurred_on", "-pk")
    filterset = LedgerEntryFilter(request.GET, queryset=entries, request=request, kind=kind)
    table = LedgerEntryTable(filterset.qs)
    configure(request, table)
    return render(request, "checklists/ledger_list.html", {
        "filter": filterset, "table": table, "kind": LedgerKind(kind), "slug": slug,
        "opts": LEDGER_MODELS[kind]._meta, "can_add": units_for_entries(request.user, kind).exists()})


def _save(request, form, duties, problems):
    """Save the entry through its service, then attach the uploaded files; False with errors on the form."""
    entry = form.save(commit=False)
    try:
        with transaction.atomic():  # the files refused: the entry is not saved either
            if entry.kind == LedgerKind.VISIT:
                services.visit_record(visit=entry, user=request.user,
                                      problems=problems.save(commit=False) if problems is not None else [])
            else:
                services.entry_save(entry=entry, user=request.user, items=form.cleaned_data["items"],
                                    duties=duties)
            for upload in form.cleaned_data["files"]:
                services.evidence_attach(owner=entry, upload=upload, user=request.user,
                                         valid_until=form.cleaned_data["valid_until"])
    except services.ServiceError as error:
        form.add_error(None, str(error))
        return False
    return True


def _form_page(request, kind, instance):
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ledger_form(kind)(*data, kind=kind, user=request.user, instance=instance)
    duties = DutyFormSet(data[0], instance=instance, prefix="duties") if kind == LedgerKind.RESPONSIBILITY else None
    problems = ProblemFormSet(data[0], instance=instance, prefix="problems") if kind == LedgerKind.VISIT else None
    formsets = [f for f in (duties, problems) if f is not None]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets):
        if _save(request, form, duties, problems):
            messages.success(request, _("Saved."))
            return redirect(form.instance)
    status = 400 if request.method == "POST" else 200
    return render(request, "checklists/ledger_form.html", {
        "form": form, "duties": duties, "problems": problems, "kind": LedgerKind(kind),
        "slug": LEDGER_SLUGS[kind], "entry": instance if instance.pk else None}, status=status)


@login_required
def ledger_new(request, slug):
    kind = kind_of(slug)
    if not units_for_entries(request.user, kind).exists():
        raise PermissionDenied
    return _form_page(request, kind, LEDGER_MODELS[kind](kind=kind))


@login_required
def ledger_edit(request, pk):
    entry = get_entry_for_change(request, pk)
    return _form_page(request, entry.kind, entry)


@login_required
def ledger_detail(request, pk):
    entry = get_entry_for_user(request, pk)
    reach = reach_of(request.user)
    may_edit = reach.may_keep_ledger(entry.unit, entry.kind)
    return render(request, "checklists/ledger_detail.html", {
        "entry": entry, "slug": LEDGER_SLUGS[entry.kind], "opts": LEDGER_MODELS[entry.kind]._meta,
        "items": entry.items.select_related("standard_item"), "evidence": entry.evidence.select_related("uploaded_by", "replaces", "verdict_by"),
        "editable": may_edit and not entry.locked_items().exists(),
        "duties": entry.duties.all(), "problems": entry.problems.order_by("pk"), "may_edit": may_edit,
        "renewal_year": entry.renewal_year() if may_edit else None})


@require_POST
@login_required
def ledger_remove(request, pk):
    """Archive the entry (the office can restore it) unless something still depends on it."""
    entry = get_entry_for_user(request, pk)
    try:
        services.record_archive(record=entry, user=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
        return redirect(entry)
    messages.success(request, _("Removed %(entry)s. The office can restore it from the archive.") % {"entry": entry})
    return redirect("ledger_list", LEDGER_SLUGS[entry.kind])
