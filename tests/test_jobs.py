"""Background jobs whose worker dies are seen to die, and can be started again."""

import datetime
import json
import os
import signal
import subprocess
import sys
import time

from django.urls import reverse
from django.utils import timezone

from checklists import tasks
from checklists.models import Job, JobStatus
from checklists.models.jobs import ABANDONED_AFTER, this_worker

from .test_faults import ROOT, own_database  # noqa: F401 (a fixture)


def running_job(user, campaign, **fields):
    return Job.objects.create(user=user, identifier="monthly", status=JobStatus.RUNNING, parameters={
        "campaign": campaign.pk, "start": "2023-03-01", "end": "2023-03-31", "county": None, "language": "zh-hans"},
        **fields)


def dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_job_whose_process_has_ended_is_abandoned(world):
    host, boot, pid, started = this_worker().split(":")
    assert not running_job(world.liaison_a, world.campaign, worker=this_worker()).is_abandoned
    assert running_job(world.liaison_a, world.campaign, worker=f"{host}:{boot}:{dead_pid()}:{started}").is_abandoned


def test_a_process_id_reused_or_a_machine_restarted_does_not_keep_a_dead_job_running(world):
    """The pid is alive, but it is another process now: one started at another time, or on another boot."""
    host, boot, pid, started = this_worker().split(":")
    reused = running_job(world.liaison_a, world.campaign, worker=f"{host}:{boot}:{pid}:{int(started) - 1}")
    rebooted = running_job(world.liaison_a, world.campaign, worker=f"{host}:another-boot:{pid}:{started}")
    assert reused.is_abandoned and rebooted.is_abandoned


def test_a_job_on_another_machine_is_abandoned_when_its_heartbeat_stops(world):
    now = timezone.now()
    fresh = running_job(world.liaison_a, world.campaign, worker="app2:boot:123:456", heartbeat_at=now)
    silent = running_job(world.liaison_a, world.campaign, worker="app2:boot:123:456",
                         heartbeat_at=now - ABANDONED_AFTER - datetime.timedelta(seconds=1))
    assert not fresh.is_abandoned and silent.is_abandoned


def test_the_page_of_an_abandoned_job_says_so_and_a_retry_writes_the_workbook(client, world):
    job = running_job(world.liaison_a, world.campaign, worker="app2:boot:123:456",
                      heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(world.liaison_a)
    status = client.get(reverse("job_status", args=[job.pk])).json()
    assert status["status"] == "failed" and status["message"] == "未完成，未写入任何数据，请重试"
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "job-retry" in page and "未完成，未写入任何数据，请重试" in page
    client.force_login(world.office_x)
    assert client.post(reverse("job_retry", args=[job.pk])).status_code == 404  # not theirs
    client.force_login(world.liaison_a)
    response = client.post(reverse("job_retry", args=[job.pk]))
    again = Job.objects.exclude(pk=job.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert again.status == JobStatus.DONE and again.parameters == job.parameters and again.file.name
    assert client.post(reverse("job_retry", args=[again.pk])).status_code == 302  # refused, back to the page
    assert Job.objects.count() == 2


def test_a_finished_or_running_job_is_not_failed(world):
    job = running_job(world.liaison_a, world.campaign, worker=this_worker())
    assert tasks.job_fail_if_abandoned(job=job).status == JobStatus.RUNNING
    job.status = JobStatus.DONE
    job.worker = "app2:boot:1:1"
    job.save()
    assert tasks.job_fail_if_abandoned(job=job).status == JobStatus.DONE


QUEUE = """
import datetime, django
django.setup()
from django.contrib.auth.models import User
from checklists import tasks
from checklists.models import Campaign
job = tasks.export_start(user=User.objects.get(username="office"), exporter="monthly",
                         campaign=Campaign.objects.get(), start=datetime.date(2023, 3, 1),
                         end=datetime.date(2023, 3, 31))
print(job.pk)
"""

# A worker whose export, once started, tells the test (a file) and waits to be killed.
STALLING_WORKER = """
import django, sys, time
django.setup()
from django.core.management import call_command
import checklists.exports

def stall(*args, **kwargs):
    open(sys.argv[1], "w").close()
    time.sleep(600)

checklists.exports.write = stall
call_command("db_worker", "--batch", "--no-startup-delay")
"""

# What the job's owner sees, over the views: its status, and (with "retry") the job a retry starts.
AS_OWNER = """
import django, json, sys
django.setup()
from django.contrib.auth.models import User
from django.test import Client
client = Client()
client.force_login(User.objects.get(username="office"))
if sys.argv[2] == "retry":
    print(client.post(f"/exports/{sys.argv[1]}/retry/")["Location"].split("/")[-2])
else:
    status = client.get(f"/exports/{sys.argv[1]}/status/").json()
    status["download"] = client.get(f"/exports/{sys.argv[1]}/download/").status_code
    print(json.dumps(status))
"""


def run(env, script, *args):
    return subprocess.run([sys.executable, "-c", script, *args], env=env, check=True, capture_output=True,
                          text=True, cwd=ROOT).stdout.strip()


def test_a_worker_killed_mid_export_leaves_a_failed_job_and_a_retry_succeeds(own_database, tmp_path):  # noqa: F811
    env = own_database
    job_id = run(env, QUEUE)
    started = tmp_path / "started"
    worker = subprocess.Popen([sys.executable, "-c", STALLING_WORKER, str(started)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not started.exists():
        assert worker.poll() is None, worker.stderr.read().decode()
        assert time.monotonic() < deadline, "the worker never started the export"
        time.sleep(0.05)
    assert json.loads(run(env, AS_OWNER, job_id, "status"))["status"] == "running"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    status = json.loads(run(env, AS_OWNER, job_id, "status"))
    assert status["status"] == "failed" and status["finished"] and status["download"] == 404
    assert status["message"] == "未完成，未写入任何数据，请重试"
    again = run(env, AS_OWNER, job_id, "retry")
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-startup-delay"], env=env,
                   check=True, capture_output=True, cwd=ROOT, timeout=300)
    status = json.loads(run(env, AS_OWNER, again, "status"))
    assert status["status"] == "done" and status["download"] == 200 and status["filename"].endswith(".xlsx")


def test_a_job_waiting_long_for_a_worker_says_so_and_the_list_names_the_workbook(client, world):
    job = Job.objects.create(user=world.liaison_a, identifier="monthly", parameters={})
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    client.force_login(world.liaison_a)
    assert client.get(reverse("job_status", args=[job.pk])).json()["waiting_long"]
    assert "后台程序可能没有运行" in client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "月通报" in client.get(reverse("export_page")).content.decode()
