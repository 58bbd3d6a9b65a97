"""`make bench`: build the synthetic city on SQLite and on PostgreSQL, measure pages, workbooks,
imports and a load test, and write BENCHMARKS.md.

The driver runs each measurement in a child process (`bench --measure`, `bench --workbook NAME`) with
the database chosen by the environment, so that every figure comes from a fresh process and peak
memory is the workbook's own.
"""

import json
import os
import platform
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

import django
from django.conf import settings
from django.core.management.base import BaseCommand

from checklists.bench import PASSWORD, percentile

ROOT = Path(settings.BASE_DIR)
WORKBOOKS = ["weekly", "monthly", "bimonthly", "ledgers", "items"]


class Command(BaseCommand):
    help = "Measure the tracker on a synthetic city, on SQLite and PostgreSQL, and write BENCHMARKS.md."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=3000)
        parser.add_argument("--repeat", type=int, default=20, help="Requests per page.")
        parser.add_argument("--load-seconds", type=int, default=120)
        parser.add_argument("--load-users", type=int, default=50)
        parser.add_argument("--databases", default="sqlite,postgres")
        parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/cleanledger_bench")
        parser.add_argument("--work-dir", default="/tmp/cleanledger-bench")
        parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
        parser.add_argument("--measure", action="store_true", help="(child) measure pages and imports here.")
        parser.add_argument("--workbook", help="(child) write one workbook and its openpyxl floor here.")
        parser.add_argument("--pages-only", action="store_true", help="(child) with --measure: no imports.")
        parser.add_argument("--check-saves", help="(child) count the acknowledged saves of a load test in history.")
        parser.add_argument("--load-only", action="store_true",
                            help="Build the city on PostgreSQL and run the load test alone (for trying it).")

    def handle(self, *args, **options):
        if options["measure"]:
            from checklists.bench import measure_pages_and_imports

            self.stdout.write(json.dumps(measure_pages_and_imports(
                options["repeat"], options["load_users"], imports=not options["pages_only"]), indent=1))
        elif options["check_saves"]:
            self.stdout.write(json.dumps(check_saves(options["check_saves"])))
        elif options["workbook"]:
            from checklists.bench import measure_workbook

            self.stdout.write(json.dumps(measure_workbook(options["workbook"])))
        else:
            self.drive(options)

    # The driver

    def child(self, env, *args):
        result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True,
                                text=True, cwd=ROOT)
        if result.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def drive(self, options):
        work = Path(options["work_dir"])
        work.mkdir(parents=True, exist_ok=True)
        results = {}
        for database in options["databases"].split(","):
            env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
            env.update(MEDIA_ROOT=str(work / "media"), DEBUG="0", ALLOWED_HOSTS="127.0.0.1,testserver",
                       SECRET_KEY="bench-" + "x" * 50, BENCH_FLOOR="1")
            if database == "sqlite":
                path = work / "bench.sqlite3"
                path.unlink(missing_ok=True)
                env["SQLITE_PATH"] = str(path)
            else:
                recreate_postgres(options["postgres"])
                env["DATABASE_URL"] = options["postgres"]
            self.stderr.write(f"[{database}] migrate and build the city ({options['units']:,} units)")
            self.child(env, "migrate", "--noinput")
            started = time.monotonic()
            built = self.child(env, "generate_scale_data", "--units", str(options["units"]), "--quiet")
            result = {"build_seconds": time.monotonic() - started, "build": built.strip().splitlines()[-1]}
            self.stderr.write(f"[{database}] pages and imports")
            repeat = "1" if options["load_only"] else str(options["repeat"])
            result.update(json.loads(self.child(env, "bench", "--measure", "--repeat", repeat,
                                                "--load-users", str(options["load_users"]),
                                                *(["--pages-only"] if options["load_only"] else []))))
            result["workbooks"] = {}
            for name in [] if options["load_only"] else WORKBOOKS:
                self.stderr.write(f"[{database}] workbook {name}")
                result["workbooks"][name] = json.loads(self.child(env, "bench", "--workbook", name))
            if database == "postgres" and options["load_seconds"]:
                self.stderr.write(f"[{database}] load test: {options['load_users']} users, "
                                  f"{options['load_seconds']} s, two app servers of 2 workers, one killed halfway")
                result["load"] = load_test(env, result.pop("load_users"), options["load_seconds"], work)
            result.pop("load_users", None)
            results[database] = result
        Path(options["out"]).write_text(report(results, options), encoding="utf-8")
        self.stderr.write(f"Wrote {options['out']}")


