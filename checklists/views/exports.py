from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .. import selectors, services
from ..exports import EXPORTERS
from ..forms import ExportForm
from ..imports import IMPORTERS
from ..models import Campaign, Job, JobKind, JobStatus


@login_required
def export_page(request):
    """Pick a workbook, task list, period and county; it is written in the background with what the
    user reaches, and the job's page shows the progress and then the file."""
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user, exporters=EXPORTERS)
        if form.is_valid():
            start, end = form.cleaned_data["period"]
            job = services.export_start(user=request.user, exporter=form.cleaned_data["kind"],
                                        campaign=form.cleaned_data["campaign"], start=start, end=end,
                                        county=form.cleaned_data["county"])
            return redirect(job)
        status = 400
    else:
        campaign = selectors.current_campaign(Campaign.objects.for_user(request.user))
        form = ExportForm(user=request.user, exporters=EXPORTERS, initial={
            "kind": "monthly", "campaign": campaign, "period": f"{timezone.localdate():%Y-%m}"})
        status = 200
    jobs = Job.objects.for_user(request.user)[:10]
    return render(request, "checklists/export_page.html", {"form": form, "jobs": jobs}, status=status)


def _job_for_user(request, pk):
    return get_object_or_404(Job.objects.for_user(request.user), pk=pk)


LINES_SHOWN = 500


@login_required
def job_detail(request, pk):
    """A background job's progress; then its file, or an import's outcome."""
    job = _job_for_user(request, pk)
    kinds = IMPORTERS if job.kind == JobKind.IMPORT else EXPORTERS
    lines = job.result.get("lines", [])
    return render(request, "checklists/job_detail.html", {
        "job": job, "workbook": kinds[job.identifier].verbose_name if job.identifier in kinds else job.identifier,
        "lines": lines[:LINES_SHOWN], "lines_hidden": max(0, len(lines) - LINES_SHOWN)})


@login_required
def job_status(request, pk):
    """What the progress bar polls."""
    job = _job_for_user(request, pk)
    return JsonResponse({"status": job.status, "done": job.done, "total": job.total, "percent": job.percent,
                         "message": job.message, "finished": job.is_finished, "filename": job.filename})


@login_required
def job_download(request, pk):
    job = _job_for_user(request, pk)
    if job.status != JobStatus.DONE or job.kind != JobKind.EXPORT:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
