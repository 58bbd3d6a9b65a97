"""What runs in the background (`manage.py db_worker`): long exports and large imports.

While a job runs, its worker says who it is and beats a heartbeat on the job, so that a worker that
dies (killed, out of memory, the machine restarted) is seen to have died: `Job.is_abandoned`."""

import threading
from contextlib import contextmanager

from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import task

from . import services
from .models import Job
from .models.jobs import HEARTBEAT_EVERY, this_worker


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
        return services.export_run(job=job).filename


@task()
def run_import(job_id: str) -> bool:
    with heartbeat(job_id):
        job = Job.objects.select_related("user").get(pk=job_id)
        return services.import_run(job=job).result.get("ok", False)
