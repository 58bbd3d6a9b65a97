"""The production smoke test's visits, over real HTTP through the proxy (tests/production/smoke.sh
starts everything): every demo role logs in and opens the main pages, static files come with
far-future cache headers, a liaison uploads and downloads an evidence file, a workbook is queued,
written by the background worker and downloaded, and no file is given to an anonymous visitor or to
another user. Any 5xx fails it.

    python tests/production/smoke.py PROXY_PORT DEMO_PASSWORD
"""

import http.client
import json
import re
import sys
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

PAGES = ["/", "/items/", "/units/", "/problems/", "/reminders/", "/exports/", "/imports/", "/account/",
         "/ledgers/training/", "/ledgers/visit/", "/items/offline/"]
ADMIN_PAGES = ["/admin/", "/admin/checklists/checklistitem/", "/admin/checklists/supervisionvisit/"]
ROLES = {"admin": ADMIN_PAGES, "office": ADMIN_PAGES, "county_office": ADMIN_PAGES, "liaison": [], "leader": [],
         "viewer": []}
NOT_FOR = {"viewer": {"/imports/"}}  # read-only: 403, as it should
PDF = b"%PDF-1.4\n% smoke test: a signed attendance sheet\n%%EOF\n"

checks = 0


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        sys.exit(f"SMOKE FAILED: {message}")


class Visitor:
    """One browser: its own cookies, connecting from its own loopback address (the proxy forwards it
    as the client's address, as nginx would)."""

    def __init__(self, port, address="127.0.0.1"):
        self.port, self.address, self.cookies = port, address, {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method, path, body=None, content_type=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120,
                                                source_address=(self.address, 0))
        headers = {"Host": f"127.0.0.1:{self.port}", "Origin": self.origin, "Referer": self.origin + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        check(response.status < 500, f"{method} {path} answered {response.status}: {content[:300]!r}")
        return response, content

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields=None, files=None):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(fields or {})}
        if not files:
            return self.request("POST", path, urlencode(fields, doseq=True).encode(),
                                "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in fields.items()]
        for name, (filename, data, mime) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {mime}\r\n\r\n".encode() + data + b"\r\n")
        return self.request("POST", path, b"".join(parts) + f"--{boundary}--\r\n".encode(),
                            f"multipart/form-data; boundary={boundary}")

    def log_in(self, username, password):
        self.get("/accounts/login/")
        response, content = self.post("/accounts/login/", {"username": username, "password": password})
        self.last_content = content
        return response


def logged_in(port, username, password):
    visitor = Visitor(port)
    response = visitor.log_in(username, password)
    check(response.status == 302 and "sessionid" in visitor.cookies,
          f"{username} could not log in ({response.status}): "
          + " ".join(re.findall(r'class="[^"]*alert[^"]*"[^>]*>([^<]*)', visitor.last_content.decode())))
    return visitor


def is_login_redirect(response):
    return response.status == 302 and urlsplit(response.getheader("Location")).path == "/accounts/login/"


def pages_and_static(port, password):
    for username, extra in ROLES.items():
        visitor = logged_in(port, username, password)
        pages = [path for path in PAGES + extra if path not in NOT_FOR.get(username, ())]
        for path in pages:
            response, content = visitor.get(path)
            check(response.status == 200, f"{username}: {path} answered {response.status}")
        print(f"  {username}: {len(pages)} pages")
    _, home = logged_in(port, "office", password).get("/")
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', home.decode())
    check(len(assets) >= 3, f"the home page links {assets}")
    for asset in assets:
        response, content = Visitor(port).get(asset)
        check(response.status == 200 and content, f"{asset} answered {response.status}")
        check(re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset), f"{asset} has no hashed name")
        check("max-age=315360000" in (response.getheader("Cache-Control") or ""),
              f"{asset}: Cache-Control {response.getheader('Cache-Control')}")
    print(f"  static: {len(assets)} files with far-future cache headers")


