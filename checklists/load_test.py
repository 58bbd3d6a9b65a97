"""The load test of `make bench`: two app servers (gunicorn, 2 workers each) behind a client-side round
robin, simulated users on 127.0.0.1; halfway through, one server is killed (SIGKILL) and the users go
on with the other. Every save a user was told succeeded is looked up in the items' history afterwards,
and each answer's CPU time (X-Server-CPU-ms, `bench.ServerTime`) is counted by kind of request."""

import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from django.conf import settings

from .bench import PASSWORD, percentile

ROOT = Path(settings.BASE_DIR)

class SimulatedUser:
    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    VERSION = re.compile(r'name="version" value="(\d+)"')

    def __init__(self, servers, username, items, rng):
        self.servers, self.username, self.items, self.rng = servers, username, items, rng
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                                  RecordingRedirects(self))
        self.latencies, self.errors, self.counts = [], [], {"read": 0, "save": 0, "submit": 0}
        self.cpu, self.kind = [], ""  # (kind of request, server CPU ms) of every answer; the kind asked now
        self.cut_off, self.failed_over, self.saves = [], 0, []
        self.turn = rng.randrange(len(servers))

    def record(self, headers):
        if headers.get("X-Server-CPU-ms"):
            self.cpu.append((self.kind, float(headers["X-Server-CPU-ms"])))

    def request(self, path, data=None, kind=None):
        """(status, page, final URL); as a load balancer does, a server that refuses the connection is
        skipped for the next; a request cut off in flight fails back to the user (status 0). `kind`
        names the request in the CPU times (a redirect's target is an item page or home)."""
        self.kind = kind or request_kind(path)
        self.turn += 1
        for attempt in range(len(self.servers)):
            base = self.servers[(self.turn + attempt) % len(self.servers)]
            started = time.perf_counter()
            try:
                body = urllib.parse.urlencode(data).encode() if data is not None else None
                request = urllib.request.Request(base + path, data=body, headers={"Referer": base + path})
                with self.opener.open(request, timeout=30) as response:
                    text, status, url = response.read().decode("utf-8", "replace"), response.status, response.url
                    self.record(response.headers)
            except urllib.error.HTTPError as error:
                text, status, url = error.read().decode("utf-8", "replace"), error.code, error.url
            except ConnectionRefusedError:
                self.failed_over += 1
                continue
            except urllib.error.URLError as error:
                if isinstance(error.reason, ConnectionRefusedError):
                    self.failed_over += 1
                    continue
                text, status, url = str(error), 0, ""
            except OSError as error:
                text, status, url = str(error), 0, ""
            self.latencies.append(time.perf_counter() - started)
            if status == 0:
                self.cut_off.append(f"{path}: {text[:60]}")
            elif status >= 500:
                self.errors.append(f"{status} {path}")
            return status, text, url
        self.errors.append(f"no server {path}")
        return 0, "", ""

    def log_in(self):
        page = ""
        while self.TOKEN.search(page) is None:
            _status, page, _url = self.request("/accounts/login/")
        token = self.TOKEN.search(page).group(1)
        self.request("/accounts/login/", {"csrfmiddlewaretoken": token, "username": self.username,
                                          "password": PASSWORD}, kind="log in")

    def run(self, deadline):
        self.log_in()
        while time.monotonic() < deadline:
            item = self.rng.choice(self.items)
            action = self.rng.choices(["read", "save", "submit"], [60, 25, 15])[0]
            self.counts[action] += 1
            if action == "read":
                self.request(self.rng.choice(["/", "/items/", f"/items/{item}/", "/items/?status=draft"]))
                continue
            status, page, _url = self.request(f"/items/{item}/")
            token, version = self.TOKEN.search(page), self.VERSION.search(page)
            if token is None:
                continue
            if action == "save" and version is not None:
                progress = self.rng.choice([20, 40, 60, 80, 100])
                status, _page, url = self.request(f"/items/{item}/save/", {
                    "csrfmiddlewaretoken": token.group(1), "version": version.group(1),
                    "progress": progress, "account": f"压力测试：{self.username} 第 {len(self.saves) + 1} 次保存。"},
                    kind="save")
                if status == 200 and url.endswith(f"/items/{item}/"):  # saved: redirected to the item
                    self.saves.append({"item": item, "version": int(version.group(1)) + 1, "progress": progress})
            elif action == "submit":
                self.request(f"/items/{item}/submit/", {"csrfmiddlewaretoken": token.group(1)}, kind="submit")


