"""`make bench`: build the synthetic city on SQLite and on PostgreSQL, measure pages, workbooks,
imports and a load test, and write BENCHMARKS.md.

The driver runs each measurement in a child process (`bench --measure`, `bench --workbook NAME`) with
the database chosen by the environment, so that every figure comes from a fresh process and peak
memory is the workbook's own.
"""

import json
import os
import platform
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand

from checklists.load_test import check_saves, load_test

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
        parser.add_argument("--province", action="store_true",
                            help="Build the city and a province (--province-units, 11 cities) on PostgreSQL, "
                                 "measure the same pages on both and the province's item ledger, and write "
                                 "--province-out.")
        parser.add_argument("--province-units", type=int, default=30000)
        parser.add_argument("--province-postgres",
                            default="postgres://postgres@127.0.0.1:5432/cleanledger_bench_province")
        parser.add_argument("--province-out", default=str(ROOT / "BENCHMARKS-province.md"))
        parser.add_argument("--ledger-zip", action="store_true", help="(child) write the province's item ledger.")

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
        elif options["ledger_zip"]:
            from checklists.bench import measure_ledger_zip

            self.stdout.write(json.dumps(measure_ledger_zip()))
        elif options["province"]:
            self.drive_province(options)
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
            env = self.environment(work, database, options["postgres"])
            result = self.build(env, database, options["units"])
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


    def environment(self, work, database, postgres):
        """The bench's settings for its child processes, on a new SQLite file or a new PostgreSQL database."""
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
        env.update(MEDIA_ROOT=str(work / "media"), DEBUG="0", ALLOWED_HOSTS="127.0.0.1,testserver",
                   SECRET_KEY="bench-" + "x" * 50, BENCH_FLOOR="1")
        if database == "sqlite":
            path = work / "bench.sqlite3"
            path.unlink(missing_ok=True)
            env["SQLITE_PATH"] = str(path)
        else:
            recreate_postgres(postgres)
            env["DATABASE_URL"] = postgres
        return env

    def build(self, env, label, units):
        self.stderr.write(f"[{label}] migrate and build ({units:,} units)")
        self.child(env, "migrate", "--noinput")
        started = time.monotonic()
        built = self.child(env, "generate_scale_data", "--units", str(units), "--quiet")
        return {"build_seconds": time.monotonic() - started, "build": built.strip().splitlines()[-1]}

    def drive_province(self, options):
        """The same pages for the same city office, in a city of its own and in a province ten times its
        size; then the province's item ledger, for a user who reaches all of it."""
        work = Path(options["work_dir"])
        work.mkdir(parents=True, exist_ok=True)
        results, envs = {}, {}
        for label, units, postgres in (("city", options["units"], options["postgres"]),
                                       ("province", options["province_units"], options["province_postgres"])):
            envs[label] = self.environment(work, "postgres", postgres)
            results[label] = self.build(envs[label], label, units)
            self.stderr.write(f"[{label}] pages")
            results[label].update(json.loads(self.child(
                envs[label], "bench", "--measure", "--pages-only", "--repeat", str(options["repeat"]))))
        self.stderr.write("[province] item ledger")
        results["province"]["ledger"] = json.loads(self.child(envs["province"], "bench", "--ledger-zip"))
        Path(options["province_out"]).write_text(province_report(results, options), encoding="utf-8")
        self.stderr.write(f"Wrote {options['province_out']}")


def recreate_postgres(url):
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


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


BASELINE_THROUGHPUT = 22.7  # requests/s of the load test on 2026-11-24, same machine and mix (issue 16)


