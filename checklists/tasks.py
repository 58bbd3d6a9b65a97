"""Background jobs (`manage.py db_worker`): long exports and large imports, started, run, failed when
their worker dies, and retried.

While a job runs, its worker says who it is and beats a heartbeat on the job, so that a worker that
dies (killed, out of memory, the machine restarted) is seen to have died: `Job.is_abandoned`."""

import datetime
import tempfile
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import File
from django.db import DatabaseError, connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import exports, imports
from .models import Campaign, Job, JobKind, JobStatus, StandardSet, Unit, reach_of
from .models.jobs import HEARTBEAT_EVERY, this_worker
from .services import NotPermitted, ServiceError, bulletin_check, bulletin_issue


@contextmanager
def heartbeat(job_id):
    Job.objects.filter(pk=job_id).update(worker=this_worker(), heartbeat_at=timezone.now())
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(HEARTBEAT_EVERY.total_seconds()):
                try:
                    Job.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())
                except DatabaseError:  # SQLite locked by the job's own transaction: the next beat
                    pass
        finally:
            connection.close()

    beater = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
    beater.start()
    try:
        yield
    finally:
        stop.set()
        beater.join()


@task()
def run_export(job_id: str) -> str:
    with heartbeat(job_id):
        job = Job.objects.select_related("user").get(pk=job_id)
        return export_run(job=job).filename


@task()
def run_import(job_id: str) -> bool:
    with heartbeat(job_id):
        job = Job.objects.select_related("user").get(pk=job_id)
        return import_run(job=job).result.get("ok", False)


def export_start(*, user, exporter: str, campaign: Campaign, start, end, county: Unit | None = None,
                 issue: bool = False) -> Job:
    """Queue a workbook for writing in the background; the job's page shows its progress. `issue`: issue
    it as the next 第N期 of its report (`services.bulletin_issue`), refused here already if it cannot be."""
    if issue:
        scope = exports.ExportScope(user=user, campaign=campaign, start=start, end=end, county=county)
        bulletin_check(user=user, exporter=exports.EXPORTERS[exporter](scope))
    job = Job.objects.create(user=user, identifier=exporter, parameters={
        "campaign": campaign.pk, "start": start.isoformat(), "end": end.isoformat(),
        "county": county.pk if county else None, "language": translation.get_language(), "issue": issue})
    run_export.enqueue(str(job.pk))
    return job


def export_run(*, job: Job) -> Job:
    """Write the job's workbook with what its user reaches now, reporting rows written as it goes.
    The file is written to a temporary file first: a province's item ledger does not fit in memory."""
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    parameters = job.parameters
    with tempfile.TemporaryFile() as output:
        try:
            with translation.override(parameters.get("language") or settings.LANGUAGE_CODE):
                county = parameters.get("county")
                scope = exports.ExportScope(
                    user=job.user, campaign=Campaign.objects.for_user(job.user).get(pk=parameters["campaign"]),
                    start=datetime.date.fromisoformat(parameters["start"]),
                    end=datetime.date.fromisoformat(parameters["end"]),
                    county=Unit.objects.for_user(job.user).get(pk=county) if county else None)
                exporter = exports.EXPORTERS[job.identifier](scope)
                job.total = exporter.expected_rows()
                Job.objects.filter(pk=job.pk).update(total=job.total)
                names = []

                def progress(rows):
                    Job.objects.filter(pk=job.pk).update(done=rows)

                def write(exporter):  # for an issued report, whose bulletin keeps the bytes too
                    output.seek(0)
                    output.truncate()
                    names[:] = exports.write(exporter, output, progress)
                    output.seek(0)
                    return (*names, output.read())

                if parameters.get("issue"):  # the job keeps a copy of its own, pruned with it (prune_exports)
                    bulletin = bulletin_issue(user=job.user, exporter=exporter, write=write)
                    job.result = {"bulletin": bulletin.pk, "issue": str(bulletin.number_words)}
                else:
                    names[:] = exports.write(exporter, output, progress)
        except Exception as error:
            job.status, job.message, job.finished_at = JobStatus.FAILED, str(error), timezone.now()
            job.save(update_fields=["status", "message", "finished_at"])
            raise
        job.refresh_from_db(fields=["done"])
        output.seek(0)
        job.file.save(names[0], File(output), save=False)
    job.filename, job.status, job.finished_at = names[0], JobStatus.DONE, timezone.now()
    job.save(update_fields=["file", "filename", "status", "finished_at", "total", "result"])
    return job


