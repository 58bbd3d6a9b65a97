"""The production settings: complete from the environment, refusing to start without it, and clean
under `manage.py check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check_deploy(**env):
    base = {k: v for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    base.update(DJANGO_SETTINGS_MODULE="tracker.settings_production", **env)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
                          env=base, capture_output=True, text=True, cwd=ROOT)


def test_check_deploy_is_clean_with_the_production_settings():
    result = check_deploy(SECRET_KEY=secrets.token_urlsafe(60), DATABASE_URL="postgres://u@db.internal/ledger",
                          ALLOWED_HOSTS="ledger.example.gov.cn")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_production_settings_refuse_to_start_without_a_secret():
    result = check_deploy(DATABASE_URL="postgres://u@db.internal/ledger", ALLOWED_HOSTS="ledger.example.gov.cn")
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr
    result = check_deploy(SECRET_KEY="django-insecure-short", DATABASE_URL="postgres://u@db.internal/ledger",
                          ALLOWED_HOSTS="ledger.example.gov.cn")
    assert result.returncode != 0 and "at least 50 characters" in result.stderr


def test_reminder_links_point_at_the_site_without_a_site_url():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="tracker.settings_production", SECRET_KEY=secrets.token_urlsafe(60),
               DATABASE_URL="postgres://u@db.internal/ledger", ALLOWED_HOSTS="ledger.example.gov.cn,10.0.0.11")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                             "print(settings.SITE_URL)"], env=env, capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "https://ledger.example.gov.cn", result.stderr