def report(results, options):
    lines = ["# Benchmarks", "",
             f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M')}. Machine: {machine()}.", "",
             f"Data: `generate_scale_data --units {options['units']}`, one yearly task list; "
             "pages measured through Django's test client in a fresh process "
             f"({options['repeat']} requests each after one warm-up; server time, no network). "
             "Budgets (issues 5 and 16): page median < 150 ms, 95th percentile < 400 ms and ≤ 1.5 × the floor; "
             "workbook writing ≤ 1.3 × the bare openpyxl write-only loop writing the same cells, peak memory "
             "< 200 MB; the monthly bulletin end to end ≤ 2 × its floor; no errors under load.", ""]
    for database, result in results.items():
        lines += [f"## {database}", "", f"City built in {result['build_seconds']:.0f} s: {result['build']}", ""]
        lines += page_lines(result["pages"]) + workbook_lines(result["workbooks"])
        lines += ["", "| import | rows | seconds |", "|---|---:|---:|"]
        lines += [f"| {name} | {run['rows']:,} | {run['seconds']:.2f} |" for name, run in result["imports"].items()]
        if "load" in result:
            lines += load_lines(database, result["load"])
        lines.append("")
    lines += [Path(ROOT / "docs" / "benchmark-notes.md").read_text(encoding="utf-8")
              if (ROOT / "docs" / "benchmark-notes.md").exists() else ""]
    return "\n".join(lines)


def province_report(results, options):
    city, province = results["city"], results["province"]
    ledger = province["ledger"]
    ratio = ledger["rows_per_second"] / ledger["floor_rows_per_second"]
    return "\n".join([
        "# Benchmarks: a province", "",
        f"Written by `make bench-province` on {time.strftime('%Y-%m-%d %H:%M')}. Machine: {machine()}.", "",
        f"The same pages, for the same city office (`scale-office`), measured in a city of its own "
        f"(`generate_scale_data --units {options['units']}`) and in a province of 11 cities "
        f"(`--units {options['province_units']}`) sharing one task list, both on PostgreSQL, "
        f"{options['repeat']} requests a page after one warm-up. Budget (issue 16): the province built in under "
        "15 minutes, and each page's median within 1.5 × the same page in the city: the pages must not grow "
        "with the data.", "",
        f"City built in {city['build_seconds']:.0f} s: {city['build']}", "",
        f"Province built in {province['build_seconds']:.0f} s: {province['build']} "
        f"{mark(province['build_seconds'] < 15 * 60)}", "",
        *page_lines(province["pages"], compared=city["pages"]), "",
        "The city's own pages, for comparison:", "", *page_lines(city["pages"]), "",
        f"The province's item ledger for a user who reaches every unit ({ledger['rows']:,} rows, more than one "
        f"sheet holds): `{ledger['name']}`, {ledger['parts']} workbooks of one county (or one city department) "
        f"each, {ledger['mb']:.0f} MB, written in {ledger['seconds']:.0f} s, {ledger['rows_per_second']:,.0f} "
        f"rows/s against {ledger['floor_rows_per_second']:,.0f} rows/s for the bare openpyxl write-only loop "
        f"writing the first workbook's cells ({ratio:.2f} of its speed), the whole query included; peak memory "
        f"{ledger['peak_mb']:.0f} MB {mark(ledger['peak_mb'] < 200)}.", ""])


def page_lines(pages, compared=None):
    """The pages' table, each with its ratio to the stock-admin floor of the same run; `compared`: the
    same pages of another run (the city, for the province), and each page's ratio to it."""
    floor = next((page["p50_ms"] for page in pages if page["name"].startswith("floor")), None)
    other = {page["name"]: page["p50_ms"] for page in compared or []}
    extra = (" ÷ city |", "---:|") if compared else ("", "")
    lines = [f"| page | median ms | p95 ms | queries | ÷ floor |{extra[0]} budget |",
             f"|---|---:|---:|---:|---:|{extra[1]}:-:|"]
    for page in pages:
        is_floor = page["name"].startswith("floor")
        ok = page["p50_ms"] < 150 and page["p95_ms"] < 400 and (not floor or page["p50_ms"] / floor <= 1.5)
        ratio = f"{page['p50_ms'] / floor:.2f}" if floor else "—"
        versus = ""
        if compared:
            city = other.get(page["name"])
            ok = ok and (city is None or page["p50_ms"] / city <= 1.5)
            versus = f" {page['p50_ms'] / city:.2f} |" if city else " — |"
        lines.append(f"| {page['name']} | {page['p50_ms']:.0f} | {page['p95_ms']:.0f} | {page['queries']} | "
                     f"{ratio} |{versus} {'—' if is_floor else mark(ok)} |")
    return lines