def job_fail_if_abandoned(*, job: Job) -> Job:
    """A job whose worker has died is failed, so that its page stops waiting and offers a retry.
    Nothing of it was written: an export writes its file last, an import in one transaction."""
    if job.is_abandoned:
        with translation.override(job.parameters.get("language") or settings.LANGUAGE_CODE):
            message = _("Not finished, nothing was written; please try again.")
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, message=message, finished_at=timezone.now())
        job.refresh_from_db()
    return job


def job_retry(*, job: Job, user) -> Job:
    """The same export or import again, as a new job of the same user."""
    if job.user_id != user.pk:
        raise NotPermitted(_("Only who started the work may start it again."))
    if job.status != JobStatus.FAILED:
        raise ServiceError(_("Only work that failed can be started again."))
    again = Job.objects.create(user=job.user, kind=job.kind, identifier=job.identifier, parameters=job.parameters,
                               source=job.source.name, filename=job.filename if job.kind == JobKind.IMPORT else "")
    (run_import if job.kind == JobKind.IMPORT else run_export).enqueue(str(again.pk))
    return again


# Background imports


def import_confirm(*, job: Job, user) -> Job:
    """Carry out a checked import: the same file and choices, no longer a dry run, as a new job."""
    if job.user_id != user.pk:
        raise NotPermitted(_("Only who started the work may start it again."))
    if job.kind != JobKind.IMPORT or not (job.result.get("dry_run") and job.result.get("ok")):
        raise ServiceError(_("Only a checked import that found no problem can be carried out."))
    again = Job.objects.create(user=job.user, kind=job.kind, identifier=job.identifier,
                               parameters={**job.parameters, "dry_run": False}, source=job.source.name,
                               filename=job.filename)
    run_import.enqueue(str(again.pk))
    return again


def import_start(*, user, importer: str, upload, dry_run: bool, campaign=None, standard_set=None) -> Job:
    """Keep the upload and queue its check (and, unless a dry run, its import) in the background."""
    job = Job(user=user, kind=JobKind.IMPORT, identifier=importer, filename=upload.name, parameters={
        "dry_run": dry_run, "campaign": campaign.pk if campaign else None,
        "standard_set": standard_set.pk if standard_set else None, "language": translation.get_language()})
    job.source.save(upload.name, upload, save=False)
    job.save()
    run_import.enqueue(str(job.pk))
    return job


def import_run(*, job: Job) -> Job:
    """Check the uploaded workbook and, if every row is right and this is no dry run, import it in one
    transaction; the outcome (lines or problems) goes on the job, for its page."""
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    parameters = job.parameters
    with translation.override(parameters.get("language") or settings.LANGUAGE_CODE):
        campaigns = Campaign.objects.for_user(job.user)
        importer = imports.IMPORTERS[job.identifier](
            user=job.user,
            campaign=campaigns.get(pk=parameters["campaign"]) if parameters.get("campaign") else None,
            standard_set=(StandardSet.objects.filter(reach_of(job.user).q("owner")).get(pk=parameters["standard_set"])
                          if parameters.get("standard_set") else None),
            progress=lambda done, total: Job.objects.filter(pk=job.pk).update(done=done, total=total))
        try:
            with job.source.open("rb") as upload:
                plan = importer.run(upload, dry_run=parameters["dry_run"])
        except imports.ImportRefused as error:
            job.result = {"refused": str(error)}
        except Exception as error:
            job.status, job.message, job.finished_at = JobStatus.FAILED, str(error), timezone.now()
            job.save(update_fields=["status", "message", "finished_at"])
            raise
        else:
            job.result = {"ok": plan.ok, "dry_run": parameters["dry_run"],
                          "problems": [str(problem) for problem in plan.problems],
                          "lines": [[row, action, text] for row, action, text, _data in plan.lines],
                          "skipped": [[row, text] for row, text in plan.skipped[:200]]}
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    job.save(update_fields=["result", "status", "finished_at"])
    return job
