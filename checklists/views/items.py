from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import (ACCEPT, ApproveForm, EvidenceUploadForm, EvidenceVerdictForm, EvidenceVersionForm, ItemUnitForm,
                     ReturnForm)
from ..exports import ExportScope, download
from ..exports.checklist import OfflineChecklist
from ..files import file_response
from ..models import ChecklistItem, Evidence, ItemStatus, reach_of
from ..tables import ChecklistItemTable, configure, status_badge
from .access import (
    get_evidence_for_user,
    get_item_for_review,
    get_item_for_unit_work,
    get_item_for_user,
)


@login_required
def offline_checklist(request):
    """The user's own units' items in a workbook, to fill in offline and upload on the import page."""
    campaign = selectors.chosen_campaign(user=request.user, asked=request.GET.get("campaign"))
    if campaign is None:
        raise Http404
    scope = ExportScope(user=request.user, campaign=campaign, start=campaign.period_start, end=campaign.period_end)
    return download(OfflineChecklist(scope))


@login_required
def item_list(request):
    filterset = selectors.item_list(request=request, data=request.GET)
    table = ChecklistItemTable(filterset.qs)
    configure(request, table)
    return render(request, "checklists/item_list.html", {"filter": filterset, "table": table})


def render_item(request, item, status=200, **forms):
    """The item page with the forms the user's role allows, bound ones kept as the user left them."""
    reach = reach_of(request.user)
    evidence = list(item.evidence.select_related("uploaded_by", "reused_from__item__campaign", "replaces",
                                                 "verdict_by"))
    context = {
        "item": item,
        "status_badge": status_badge(item),
        "entries": _linked_entries(item),
        "evidence": evidence,
        "files_here": {file.file.name for file in evidence},  # a file re-used here is not offered again
        "expired_files": item.expired_files(),
        "accept": ACCEPT,
        "earlier": selectors.earlier_items(item),
        "transitions": item.transitions.select_related("by"),
        "edits": item.edits(),
        "acts_for": reach.acts_for(item.unit),
        "leads": reach.leads(item.unit),
        "manages": reach.may_review(item),
        "signoff_required": item.campaign.leader_signoff_required,
        "editable": not item.is_locked,
    }
    if context["acts_for"]:
        forms.setdefault("unit_form", ItemUnitForm(instance=item, initial={"version": item.version}))
        forms.setdefault("upload_form", EvidenceUploadForm())
    if context["leads"] and item.status == ItemStatus.AWAITING_SIGNOFF:
        forms.setdefault("decline_form", ReturnForm(auto_id="decline_%s"))
    if context["manages"]:
        forms.setdefault("approve_form", ApproveForm(item=item))
        forms.setdefault("return_form", ReturnForm())
    return render(request, "checklists/item_detail.html", {**context, **forms}, status=status)


def _linked_entries(item):
    """The ledger entries counted towards the item, each with what it adds (`counted`) and its files."""
    entries = list(item.ledger_entries.select_related("unit").order_by("occurred_on", "pk"))
    files = {}
    in_use = Evidence.objects.filter(entry__in=entries).select_related("uploaded_by", "replaces", "verdict_by")
    for evidence in in_use.order_by("pk"):
        files.setdefault(evidence.entry_id, []).append(evidence)
    field = item.standard_item.ledger_count_field
    for entry in entries:
        entry.counted, entry.files = getattr(entry, field, None) or 0, files.get(entry.pk, [])
    return entries


@login_required
def item_detail(request, pk):
    return render_item(request, get_item_for_user(request, pk))


@require_POST
@login_required
def item_save(request, pk):
    """The unit's progress and account, and any files chosen beside them, in one go: a file chosen
    before saving never costs what was typed."""
    item = get_item_for_unit_work(request, pk)
    form = ItemUnitForm(request.POST, instance=item)
    upload_form = EvidenceUploadForm(request.POST, request.FILES, required=False)
    if not (form.is_valid() and upload_form.is_valid()):
        return render_item(request, _as_stored(item), 400, unit_form=form, upload_form=upload_form)
    try:
        if set(form.changed_data) - {"version"}:
            services.item_update(item=item, user=request.user, expected_version=form.cleaned_data["version"],
                                 progress=form.cleaned_data["progress"], account=form.cleaned_data["account"])
        for upload in upload_form.cleaned_data["files"]:
            services.evidence_attach(owner=item, upload=upload, user=request.user,
                                     valid_until=upload_form.cleaned_data["valid_until"])
    except services.EditConflict as conflict:
        form.add_error(None, str(conflict))
        return render_item(request, conflict.current, 409, unit_form=form, conflict=conflict.current)
    except services.ServiceError as error:
        form.add_error(None, str(error))
        stored = _as_stored(item)
        if stored.is_locked:  # its page shows no form to hold the error
            messages.error(request, str(error))
        return render_item(request, stored, 400, unit_form=form)
    files = len(upload_form.cleaned_data["files"])
    messages.success(request, _("Saved, with %(count)d file(s).") % {"count": files} if files else _("Saved."))
    return redirect(item)


def _as_stored(item):
    """The item as saved: a bound form has written what was typed onto its instance."""
    return ChecklistItem.objects.select_related("unit", "standard_item", "campaign").get(pk=item.pk)


def _move(request, item, function, success, **kwargs):
    try:
        function(item=item, user=request.user, **kwargs)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(item)