def recreate_postgres(url):
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


# The load test: two app servers (gunicorn, 2 workers each) behind a client-side round robin, simulated
# users on 127.0.0.1; halfway through, one server is killed (SIGKILL) and the users go on with the other.


class SimulatedUser:
    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    VERSION = re.compile(r'name="version" value="(\d+)"')

    def __init__(self, servers, username, items, rng):
        self.servers, self.username, self.items, self.rng = servers, username, items, rng
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.latencies, self.errors, self.counts = [], [], {"read": 0, "save": 0, "submit": 0}
        self.cut_off, self.failed_over, self.saves = [], 0, []
        self.turn = rng.randrange(len(servers))

    def request(self, path, data=None):
        """(status, page, final URL); as a load balancer does, a server that refuses the connection is
        skipped for the next; a request cut off in flight fails back to the user (status 0)."""
        self.turn += 1
        for attempt in range(len(self.servers)):
            base = self.servers[(self.turn + attempt) % len(self.servers)]
            started = time.perf_counter()
            try:
                body = urllib.parse.urlencode(data).encode() if data is not None else None
                request = urllib.request.Request(base + path, data=body, headers={"Referer": base + path})
                with self.opener.open(request, timeout=30) as response:
                    text, status, url = response.read().decode("utf-8", "replace"), response.status, response.url
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
                                          "password": PASSWORD})

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
                    "progress": progress, "account": f"压力测试：{self.username} 第 {len(self.saves) + 1} 次保存。"})
                if status == 200 and url.endswith(f"/items/{item}/"):  # saved: redirected to the item
                    self.saves.append({"item": item, "version": int(version.group(1)) + 1, "progress": progress})
            elif action == "submit":
                self.request(f"/items/{item}/submit/", {"csrfmiddlewaretoken": token.group(1)})


def load_test(env, users, seconds, work):
    ports = [8765, 8766]
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
            "failed_over": sum(user.failed_over for user in simulated), **check}


def check_saves(path):
    """How many of the saves the users were told succeeded are in the items' history."""
    from checklists.models import ChecklistItem

    saves = json.loads(Path(path).read_text())
    found = sum(ChecklistItem.history.filter(id=save["item"], version=save["version"],
                                             progress=save["progress"]).exists() for save in saves)
    missing = [save for save in saves
               if not ChecklistItem.history.filter(id=save["item"], version=save["version"]).exists()][:5]
    return {"acknowledged_saves": len(saves), "saves_found": found, "missing_samples": missing}


# BENCHMARKS.md


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    import openpyxl
    import psycopg

    postgres = ""
    try:
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres") as connection:
            postgres = connection.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        pass
    import sqlite3

    return (f"{os.cpu_count()} × {cpu}, {memory} GiB; {platform.platform()}; Python {platform.python_version()}, "
            f"Django {django.get_version()}, openpyxl {openpyxl.__version__}, SQLite {sqlite3.sqlite_version}, "
            f"PostgreSQL {postgres or 'n/a'}")


def mark(ok):
    return "✓" if ok else "✗"


