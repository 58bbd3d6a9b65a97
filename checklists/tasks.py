"""What runs in the background (`manage.py db_worker`): long exports and large imports."""

from django_tasks import task

from . import services
from .models import Job


@task()
def run_export(job_id: str) -> str:
    job = Job.objects.select_related("user").get(pk=job_id)
    return services.export_run(job=job).filename


@task()
def run_import(job_id: str) -> bool:
    job = Job.objects.select_related("user").get(pk=job_id)
    return services.import_run(job=job).result.get("ok", False)