def request_kind(path):
    path = path.split("?")[0]
    if path == "/":
        return "home"
    if path == "/items/":
        return "items list"
    if path.startswith("/items/"):
        return "item page"
    return "log-in page" if path.startswith("/accounts/login") else path


class RecordingRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, recording the CPU time of the answer that redirected (a save,
    a submission, a log-in); what it leads to is counted by its own kind."""

    def __init__(self, user):
        self.user = user

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        self.user.record(headers)
        self.user.kind = request_kind(urllib.parse.urlparse(newurl).path)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def load_test(env, users, seconds, work):
    ports = [8765, 8766]
    # Database connections kept between requests, as docs/deploy.md and the production settings do.
    env = {**env, "CONN_MAX_AGE": env.get("CONN_MAX_AGE", "60")}
    servers = [subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "60", "--log-level", "critical"], cwd=ROOT, env=env, start_new_session=True)
        for port in ports]
    killed_at = {}
    try:
        time.sleep(3)
        rng = random.Random(2023)
        simulated = [SimulatedUser([f"http://127.0.0.1:{port}" for port in ports], user["username"], user["items"],
                                   random.Random(rng.random())) for user in users]
        started = time.monotonic()
        deadline = started + seconds

        def kill_one():
            os.killpg(servers[1].pid, signal.SIGKILL)
            killed_at["seconds"] = time.monotonic() - started

        killer = threading.Timer(seconds / 2, kill_one)
        threads = [threading.Thread(target=user.run, args=(deadline,)) for user in simulated]
        for thread in threads:
            thread.start()
        killer.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        for server in servers:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=30)
    latencies = [t for user in simulated for t in user.latencies]
    errors = [e for user in simulated for e in user.errors]
    counts = {key: sum(user.counts[key] for user in simulated) for key in ("read", "save", "submit")}
    saves = [save for user in simulated for save in user.saves]
    cpu = {}
    for user in simulated:
        for kind, ms in user.cpu:
            cpu.setdefault(kind, []).append(ms)
    saves_file = Path(work) / "acknowledged-saves.json"
    saves_file.write_text(json.dumps(saves))
    check = json.loads(subprocess.run([sys.executable, str(ROOT / "manage.py"), "bench", "--check-saves",
                                       str(saves_file)], env=env, capture_output=True, text=True, cwd=ROOT,
                                      check=True).stdout)
    return {"users": len(users), "seconds": elapsed, "requests": len(latencies),
            "throughput": len(latencies) / elapsed, "p50_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * percentile(latencies, 0.95), "errors": len(errors), "error_samples": errors[:5],
            "actions": counts, "killed_at": killed_at.get("seconds"),
            "cut_off": sum(len(user.cut_off) for user in simulated),
            "cut_off_samples": [c for user in simulated for c in user.cut_off][:3],
            "failed_over": sum(user.failed_over for user in simulated), "cores": os.cpu_count(),
            "cpu_ms": {kind: {"requests": len(times), "mean": statistics.mean(times), "p50": statistics.median(times)}
                       for kind, times in sorted(cpu.items())}, **check}


def check_saves(path):
    """How many of the saves the users were told succeeded are in the items' history."""
    from checklists.models import ChecklistItem

    saves = json.loads(Path(path).read_text())
    found = sum(ChecklistItem.history.filter(id=save["item"], version=save["version"],
                                             progress=save["progress"]).exists() for save in saves)
    missing = [save for save in saves
               if not ChecklistItem.history.filter(id=save["item"], version=save["version"]).exists()][:5]
    return {"acknowledged_saves": len(saves), "saves_found": found, "missing_samples": missing}
