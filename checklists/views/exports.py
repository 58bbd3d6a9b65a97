from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import selectors, services, tasks
from ..exports import EXPORTERS
from ..files import file_response
from ..forms import ExportForm
from ..imports import IMPORTERS
from ..models import Bulletin, Campaign, Job, JobKind, JobStatus, Unit, reach_of
from ..tables import BulletinTable, configure


@login_required
def export_page(request):
    """Pick a workbook, task list, period and county; it is written in the background with what the
    user reaches, and the job's page shows the progress and then the file."""
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user, exporters=EXPORTERS)
        if form.is_valid():
            start, end = form.cleaned_data["period"]
            try:
                job = tasks.export_start(user=request.user, exporter=form.cleaned_data["kind"],
                                         campaign=form.cleaned_data["campaign"], start=start, end=end,
                                         county=form.cleaned_data["county"],
                                         issue=form.cleaned_data.get("issue", False))
            except services.ServiceError as error:
                form.add_error("issue", str(error))
            else:
                return redirect(job)
        status = 400
    else:
        campaign = selectors.current_campaign(Campaign.objects.for_user(request.user))
        form = ExportForm(user=request.user, exporters=EXPORTERS, initial={
            "kind": "monthly", "campaign": campaign, "period": f"{timezone.localdate():%Y-%m}"})
        status = 200
    jobs = [tasks.job_fail_if_abandoned(job=job) for job in Job.objects.for_user(request.user)[:10]]
    for job in jobs:
        job.workbook = workbook_name(job)
    return render(request, "checklists/export_page.html", {"form": form, "jobs": jobs}, status=status)


@login_required
def summary_draft(request, unit_pk):
    """年度总结（草稿） of one unit the user reaches (the city, a county, a department): the task list and
    the year or half-year chosen, then written in the background like the workbooks."""
    unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk)
    exporters = {"summary": EXPORTERS["summary"]}
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user, exporters=exporters)
        if form.is_valid():
            start, end = form.cleaned_data["period"]
            return redirect(tasks.export_start(user=request.user, exporter="summary", start=start, end=end,
                                               campaign=form.cleaned_data["campaign"], county=unit))
    else:
        campaign = selectors.chosen_campaign(user=request.user, asked=request.GET.get("campaign"))
        form = ExportForm(user=request.user, exporters=exporters, initial={
            "kind": "summary", "campaign": campaign, "period": str(campaign.year) if campaign else ""})
    return render(request, "checklists/summary_draft.html", {"form": form, "unit": unit},
                  status=400 if form.errors else 200)


def workbook_name(job):
    kinds = IMPORTERS if job.kind == JobKind.IMPORT else EXPORTERS
    return kinds[job.identifier].verbose_name if job.identifier in kinds else job.identifier


def _job_for_user(request, pk):
    return tasks.job_fail_if_abandoned(job=get_object_or_404(Job.objects.for_user(request.user), pk=pk))


LINES_SHOWN = 500


@login_required
def job_detail(request, pk):
    """A background job's progress; then its file, or an import's outcome."""
    job = _job_for_user(request, pk)
    lines = job.result.get("lines", [])
    return render(request, "checklists/job_detail.html", {
        "job": job, "workbook": workbook_name(job),
        "lines": lines[:LINES_SHOWN], "lines_hidden": max(0, len(lines) - LINES_SHOWN)})


@login_required
def job_status(request, pk):
    """What the progress bar polls."""
    job = _job_for_user(request, pk)
    return JsonResponse({"status": job.status, "done": job.done, "total": job.total, "percent": job.percent,
                         "message": job.message, "finished": job.is_finished, "filename": job.filename,
                         "waiting_long": job.is_waiting_long})


def _start_again(request, pk, start):
    """A new job from one of the user's own (`start(job=, user=)`), or the refusal on the old job's page."""
    job = _job_for_user(request, pk)
    try:
        again = start(job=job, user=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
        return redirect(job)
    return redirect(again)


@require_POST
@login_required
def job_retry(request, pk):
    """Start a failed export or import again, as a new job."""
    return _start_again(request, pk, tasks.job_retry)


@require_POST
@login_required
def job_confirm(request, pk):
    """Carry out an import that was checked (a dry run with no problem): the same file, as a new job."""
    return _start_again(request, pk, tasks.import_confirm)


@login_required
def job_download(request, pk):
    job = _job_for_user(request, pk)
    if job.status != JobStatus.DONE or job.kind != JobKind.EXPORT:
        raise Http404
    return file_response(job.file, job.filename)


@login_required
def bulletin_list(request):
    """已发布: the reports issued by offices whose whole subtree the user reaches, newest first, each
    downloaded as it was issued."""
    reach = reach_of(request.user)
    if not (reach.is_all or reach.subtree_paths):
        raise PermissionDenied
    bulletins = Bulletin.objects.for_user(request.user).select_related("issuer", "issued_by")
    table = configure(request, BulletinTable(bulletins))
    return render(request, "checklists/bulletin_list.html", {"table": table})