def workbook_lines(workbooks):
    lines = ["", "| workbook | rows | cells | total s | gathering s | writing s | floor s | writing ÷ floor | "
             "peak MB | budget |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|"]
    for name, book in workbooks.items():
        ok = book["ratio"] <= 1.3 and book["peak_mb"] < 200
        lines.append(f"| {name} | {book['rows']:,} | {book['cells']:,} | {book['seconds']:.2f} | "
                     f"{book['gathering_seconds']:.2f} | {book['writing_seconds']:.2f} | "
                     f"{book['floor_seconds']:.2f} | {book['ratio']:.2f} | {book['peak_mb']:.0f} | {mark(ok)} |")
    monthly = workbooks.get("monthly")
    if monthly:
        floor_total = monthly["group_seconds"] + monthly["floor_seconds"]
        ratio = monthly["seconds"] / floor_total
        lines += ["", f"Monthly bulletin end to end, cold (no figures counted before): {monthly['seconds']:.2f} s; "
                  f"its floor, the units' figures as of the month's end in one GROUP BY "
                  f"({monthly['group_seconds']:.2f} s) and the bare write-only loop "
                  f"({monthly['floor_seconds']:.2f} s): {floor_total:.2f} s; ratio {ratio:.2f} "
                  f"(budget ≤ 2) {mark(ratio <= 2)}."]
    return lines


def load_lines(database, load):
    lines = ["", f"Load test on {database}: two app servers (gunicorn, 2 workers each) taken in turn, "
             f"{load['users']} simulated users on 127.0.0.1 for {load['seconds']:.0f} s (60 % reads, 25 % "
             f"item saves, 15 % submissions): {load['requests']:,} requests "
             f"({', '.join(f'{k} {v:,}' for k, v in load['actions'].items())}), "
             f"{load['throughput']:.1f} requests/s, median {load['p50_ms']:.0f} ms, "
             f"95th percentile {load['p95_ms']:.0f} ms, {load['errors']} server errors "
             f"{mark(load['errors'] == 0)}. Against the {BASELINE_THROUGHPUT} requests/s of 2026-11-24 with the "
             f"same mix on this machine: {load['throughput'] / BASELINE_THROUGHPUT:.2f} × "
             f"(issue 16 asks for 2 ×) {mark(load['throughput'] >= 2 * BASELINE_THROUGHPUT)}.",
             "", f"One app server killed (SIGKILL, master and workers) at {load['killed_at']:.0f} s: "
             f"{load['cut_off']} requests cut off in flight (their users saw a failed request), "
             f"{load['failed_over']:,} later requests refused by it and sent to the other server. "
             f"Saves the users were told succeeded: {load['acknowledged_saves']:,}; found in the items' "
             f"history afterwards: {load['saves_found']:,} "
             f"{mark(load['saves_found'] == load['acknowledged_saves'])}."]
    if load.get("cpu_ms"):
        lines += ["", f"Per core: {load['throughput'] / load['cores']:.1f} requests/s on {load['cores']} cores "
                  "shared by the app servers, PostgreSQL and the simulated users. CPU time of the app server "
                  "process for each kind of request (from its X-Server-CPU-ms header; PostgreSQL's own time "
                  "apart):", "", "| request | answered | mean CPU ms | median CPU ms |", "|---|---:|---:|---:|"]
        lines += [f"| {kind} | {cpu['requests']:,} | {cpu['mean']:.1f} | {cpu['p50']:.1f} |"
                  for kind, cpu in load["cpu_ms"].items()]
    for title, key in (("Errors seen", "error_samples"), ("Cut off", "cut_off_samples")):
        if load[key]:
            lines.append(f"{title}: " + "; ".join(load[key]))
    if load["missing_samples"]:
        lines.append("Saves missing: " + json.dumps(load["missing_samples"]))
    return lines
