"""A large export as a user meets it: a real server and a real background worker (`db_worker`) over a
synthetic city in a fresh SQLite file; the browser starts the item ledger, watches the progress bar
move and downloads the workbook."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def manage(env, *args):
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True,
                          capture_output=True, text=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def city_server(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(SQLITE_PATH=str(tmp_path / "city.sqlite3"), MEDIA_ROOT=str(tmp_path / "media"), DEBUG="0",
               STATIC_ROOT=str(tmp_path / "static"), ALLOWED_HOSTS="127.0.0.1",
               TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    manage(env, "collectstatic", "--noinput")
    manage(env, "migrate", "--noinput")
    manage(env, "generate_scale_data", "--units", "400", "--quiet")
    manage(env, "shell", "-c", "from django.contrib.auth.models import User; u = User.objects.get("
                               "username='scale-office'); u.set_password('pw'); u.save()")
    port = free_port()
    processes = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "tracker.wsgi", "--bind", f"127.0.0.1:{port}",
                          "--workers", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "db_worker", "--interval", "0.2",
                          "--no-startup-delay", "--no-reload"], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL),
    ]
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_a_large_export_shows_its_progress_and_downloads(chromium, page, city_server, screenshot, tmp_path):
    page.goto(city_server + "/accounts/login/")
    page.fill("#id_username", "scale-office")
    page.fill("#id_password", "pw")
    page.click("form button")
    page.goto(city_server + "/exports/")
    page.select_option("#id_kind", "items")
    page.fill("#id_period", str(time.localtime().tm_year))
    page.click("form button.btn-danger")
    page.wait_for_url("**/exports/*-*/")
    bar = page.locator(".progress")
    page.wait_for_function(
        "() => { const v = +document.querySelector('.progress').getAttribute('aria-valuenow'); return v > 0 && v < 100; }",
        timeout=60_000)
    moving = int(bar.get_attribute("aria-valuenow"))
    screenshot("export-progress")
    page.wait_for_function(
        "() => +document.querySelector('.progress').getAttribute('aria-valuenow') > " + str(moving), timeout=60_000)
    page.locator("#job-download").wait_for(state="visible", timeout=120_000)
    assert bar.get_attribute("aria-valuenow") == "100"
    shown_name = page.inner_text("#job-download .filename")
    assert shown_name.endswith(".xlsx")  # without reloading the page
    screenshot("export-done")
    with page.expect_download() as download_info:
        page.click("#job-download")
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    assert path.name == shown_name
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = sum(1 for _ in sheet.iter_rows(min_row=4, values_only=True))
    assert rows > 30_000, rows