def evidence(port, password):
    liaison = logged_in(port, "liaison", password)
    _, listing = liaison.get("/items/?status=draft")
    items = re.findall(r'href="/items/(\d+)/"', listing.decode())
    check(items, "the liaison has no draft item to attach a file to")
    response, _ = liaison.post(f"/items/{items[0]}/evidence/", files={"files": ("签到表.pdf", PDF, "application/pdf")})
    check(response.status == 302, f"the evidence upload answered {response.status}")
    _, page = liaison.get(f"/items/{items[0]}/")
    links = re.findall(r'href="(/evidence/\d+/)"', page.decode())
    check(links, "the item page links no evidence")
    response, content = liaison.get(links[-1])
    check(response.status == 200 and content == PDF, f"the evidence download answered {response.status}")
    check(response.getheader("Content-Disposition", "").startswith("attachment"), "evidence is not an attachment")
    check(response.getheader("X-Content-Type-Options") == "nosniff", "evidence is sniffable")
    anonymous, _ = Visitor(port).get(links[-1])
    check(is_login_redirect(anonymous), f"an anonymous visitor got the evidence ({anonymous.status})")
    office = logged_in(port, "office", password)
    _, admin_page = office.get(f"/admin/checklists/checklistitem/{items[0]}/change/")
    stored = re.findall(r'href="(/files/evidence/[^"]+)"', admin_page.decode())
    check(stored, "the admin's item page links no evidence through the checked view")
    response, content = office.get(stored[-1])
    check(response.status == 200 and content == PDF, f"the admin's evidence link answered {response.status}")
    for path in (stored[-1], stored[-1].replace("/files/", "/media/", 1)):
        response, _ = Visitor(port).get(path)
        check(is_login_redirect(response) or response.status == 404,
              f"an anonymous visitor got {path} ({response.status})")
    print("  evidence: uploaded, downloaded, refused to anonymous visitors")


def workbook(port, password):
    liaison = logged_in(port, "liaison", password)
    _, page = liaison.get("/exports/")
    campaign = re.search(r'<select name="campaign"[^>]*>.*?<option value="(\d+)" selected>', page.decode(), re.S)
    check(campaign, "the export page offers no task list")
    period = time.strftime("%Y-%m")
    response, _ = liaison.post("/exports/", {"kind": "monthly", "campaign": campaign.group(1), "period": period,
                                             "county": ""})
    check(response.status == 302, f"queuing the workbook answered {response.status}")
    job = response.getheader("Location")
    deadline = time.monotonic() + 180
    while True:
        _, status = liaison.get(job + "status/")
        status = json.loads(status)
        if status["finished"]:
            break
        check(time.monotonic() < deadline, f"the background worker did not write the workbook: {status}")
        time.sleep(0.5)
    check(status["status"] == "done", f"the workbook failed: {status}")
    response, content = liaison.get(job + "download/")
    check(response.status == 200 and content[:2] == b"PK", f"the workbook download answered {response.status}")
    check(response.getheader("Content-Disposition", "").startswith("attachment"), "the workbook is not an attachment")
    anonymous, _ = Visitor(port).get(job + "download/")
    check(is_login_redirect(anonymous), f"an anonymous visitor got the workbook ({anonymous.status})")
    other, _ = logged_in(port, "county_office", password).get(job + "download/")
    check(other.status == 404, f"another user got the workbook ({other.status})")
    print(f"  workbook: {status['filename']}, {len(content)} bytes, refused to others")


def lockout(port, password):
    attacker, colleague = Visitor(port, "127.0.0.2"), Visitor(port, "127.0.0.3")
    for _ in range(5):
        attacker.log_in("viewer", "wrong-password")
    response = attacker.log_in("viewer", password)
    check(response.status == 429, f"the guesser was not locked out ({response.status})")
    response = colleague.log_in("viewer", password)
    check(response.status == 302, f"the same account from another address was locked out too ({response.status})")
    print("  lockout: the guessing address only")


if __name__ == "__main__":
    port, password = int(sys.argv[1]), sys.argv[2]
    pages_and_static(port, password)
    evidence(port, password)
    workbook(port, password)
    lockout(port, password)
    print(f"smoke: {checks} passed, 0 failed")