@require_POST
@login_required
def item_submit(request, pk):
    item = get_item_for_unit_work(request, pk)
    return _move(request, item, services.item_submit, _("Submitted for review."))


def _move_with_form(request, item, form, form_name, function, success):
    """A move that needs a form (a comment, a score): move, or re-render the item page with the form as
    the user left it, its errors on it and the service's refusal above (the form may no longer show)."""
    if form.is_valid():
        try:
            function(item=item, user=request.user, **form.cleaned_data)
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, success)
            return redirect(item)
    return render_item(request, _as_stored(item), 400, **{form_name: form})


@require_POST
@login_required
def item_decline_signoff(request, pk):
    item = get_item_for_unit_work(request, pk)
    return _move_with_form(request, item, ReturnForm(request.POST, auto_id="decline_%s"), "decline_form",
                           services.item_decline_signoff, _("Sent back to the liaison."))


@require_POST
@login_required
def item_approve(request, pk):
    item = get_item_for_review(request, pk)
    return _move_with_form(request, item, ApproveForm(request.POST, item=item), "approve_form",
                           services.item_approve, _("Approved."))


@require_POST
@login_required
def item_return(request, pk):
    item = get_item_for_review(request, pk)
    return _move_with_form(request, item, ReturnForm(request.POST), "return_form", services.item_return,
                           _("Returned to the unit."))


@require_POST
@login_required
def evidence_upload(request, pk):
    item = get_item_for_unit_work(request, pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_item(request, item, 400, upload_form=form)
    try:
        for upload in form.cleaned_data["files"]:
            services.evidence_attach(owner=item, upload=upload, user=request.user,
                                     valid_until=form.cleaned_data["valid_until"])
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)d file(s) uploaded.") % {"count": len(form.cleaned_data["files"])})
    return redirect(item)


@require_POST
@login_required
def evidence_reuse(request, pk, evidence_pk):
    """Re-use a file the unit gave for the same measure before (a link to it, recorded as re-used)."""
    item = get_item_for_unit_work(request, pk)
    evidence = get_evidence_for_user(request, evidence_pk)
    try:
        services.evidence_reuse(evidence=evidence, item=item, user=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(file)s re-used.") % {"file": evidence.name})
    return redirect(item)


@require_POST
@login_required
def item_copy_account(request, pk):
    """Copy the account of the same measure's earlier item (last period, last year) into this one's,
    after what is already written."""
    item = get_item_for_unit_work(request, pk)
    source = selectors.earlier_items(item).get(request.POST.get("from"))
    version = request.POST.get("version", "")
    if source is None or not source.account or not version.isdigit():
        messages.error(request, _("There is no earlier account to copy."))
        return redirect(item)
    account = "\n\n".join(text for text in (item.account.strip(), source.account) if text)
    try:
        services.item_update(item=item, user=request.user, expected_version=int(version), account=account)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The account of %(period)s copied; edit it for this period.")
                         % {"period": source.period})
    return redirect(item)


@require_POST
@login_required
def evidence_verdict(request, pk):
    """The office's word on one file, from the page of an item it counts for."""
    evidence = get_evidence_for_user(request, pk)
    form = EvidenceVerdictForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ServiceError(" ".join(f"{form[name].label}：{' '.join(errors)}"
                                                 for name, errors in form.errors.items()))
        services.evidence_judge(evidence=evidence, user=request.user, **form.cleaned_data)
    except services.ServiceError as error:
        messages.error(request, f"{evidence.name}：{error}")
    else:
        messages.success(request, _("%(file)s: verdict recorded.") % {"file": evidence.name})
    return _back_to_item(request, evidence)


@require_POST
@login_required
def evidence_new_version(request, pk):
    """A new version of a file (its old one kept in its history); an expired file renewed."""
    evidence = get_evidence_for_user(request, pk)
    form = EvidenceVersionForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise services.ServiceError(" ".join(f"{form[name].label}：{' '.join(errors)}"
                                                 for name, errors in form.errors.items()))
        services.evidence_new_version(evidence=evidence, user=request.user, upload=form.cleaned_data["file"],
                                      valid_until=form.cleaned_data["valid_until"])
    except services.ServiceError as error:
        messages.error(request, f"{evidence.name}：{error}")
    else:
        messages.success(request, _("New version of %(file)s given; the old one is kept in its history.")
                         % {"file": evidence.name})
    return _back_to_item(request, evidence)


def _back_to_item(request, evidence):
    """To the item page the form was on (a file of a linked ledger entry is judged there too)."""
    asked = request.POST.get("item", "")
    item = ChecklistItem.objects.for_user(request.user).filter(pk=asked).first() if asked.isdigit() else None
    owner = item or evidence.owner
    return redirect(owner.get_absolute_url() if hasattr(owner, "get_absolute_url") else "home")


@login_required
def evidence_download(request, pk):
    evidence = get_evidence_for_user(request, pk, versions=True)
    return file_response(evidence.file, evidence.name, preview=request.GET.get("preview") == "1")


@require_POST
@login_required
def evidence_remove(request, pk):
    evidence = get_evidence_for_user(request, pk)
    owner = evidence.owner
    try:
        services.record_archive(record=evidence, user=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Removed %(name)s.") % {"name": evidence.name})
    return redirect(owner.get_absolute_url() if hasattr(owner, "get_absolute_url") else "home")