def report(results, options):
    lines = ["# Benchmarks", "",
             f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M')}. Machine: {machine()}.", "",
             f"Data: `generate_scale_data --units {options['units']}`, one yearly task list; "
             "pages measured through Django's test client in a fresh process "
             f"({options['repeat']} requests each after one warm-up; server time, no network). "
             "Budgets (issues 5 and 16): page median < 150 ms, 95th percentile < 400 ms and ≤ 1.5 × the floor; workbook time ≤ 1.3 × the bare "
             "openpyxl write-only loop writing the same cells, peak memory < 200 MB; no errors under load.", ""]
    for database, result in results.items():
        floor = next((page["p50_ms"] for page in result["pages"] if page["name"].startswith("floor")), None)
        lines += [f"## {database}", "", f"City built in {result['build_seconds']:.0f} s: {result['build']}", "",
                  "| page | median ms | p95 ms | queries | ÷ floor | budget |", "|---|---:|---:|---:|---:|:-:|"]
        for page in result["pages"]:
            ok = page["p50_ms"] < 150 and page["p95_ms"] < 400 and (not floor or page["p50_ms"] / floor <= 1.5)
            ratio = f"{page['p50_ms'] / floor:.2f}" if floor else "—"
            lines.append(f"| {page['name']} | {page['p50_ms']:.0f} | {page['p95_ms']:.0f} | {page['queries']} | "
                         f"{ratio} | {mark(ok)} |")
        lines += ["", "| workbook | rows | cells | total s | gathering s | writing s | floor s | writing ÷ floor | "
                  "peak MB | budget |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|"]
        for name, book in result["workbooks"].items():
            ok = book["ratio"] <= 1.3 and book["peak_mb"] < 200
            lines.append(f"| {name} | {book['rows']:,} | {book['cells']:,} | {book['seconds']:.2f} | "
                         f"{book['gathering_seconds']:.2f} | {book['writing_seconds']:.2f} | "
                         f"{book['floor_seconds']:.2f} | {book['ratio']:.2f} | {book['peak_mb']:.0f} | {mark(ok)} |")
        monthly = result["workbooks"].get("monthly")
        if monthly:
            floor_total = monthly["group_seconds"] + monthly["floor_seconds"]
            ratio = monthly["seconds"] / floor_total
            lines += ["", f"Monthly bulletin end to end, cold (no figures counted before): {monthly['seconds']:.2f} s; "
                      f"its floor, the units' figures as of the month's end in one GROUP BY "
                      f"({monthly['group_seconds']:.2f} s) and the bare write-only loop "
                      f"({monthly['floor_seconds']:.2f} s): {floor_total:.2f} s; ratio {ratio:.2f} "
                      f"(budget ≤ 2, issue 16) {mark(ratio <= 2)}."]
        lines += ["", "| import | rows | seconds |", "|---|---:|---:|"]
        for name, run in result["imports"].items():
            lines.append(f"| {name} | {run['rows']:,} | {run['seconds']:.2f} |")
        if "load" in result:
            load = result["load"]
            lines += ["", f"Load test on {database}: two app servers (gunicorn, 2 workers each) taken in turn, "
                      f"{load['users']} simulated users on 127.0.0.1 for {load['seconds']:.0f} s (60 % reads, 25 % "
                      f"item saves, 15 % submissions): {load['requests']:,} requests "
                      f"({', '.join(f'{k} {v:,}' for k, v in load['actions'].items())}), "
                      f"{load['throughput']:.1f} requests/s, median {load['p50_ms']:.0f} ms, "
                      f"95th percentile {load['p95_ms']:.0f} ms, {load['errors']} server errors "
                      f"{mark(load['errors'] == 0)}.",
                      "", f"One app server killed (SIGKILL, master and workers) at {load['killed_at']:.0f} s: "
                      f"{load['cut_off']} requests cut off in flight (their users saw a failed request), "
                      f"{load['failed_over']:,} later requests refused by it and sent to the other server. "
                      f"Saves the users were told succeeded: {load['acknowledged_saves']:,}; found in the items' "
                      f"history afterwards: {load['saves_found']:,} "
                      f"{mark(load['saves_found'] == load['acknowledged_saves'])}."]
            if load["error_samples"]:
                lines.append("Errors seen: " + "; ".join(load["error_samples"]))
            if load["cut_off_samples"]:
                lines.append("Cut off: " + "; ".join(load["cut_off_samples"]))
            if load["missing_samples"]:
                lines.append("Saves missing: " + json.dumps(load["missing_samples"]))
        lines.append("")
    lines += [Path(ROOT / "docs" / "benchmark-notes.md").read_text(encoding="utf-8")
              if (ROOT / "docs" / "benchmark-notes.md").exists() else ""]
    return "\n".join(lines)

