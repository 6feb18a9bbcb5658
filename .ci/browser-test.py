#!/usr/bin/env python3
"""Browser test of the web app (issue #17), against the real `drugcheck serve` on loopback.

Builds a fresh database in a temporary folder (the examples of Imports/ imported, one user per
role, a small CSV of samples waiting for verification, one of them with HTML in its
description), starts `drugcheck serve` on a free loopback port and drives headless Chromium
through the pages of Schemas/web-pages.md with Selenium 4; the security checks (CSRF, session
fixation, lab isolation, logout, escaping) use plain HTTP with real session cookies.

Every page visited is screenshotted as NN-role-page.png in --out, and after each page the
browser console must hold no SEVERE entry. Exit status 0 when every check passed, 1 otherwise
(with a summary of the failures), 2 when the set-up itself failed.

Usage: python3 .ci/browser-test.py [--binary .build/debug/drugcheck] [--out .build/browser-screenshots]
       [--only lab,verify,...] [--keep]
Needs: Selenium 4 (pip), /usr/bin/chromium and /usr/bin/chromedriver (Debian chromium, chromium-driver).
.ci/browser-test.sh installs them and runs this script.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import uuid
from html.parser import HTMLParser
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import (NoAlertPresentException, NoSuchElementException,
                                        TimeoutException, UnexpectedAlertPresentException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "browser-test-Passw0rd-2026"
COOKIE = "drugcheck_session"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WINDOW = "1366,1000"

# name, role, lab
USERS = [
    ("lab-dca", "lab", "BE-DCA"),
    ("lab-nicc", "lab", "BE-NICC"),
    ("verifier", "verifier", None),
    ("ministry", "ministry", None),
    ("reviewer-a", "reviewer", None),
    ("reviewer-b", "reviewer", None),
    ("subscriber", "subscriber", None),
    ("admin", "admin", None),
]
HOME = {"lab": "/lab", "verifier": "/verify", "ministry": "/ministry", "reviewer": "/review",
        "subscriber": "/bulletins", "admin": "/admin"}
ROLE_OF = {name: role for name, role, _ in USERS}

# The lab uploads this export through the browser; the set-up imports every other example by the CLI.
UPLOADED_EXPORT = "be-dca-drugchecking.csv"
XSS_DESCRIPTION = "<script>alert(1)</script>"
XSS_BRAND = "<img src=x onerror=alert(2)>"
# Imported with a verification policy, so these wait in the verifier's queue.
PENDING_CSV = (
    "lab,sample_id,sample_type,source,sold_as,description,brand,collected_on,region,technique,"
    "substance,detected,concentration,unit\n"
    "BE-DCA,PEND-1,powder,drug_checking,cocaine,,,2026-09-02,BE100,GC-MS,cocaine,true,61.5,%w/w\n"
    "BE-DCA,PEND-2,powder,drug_checking,cocaine,,,2026-09-02,BE100,GC-MS,cocaine,true,48.0,%w/w\n"
    f"BE-DCA,XSS-1,powder,drug_checking,speed,\"{XSS_DESCRIPTION}\",\"{XSS_BRAND}\",2026-09-03,BE100,"
    "GC-MS,amphetamine,true,22.0,%w/w\n"
)


# --------------------------------------------------------------------------------------------
# Reporting

class Abort(Exception):
    """A check the rest of a scenario depends on failed."""


class Report:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.passed = 0
        self.scenario = "setup"

    def step(self, text: str) -> None:
        print(f"browser-test: [{self.scenario}] {text}", flush=True)

    def check(self, ok: bool, message: str) -> bool:
        if ok:
            self.passed += 1
            print(f"browser-test: [{self.scenario}]   ok: {message}", flush=True)
        else:
            self.failures.append(f"[{self.scenario}] {message}")
            print(f"browser-test: [{self.scenario}]   FAIL: {message}", flush=True)
        return ok

    def require(self, ok: bool, message: str) -> None:
        if not self.check(ok, message):
            raise Abort(message)


R = Report()


# --------------------------------------------------------------------------------------------
# Plain HTTP with manual cookies (http.cookiejar never sends Secure cookies over http://)

class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def set_cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []


class Client:
    """One browser-less user agent: keeps its own cookies, never follows redirects."""

    def __init__(self, base: str, cookies: dict[str, str] | None = None) -> None:
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.cookies: dict[str, str] = dict(cookies or {})

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            resp = Response(r.status, r.msg, r.read())
        finally:
            conn.close()
        for line in resp.set_cookies():
            c = http.cookies.SimpleCookie()
            try:
                c.load(line)
            except http.cookies.CookieError:
                continue
            for name, morsel in c.items():
                gone = morsel["max-age"] in ("0", "-1") or morsel.value == ""
                if not gone and morsel["expires"]:
                    try:
                        gone = time.mktime(time.strptime(morsel["expires"], "%a, %d %b %Y %H:%M:%S GMT")) < time.time() - time.timezone
                    except ValueError:
                        pass
                if gone:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return resp

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_multipart(self, path: str, fields: dict[str, str], files: list[tuple[str, str, bytes]],
                       headers: dict[str, str] | None = None) -> Response:
        boundary = "----drugcheck-browser-test-" + uuid.uuid4().hex
        out = bytearray()
        for k, v in fields.items():
            out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").encode()
        for field, filename, data in files:
            out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
                    "Content-Type: text/csv\r\n\r\n").encode() + data + b"\r\n"
        out += f"--{boundary}--\r\n".encode()
        return self.request("POST", path, bytes(out), {"Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})})

    @property
    def session(self) -> str | None:
        return self.cookies.get(COOKIE)


class FormParser(HTMLParser):
    """The forms of a page: attributes and their input/button/select fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = {"attrs": a, "fields": []}
            self.forms.append(self._current)
        elif tag in ("input", "button", "select", "textarea") and self._current is not None:
            self._current["fields"].append((tag, a))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_of(html: str) -> list[dict]:
    p = FormParser()
    p.feed(html)
    return p.forms


def csrf_in(html: str, form_id: str | None = None) -> str | None:
    for f in forms_of(html):
        if form_id and f["attrs"].get("id") != form_id:
            continue
        for tag, a in f["fields"]:
            if a.get("name") == "_csrf" and a.get("value"):
                return a["value"]
    return None


def http_login(base: str, user: str, cookies: dict[str, str] | None = None) -> tuple[Client, Response]:
    c = Client(base, cookies)
    page = c.get("/login")
    token = csrf_in(page.text, "login") or csrf_in(page.text)
    R.require(page.status == 200 and token is not None,
              f"GET /login answers 200 with form#login carrying _csrf (got {page.status}, _csrf {'found' if token else 'missing'})")
    r = c.post_form("/login", {"username": user, "password": PASSWORD, "totp": "", "_csrf": token})
    R.require(r.status == 303, f"POST /login as {user} answers 303 (got {r.status}: {r.text[:200]!r})")
    return c, r


def path_of(location: str) -> str:
    return urllib.parse.urlsplit(location).path


# --------------------------------------------------------------------------------------------
# The server and its database

class Setup:
    def __init__(self, binary: Path, out: Path, keep: bool, db: str = "") -> None:
        self.binary = binary
        self.out = out
        self.keep = keep
        self.work = Path(tempfile.mkdtemp(prefix="drugcheck-browser-"))
        # A new SQLite file, or an empty PostgreSQL database given with --db (rejected files kept in the work folder).
        self.db = db or str(self.work / "browser.sqlite")
        self.env = dict(os.environ, DRUGCHECK_DB=self.db, DRUGCHECK_USER="browser-test-setup",
                        DRUGCHECK_QUARANTINE=str(self.work / "quarantine"))
        self.server: subprocess.Popen | None = None
        self.server_log = self.work / "server.log"
        self.base = ""
        self.verification_config = self.work / "verification.json"
        self.verification_config.write_text('{"required": true, "rules": []}\n')
        self.pending_csv = self.work / "pending-be-dca.csv"
        self.pending_csv.write_text(PENDING_CSV)
        self.upload_file = ROOT / "Imports" / UPLOADED_EXPORT
        self.broken_file, self.broken_line, self.broken_id = self._broken_copy()

    def _broken_copy(self) -> tuple[Path, int, str]:
        """The first rows of the uploaded export with one sample_type made invalid."""
        lines = self.upload_file.read_text(encoding="utf-8").splitlines(keepends=True)
        header = lines[0].rstrip("\n").split(",")
        col = header.index("sample_type")
        broken_index = 3  # 0-based: file line 4
        fields = lines[broken_index].rstrip("\n").split(",")
        broken_id = fields[header.index("sample_id")]
        fields[col] = "crystal"
        lines[broken_index] = ",".join(fields) + "\n"
        path = self.work / "upload-broken-sample-type.csv"
        path.write_text("".join(lines[:6]), encoding="utf-8")
        return path, broken_index + 1, broken_id

    def cli(self, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        p = subprocess.run([str(self.binary), *args], input=stdin, text=True, capture_output=True,
                           env=self.env, cwd=self.work, timeout=600)
        if check and p.returncode != 0:
            raise RuntimeError(f"drugcheck {' '.join(args)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
        return p

    def prepare(self) -> None:
        R.step(f"work folder {self.work}, database {self.db}, binary {self.binary}")
        for args, want in ((("users", "add", "--help"), "--password-stdin"), (("serve", "--help"), "--port")):
            p = self.cli(*args, check=False)
            R.require(p.returncode == 0 and want in p.stdout,
                      f"`drugcheck {' '.join(args)}` works and mentions {want} (exit {p.returncode})")
        if self.db.startswith("postgres://"):
            self.cli("db", "migrate", "--db", self.db)
        imports = self.work / "imports"
        imports.mkdir()
        for f in sorted((ROOT / "Imports").iterdir()):
            if f.is_file() and f.name != UPLOADED_EXPORT and not f.name.startswith("broken-"):
                shutil.copy(f, imports / f.name)
        R.step(f"importing the examples except {UPLOADED_EXPORT}: {', '.join(sorted(p.name for p in imports.iterdir()))}")
        p = self.cli("import", str(imports))
        R.step(p.stdout.strip().splitlines()[-1] if p.stdout.strip() else "imported")
        R.step(f"importing {self.pending_csv.name} with verification required (PEND-1, PEND-2, XSS-1 wait for a verifier)")
        self.cli("import", str(self.pending_csv), "--lab", "BE-DCA", "--verification-config", str(self.verification_config))
        for name, role, lab in USERS:
            args = ["users", "add", name, "--role", role] + (["--lab", lab] if lab else []) + ["--password-stdin"]
            R.step(f"user {name} ({role}{', ' + lab if lab else ''})")
            self.cli(*args, stdin=PASSWORD + "\n")
        drafts = self.bulletins("draft")
        R.step(f"{len(drafts)} draft bulletin(s) after the imports")
        if not drafts:
            R.step("no drafts: running `drugcheck bulletins scan`")
            self.cli("bulletins", "scan")
        self.ministry_token = self.cli("tokens", "create", "--role", "ministry", "--quiet").stdout.strip()

    def bulletins(self, state: str | None = None) -> list[tuple[str, str, str]]:
        """(id, state, headline) from `drugcheck bulletins list`."""
        args = ["bulletins", "list"] + (["--state", state] if state else [])
        rows = []
        for line in self.cli(*args).stdout.splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0].strip().isdigit():
                rows.append((parts[0].strip(), parts[1].strip(), parts[-1].strip()))
        return rows

    def bulletin_state(self, bid: str) -> str | None:
        for i, state, _ in self.bulletins():
            if i == bid:
                return state
        return None

    def start(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        R.step(f"starting drugcheck serve on {self.base} (log {self.server_log})")
        log = open(self.server_log, "wb")
        self.server = subprocess.Popen(
            [str(self.binary), "serve", "--db", self.db, "--host", "127.0.0.1", "--port", str(port),
             "--verification-config", str(self.verification_config)],
            stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=self.work)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"drugcheck serve exited with {self.server.returncode}:\n{self.log_tail()}")
            try:
                if Client(self.base).get("/healthz").status == 200:
                    R.step("/healthz answers 200")
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"/healthz did not answer within 60 s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            R.step("stopping the server")
            self.server.terminate()
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self.server = None

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.server_log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def cleanup(self) -> None:
        self.stop()
        if self.keep:
            print(f"browser-test: kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# The browser

class Browser:
    def __init__(self, base: str, out: Path) -> None:
        self.base = base
        self.out = out
        self.shots = 0
        self.checked_login_form = False
        self.downloads = out / "downloads"
        shutil.rmtree(self.downloads, ignore_errors=True)
        self.downloads.mkdir(parents=True, exist_ok=True)
        o = webdriver.ChromeOptions()
        o.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={WINDOW}",
                  "--lang=en-GB"):
            o.add_argument(a)
        o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        o.add_experimental_option("prefs", {"download.default_directory": str(self.downloads),
                                            "download.prompt_for_download": False,
                                            "intl.accept_languages": "en-GB,en"})
        self.d = webdriver.Chrome(options=o, service=Service(CHROMEDRIVER))
        self.d.set_page_load_timeout(60)

    def quit(self) -> None:
        try:
            self.d.quit()
        except WebDriverException:
            pass

    # ---- navigation and per-page checks

    def path(self) -> str:
        return urllib.parse.urlsplit(self.d.current_url).path

    def go(self, path: str, who: str, page: str, expect_status: int | None = None) -> None:
        R.step(f"{who}: GET {path}")
        try:
            self.d.get(self.base + path)
        except UnexpectedAlertPresentException:
            pass
        self.page_done(who, page, expect_status)

    def page_done(self, who: str, page: str, expect_status: int | None = None) -> None:
        """After every page: an alert must not be open, screenshot, no SEVERE console entries."""
        alert_text = None
        try:
            alert = self.d.switch_to.alert
            alert_text = alert.text
            alert.accept()
        except NoAlertPresentException:
            pass
        R.check(alert_text is None, f"{who}/{page}: no JavaScript dialog is open (found one saying {alert_text!r})")
        try:
            WebDriverWait(self.d, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
        except TimeoutException:
            R.check(False, f"{who}/{page}: document.readyState is 'complete' within 10 s")
        self.shots += 1
        name = f"{self.shots:02d}-{who}-{re.sub(r'[^A-Za-z0-9]+', '-', page).strip('-')}.png"
        self.d.save_screenshot(str(self.out / name))
        severe = []
        for e in self.d.get_log("browser"):
            if e.get("level") != "SEVERE":
                continue
            msg = e.get("message", "")
            # The page's own expected error status (401 for a failed login, 403 forbidden) is
            # logged by Chrome as "Failed to load resource"; nothing else is tolerated.
            if expect_status and f"status of {expect_status}" in msg and urllib.parse.urlsplit(self.d.current_url).path in msg:
                continue
            severe.append(msg)
        R.check(not severe, f"{who}/{page} ({self.path()}): no SEVERE browser console entries {severe if severe else ''}".rstrip())
        # Accessibility basics: one h1, every form control labelled, every chart named.
        problems = self.d.execute_script("""
            const out = [];
            if (document.querySelectorAll('h1').length !== 1) out.push('h1 count ' + document.querySelectorAll('h1').length);
            for (const e of document.querySelectorAll('input, select, textarea')) {
              if (['hidden', 'submit', 'button'].includes(e.type)) continue;
              const labelled = (e.id && document.querySelector('label[for="' + e.id + '"]')) || e.closest('label') || e.getAttribute('aria-label');
              if (!labelled) out.push('unlabelled ' + e.tagName + ' ' + (e.name || ''));
            }
            for (const svg of document.querySelectorAll('main svg')) {
              if (svg.getAttribute('role') !== 'img' || !svg.querySelector('title')) out.push('unnamed svg ' + svg.getAttribute('class'));
            }
            if (!document.documentElement.lang) out.push('no lang on html');
            return out;""")
        R.check(not problems, f"{who}/{page}: headings, labels and chart names are in place {problems if problems else ''}".rstrip())

    def css(self, selector: str):
        return self.d.find_elements(By.CSS_SELECTOR, selector)

    def has(self, selector: str) -> bool:
        return len(self.css(selector)) > 0

    def wait_path(self, predicate, timeout: float = 20) -> bool:
        try:
            WebDriverWait(self.d, timeout).until(lambda d: predicate(urllib.parse.urlsplit(d.current_url).path))
            return True
        except TimeoutException:
            return False

    def cookie(self) -> str | None:
        c = self.d.get_cookie(COOKIE)
        return c["value"] if c else None

    def submit(self, form, choice: tuple[str, str] | None = None) -> None:
        """Submit a form by clicking its submit button (the one named/valued `choice` if given)."""
        before = self.d.current_url
        button = None
        if choice:
            name, value = choice
            found = form.find_elements(By.CSS_SELECTOR, f'button[name="{name}"][value="{value}"], input[type=submit][name="{name}"][value="{value}"]')
            if found:
                button = found[0]
            else:
                radios = form.find_elements(By.CSS_SELECTOR, f'input[type=radio][name="{name}"][value="{value}"]')
                if radios:
                    radios[0].click()
                for sel in form.find_elements(By.CSS_SELECTOR, f'select[name="{name}"]'):
                    self.d.execute_script("arguments[0].value = arguments[1]", sel, value)
        if button is None:
            found = form.find_elements(By.CSS_SELECTOR, 'button[type=submit], input[type=submit], button:not([type])')
            button = found[0] if found else None
        if button is not None:
            button.click()
        else:
            form.submit()
        try:
            WebDriverWait(self.d, 30).until(lambda d: d.current_url != before or d.execute_script("return document.readyState") == "complete")
        except TimeoutException:
            pass
        time.sleep(0.2)
        try:
            WebDriverWait(self.d, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        except (TimeoutException, UnexpectedAlertPresentException):
            pass

    def login(self, user: str, password: str = PASSWORD, attacker_cookie: str | None = None,
              expect_failure: bool = False) -> None:
        """Log in through form#login (the browser's cookies are cleared first); the page landed on
        is checked and screenshotted as '<user>-after-login'."""
        self.d.delete_all_cookies()
        self.go("/login", user, "login")
        if attacker_cookie is not None:
            self.d.add_cookie({"name": COOKIE, "value": attacker_cookie, "path": "/"})
        forms = self.css("form#login")
        R.require(bool(forms), f"{user}: /login has form#login")
        form = forms[0]
        for field in (("username", "password", "totp", "_csrf") if not self.checked_login_form else ()):
            R.check(bool(form.find_elements(By.CSS_SELECTOR, f'[name="{field}"]')), f"{user}: form#login has a field named {field}")
        self.checked_login_form = True
        form.find_element(By.CSS_SELECTOR, '[name="username"]').send_keys(user)
        form.find_element(By.CSS_SELECTOR, '[name="password"]').send_keys(password)
        R.step(f"{user}: submitting form#login")
        self.submit(form)
        if not expect_failure:
            self.wait_path(lambda p: p != "/login")
        R.step(f"{user}: after login at {self.path()}")
        self.page_done(user, "login-failed" if expect_failure else "after-login",
                       expect_status=401 if expect_failure else None)


# --------------------------------------------------------------------------------------------
# Scenarios

class Ctx:
    def __init__(self, setup: Setup, browser: Browser) -> None:
        self.s = setup
        self.b = browser
        self.base = setup.base
        self.published: str | None = None


def role_of(user: str) -> str:
    return ROLE_OF[user]


def scenario_login(c: Ctx) -> None:
    """Every role logs in through /login and lands on its home page; a wrong password is refused."""
    b = c.b
    b.d.delete_all_cookies()
    b.go("/login", "anonymous", "login")
    R.check(b.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en",
            "/login: <html lang=\"en\"> for an English browser")
    b.login("verifier", password="wrong-password", expect_failure=True)
    errors = [e.text.strip() for e in b.css("p.error") if e.text.strip()]
    R.check(bool(errors), f"a wrong password: the login page shows a non-empty p.error ({errors})")
    R.check(b.path() == "/login", f"a wrong password: still on /login (at {b.path()})")
    R.check(b.cookie() is None or Client(c.base, {COOKIE: b.cookie()}).get("/verify").status != 200,
            "a wrong password: no session that opens /verify")
    cl = Client(c.base)
    page = cl.get("/login")
    r = cl.post_form("/login", {"username": "verifier", "password": "wrong-password", "totp": "",
                                "_csrf": csrf_in(page.text, "login") or ""})
    R.check(r.status in (401, 403), f"POST /login with a wrong password answers 401 (got {r.status})")
    for user, role, _ in USERS:
        b.login(user)
        landed = b.wait_path(lambda p: p != "/login")
        R.check(landed and b.path() == HOME[role],
                f"{user} ({role}) lands on {HOME[role]} after login (at {b.path()})")
        R.check(not b.has("h1#forbidden"), f"{user}: the home page is not 403 (h1#forbidden)")
        R.check(b.has("form#logout"), f"{user}: the page header has form#logout")
        R.check(b.cookie() is not None, f"{user}: the browser holds a {COOKIE} cookie")
        b.go("/", user, "root")
        R.check(b.path() == HOME[role], f"{user}: / sends {role} to {HOME[role]} (at {b.path()})")


def scenario_lab(c: Ctx) -> None:
    """A lab uploads a real export (accepted) and a broken copy (rejected, with its line)."""
    b = c.b
    b.login("lab-dca")
    b.go("/lab", "lab-dca", "lab")
    R.require(b.has("form#upload"), "/lab has form#upload")
    R.check(b.has("form#register"), "/lab has form#register")
    R.check(b.has('form#register input[name="manifest"]'), "form#register has a file input named manifest")
    R.require(b.has('form#upload input[name="files"]'), "form#upload has input[name=files]")
    R.check(b.css('form#upload input[name="files"]')[0].get_attribute("multiple") is not None,
            "form#upload input[name=files] accepts several files (multiple)")

    for path, expect in ((c.s.upload_file, "accepted"), (c.s.broken_file, "rejected")):
        b.go("/lab", "lab-dca", "lab")
        R.step(f"lab-dca: uploading {path.name} through form#upload")
        b.css('form#upload input[name="files"]')[0].send_keys(str(path))
        b.submit(b.css("form#upload")[0])
        R.check(b.wait_path(lambda p: p == "/lab/imports"), f"upload of {path.name} ends on /lab/imports (at {b.path()})")
        b.page_done("lab-dca", f"imports-after-{expect}")
        R.require(b.has("table#imports"), "/lab/imports has table#imports")
        rows = [r for r in b.css("table#imports tr.import") if path.name in r.text]
        R.require(bool(rows), f"table#imports has a tr.import for {path.name}")
        cls = rows[0].get_attribute("class").split()
        R.check(expect in cls, f"the row of {path.name} is tr.import.{expect} (classes {cls})")
        if expect == "rejected":
            problems = rows[0].find_elements(By.CSS_SELECTOR, "li.problem")
            if not problems:  # the problems may sit in a row of their own right after the file's row
                problems = b.css("table#imports li.problem")
            R.require(bool(problems), f"the rejected {path.name} lists its problems as li.problem")
            texts = [p.text for p in problems]
            hit = [p for p in problems if "crystal" in p.text]
            R.check(bool(hit), f"an li.problem names the bad value 'crystal' ({texts})")
            if hit:
                p = hit[0]
                R.check(re.search(rf"(?<!\d){c.s.broken_line}(?!\d)", p.text) is not None,
                        f"the li.problem shows line {c.s.broken_line} ({p.text!r})")
                code = p.find_elements(By.TAG_NAME, "code")
                R.check(any(c.s.broken_id in e.text for e in code),
                        f"the li.problem shows the offending line (with {c.s.broken_id}) in <code> ({[e.text for e in code]})")
                R.check("sample_type" in p.text, f"the li.problem names the column sample_type ({p.text!r})")
    b.go("/samples", "lab-dca", "samples")
    R.check(b.has("form#filters"), "/samples has form#filters")
    R.require(b.has("table#samples"), "/samples has table#samples")
    R.check("DCA-36001" in b.css("table#samples")[0].text, "/samples lists DCA-36001 after the upload")


def find_decision_forms(b: Browser, lab: str, sid: str):
    forms = []
    for f in b.css("form.decision"):
        action = urllib.parse.unquote(f.get_attribute("action") or "")
        if action.endswith(f"/verify/{lab}/{sid}"):
            forms.append(f)
    return forms


def scenario_verify(c: Ctx) -> None:
    """The verifier verifies PEND-1 in /verify; it leaves the queue."""
    b = c.b
    b.login("verifier")
    b.go("/verify", "verifier", "verify")
    R.require(b.has("table#queue"), "/verify has table#queue")
    forms = find_decision_forms(b, "BE-DCA", "PEND-1")
    R.require(bool(forms), "table#queue has a form.decision posting to /verify/BE-DCA/PEND-1")
    target = None
    for f in forms:
        if f.find_elements(By.CSS_SELECTOR, '[name="decision"][value="verify"]'):
            target = f
            break
    R.require(target is not None, "a form.decision of PEND-1 offers decision=verify")
    R.check(any(f.find_elements(By.CSS_SELECTOR, '[name="decision"][value="reject"]') for f in forms)
            and any(f.find_elements(By.CSS_SELECTOR, '[name="reason"]') for f in forms),
            "PEND-1 can also be rejected (decision=reject with a reason field)")
    R.step("verifier: verifying BE-DCA/PEND-1")
    b.submit(target, ("decision", "verify"))
    R.check(b.wait_path(lambda p: p == "/verify"), f"the decision ends on /verify (at {b.path()})")
    b.page_done("verifier", "verify-after")
    R.check(not find_decision_forms(b, "BE-DCA", "PEND-1"), "PEND-1 has left the queue (no form.decision for it)")
    R.check("PEND-1" not in (b.css("table#queue")[0].text if b.has("table#queue") else ""),
            "PEND-1 is no longer listed in table#queue")
    R.check(bool(find_decision_forms(b, "BE-DCA", "PEND-2")), "PEND-2 is still waiting in the queue")
    pending = c.s.cli("samples", "--status", "submitted").stdout
    R.check("PEND-1" not in pending and "PEND-2" in pending,
            "the database agrees: PEND-1 no longer submitted, PEND-2 still is")
    b.go("/samples/BE-DCA/PEND-1", "verifier", "sample")
    for sel in ("#findings", "#evidence", "#verification", "#history"):
        R.check(b.has(sel), f"/samples/BE-DCA/PEND-1 has {sel}")
    # The example mzML's spectra were identified on import: its page draws them against the library.
    b.go("/samples/BE-NICC/NICC-2026-0478", "verifier", "sample-spectra")
    R.check(len(b.css("#evidence svg.mirror-plot")) >= 1, "/samples/BE-NICC/NICC-2026-0478 draws a mirror plot in #evidence")
    R.check("Fentanyl" in (b.css("#evidence")[0].text if b.has("#evidence") else ""),
            "the evidence names the library hit (Fentanyl)")


def review_forms(b: Browser) -> dict[str, object]:
    """form.action elements by the action they carry (button or hidden input named action)."""
    out = {}
    for f in b.css("form.action"):
        for e in f.find_elements(By.CSS_SELECTOR, '[name="action"]'):
            v = e.get_attribute("value")
            if v:
                out.setdefault(v, f)
    return out


def scenario_review(c: Ctx) -> None:
    """Reviewer A approves a draft bulletin; reviewer B publishes it."""
    b = c.b
    drafts = c.s.bulletins("draft")
    R.require(bool(drafts), "there is a draft bulletin to review")
    bid, _, headline = drafts[0]
    R.step(f"bulletin {bid}: {headline}")
    b.login("reviewer-a")
    b.go("/review", "reviewer-a", "review")
    R.require(b.has("table#bulletins"), "/review has table#bulletins")
    links = [a for a in b.css("table#bulletins a") if path_of(a.get_attribute("href") or "") == f"/review/{bid}"]
    R.check(bool(links), f"table#bulletins links to /review/{bid}")
    if links:
        links[0].click()
        b.wait_path(lambda p: p == f"/review/{bid}")
        b.page_done("reviewer-a", f"review-{bid}")
    else:
        b.go(f"/review/{bid}", "reviewer-a", f"review-{bid}")
    for lang in ("en", "nl", "fr", "de"):
        R.check(b.has(f'.bulletin-text[lang="{lang}"]'), f"/review/{bid} shows .bulletin-text[lang={lang}]")
    for sel in ("#evidence", "#diff"):
        R.check(b.has(sel), f"/review/{bid} has {sel}")
    actions = review_forms(b)
    R.require("approve" in actions, f"/review/{bid} has a form.action with action=approve (found {sorted(actions)})")
    R.step(f"reviewer-a: approving bulletin {bid}")
    b.submit(actions["approve"], ("action", "approve"))
    R.check(b.wait_path(lambda p: p == f"/review/{bid}"), f"approving ends on /review/{bid} (at {b.path()})")
    b.page_done("reviewer-a", f"review-{bid}-approved")
    R.require(c.s.bulletin_state(bid) == "approved", f"bulletin {bid} is approved (state {c.s.bulletin_state(bid)})")

    # Approved once: the page offers no second approval (four eyes is approver ≠ drafter/editor,
    # as in `drugcheck bulletins`); a second reviewer publishes.
    actions = review_forms(b)
    R.check("approve" not in actions, f"/review/{bid} offers no second approval once approved (found {sorted(actions)})")

    b.login("reviewer-b")
    b.go(f"/review/{bid}", "reviewer-b", f"review-{bid}")
    actions = review_forms(b)
    R.require("publish" in actions, f"reviewer-b: /review/{bid} has a form.action with action=publish (found {sorted(actions)})")
    R.step(f"reviewer-b: publishing bulletin {bid}")
    b.submit(actions["publish"], ("action", "publish"))
    R.check(b.wait_path(lambda p: p == f"/review/{bid}"), f"publishing ends on /review/{bid} (at {b.path()})")
    b.page_done("reviewer-b", f"review-{bid}-published")
    R.require(c.s.bulletin_state(bid) == "published", f"bulletin {bid} is published (state {c.s.bulletin_state(bid)})")
    c.published = bid


def ensure_published(c: Ctx) -> str | None:
    if c.published:
        return c.published
    published = c.s.bulletins("published")
    if published:
        c.published = published[0][0]
        return c.published
    drafts = c.s.bulletins("draft")
    if not drafts:
        return None
    bid = drafts[0][0]
    R.step(f"(the review scenario published nothing: publishing bulletin {bid} by the CLI so /bulletins can be checked)")
    c.s.cli("bulletins", "approve", bid, "--user", "cli-reviewer-a")
    c.s.cli("bulletins", "publish", bid, "--user", "cli-reviewer-b")
    c.published = bid
    return bid


def check_bulletin_list(c: Ctx, who: str, bid: str) -> None:
    b = c.b
    b.go("/bulletins", who, "bulletins")
    R.check(not b.has("h1#forbidden") and b.path() == "/bulletins", f"{who}: /bulletins opens (at {b.path()})")
    links = [a for a in b.css("a") if path_of(a.get_attribute("href") or "") == f"/bulletins/{bid}"]
    R.check(bool(links), f"{who}: /bulletins links to the published bulletin /bulletins/{bid}")
    R.check(b.has('link[rel="alternate"][type="application/atom+xml"]'),
            f"{who}: /bulletins has link[rel=alternate][type=application/atom+xml]")
    if links:
        links[0].click()
        b.wait_path(lambda p: p == f"/bulletins/{bid}")
        b.page_done(who, f"bulletin-{bid}")
        R.check(b.path() == f"/bulletins/{bid}", f"{who}: the link opens /bulletins/{bid} (at {b.path()})")


def scenario_bulletins(c: Ctx) -> None:
    """The published bulletin shows on /bulletins for a subscriber and for the public."""
    bid = ensure_published(c)
    R.require(bid is not None, "a published bulletin exists")
    b = c.b
    b.login("subscriber")
    check_bulletin_list(c, "subscriber", bid)
    b.go("/subscriber", "subscriber", "subscriber")
    R.check(b.has("form#webhook"), "/subscriber has form#webhook")
    b.d.delete_all_cookies()
    check_bulletin_list(c, "public", bid)
    b.go("/bulletins?lang=nl", "public", "bulletins-nl")
    R.check(b.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl", "/bulletins?lang=nl has <html lang=\"nl\">")


def scenario_ministry(c: Ctx) -> None:
    """The ministry's page: charts, and the CSV download."""
    b = c.b
    b.login("ministry")
    b.go("/ministry", "ministry", "ministry")
    for sel in ("#key-findings", "#prevalence svg", "#map svg", "#sold-as", "#first-seen", "#signals"):
        R.check(b.has(sel), f"/ministry has {sel}")
    R.check(b.has("#prevalence svg.small-multiples"), "/ministry: #prevalence has svg.small-multiples")
    R.check(b.has("#map svg.choropleth"), "/ministry: #map has svg.choropleth")
    formats = {a.get_attribute("data-format"): a for a in b.css("a.download")}
    R.check({"csv", "json", "html"} <= set(formats), f"/ministry has a.download for csv, json and html (found {sorted(f for f in formats if f)})")
    R.require("csv" in formats, "/ministry has a.download[data-format=csv]")
    href = formats["csv"].get_attribute("href")
    R.step(f"ministry: CSV link {href}")
    cookie = b.cookie()
    # Click it: Chrome either downloads the file or shows it; either way its first line is the header.
    for f in b.downloads.iterdir():
        f.unlink()
    formats["csv"].click()
    first_line = None
    deadline = time.time() + 15
    while time.time() < deadline and first_line is None:
        done = [f for f in b.downloads.iterdir() if not f.name.endswith(".crdownload") and not f.name.startswith(".")]
        # Chromium may show the final name before the bytes are in it (seen once in CI): wait for them.
        if done and done[0].stat().st_size:
            first_line = done[0].read_text(errors="replace").splitlines()[0]
            R.step(f"ministry: the click downloaded {done[0].name}")
        elif not done and path_of(b.d.current_url) != "/ministry":
            first_line = (b.d.find_element(By.TAG_NAME, "body").text.splitlines() or [""])[0]
            R.step(f"ministry: the click opened {b.d.current_url}")
        time.sleep(0.3)
    R.check(first_line is not None, "clicking the CSV link downloads or shows the report within 15 s")
    cl = Client(c.base, {COOKIE: cookie} if cookie else {})
    u = urllib.parse.urlsplit(href)
    r = cl.get(u.path + ("?" + u.query if u.query else ""))
    R.require(r.status == 200, f"GET {u.path}?{u.query} with the session cookie answers 200 (got {r.status})")
    header = r.text.splitlines()[0] if r.text else ""
    for name, line in (("downloaded", header), ("clicked", first_line)):
        if line is None:
            continue
        cols = line.lstrip("\ufeff").split(",")
        R.check(len(cols) >= 3 and cols[0] == "week" and all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_ ]*", x) for x in cols),
                f"the {name} CSV's first line is a header starting with week ({line[:120]!r})")
    week = urllib.parse.parse_qs(u.query).get("week", [None])[0]
    if week:
        api = Client(c.base).request("GET", f"/v1/reports/weekly/{week}.csv", headers={"Authorization": f"Bearer {c.s.ministry_token}"})
        R.check(api.status == 200 and api.body == r.body,
                f"/ministry/report.csv?week={week} is the same bytes as /v1/reports/weekly/{week}.csv ({api.status}, {len(api.body)} vs {len(r.body)} bytes)")
    b.go("/ministry/trend?class=nitazene", "ministry", "trend")
    R.check(b.has("svg.trend"), "/ministry/trend?class=nitazene has svg.trend")
    # On a phone (390 px wide): the page does not scroll sideways (wide tables scroll in their own box).
    width, height = (int(x) for x in WINDOW.split(","))
    b.d.set_window_size(390, 844)
    try:
        for path, page in (("/ministry", "ministry-phone"), ("/samples", "samples-phone")):
            if path == "/samples":
                b.login("verifier")
            b.go(path, "phone", page)
            overflow = b.d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            R.check(overflow <= 1, f"{path} on a 390 px wide screen has no sideways scrolling (overflow {overflow} px)")
    finally:
        b.d.set_window_size(width, height)


def scenario_admin(c: Ctx) -> None:
    b = c.b
    b.login("admin")
    b.go("/admin", "admin", "admin")
    for sel in ("#users", "form#add-user", "#labs", "#tokens", "#subscribers", "#drop-folder"):
        R.check(b.has(sel), f"/admin has {sel}")
    if b.has("#users"):
        text = b.css("#users")[0].text
        R.check(all(name in text for name, _, _ in USERS), "#users lists every user the set-up created")
    b.go("/lab/imports", "admin", "lab-imports")
    R.check(b.has("table#imports"), "admin: /lab/imports has table#imports")
    b.go("/audit", "admin", "audit")
    R.check(b.has("table#audit"), "admin: /audit has table#audit")


# ---- security (plain HTTP with real session cookies)

def scenario_csrf(c: Ctx) -> None:
    """A POST without _csrf (or with a wrong one) is refused with 403 and changes nothing."""
    lab, _ = http_login(c.base, "lab-dca")
    probe = b"lab,sample_id,sample_type,collected_on,substance,detected\nBE-DCA,CSRF-1,powder,2026-09-02,cocaine,true\n"
    for label, fields in (("without _csrf", {}), ("with a wrong _csrf", {"_csrf": "not-the-token"})):
        r = lab.post_multipart("/lab/upload", fields, [("files", "csrf-probe.csv", probe)])
        R.check(r.status == 403, f"lab-dca: POST /lab/upload {label} answers 403 (got {r.status})")
    imports = lab.get("/lab/imports").text
    samples = c.s.cli("samples", check=False).stdout
    R.check("csrf-probe.csv" not in imports and "CSRF-1" not in samples,
            "the refused uploads imported nothing (csrf-probe.csv not in /lab/imports, CSRF-1 not in the database)")
    # The control: the token as X-CSRF-Token header (instead of the field) is accepted.
    token = csrf_in(lab.get("/lab").text, "upload")
    R.require(token is not None, "form#upload carries _csrf")
    probe2 = probe.replace(b"CSRF-1", b"CSRF-2")
    r = lab.post_multipart("/lab/upload", {}, [("files", "csrf-header.csv", probe2)], {"X-CSRF-Token": token})
    R.check(r.status == 303 and path_of(r.location) == "/lab/imports",
            f"lab-dca: POST /lab/upload with X-CSRF-Token (no field) answers 303 to /lab/imports (got {r.status} {r.location!r})")
    R.check("CSRF-2" in c.s.cli("samples", check=False).stdout, "the upload with X-CSRF-Token imported CSRF-2")

    ver, _ = http_login(c.base, "verifier")
    r = ver.post_form("/verify/BE-DCA/PEND-2", {"decision": "verify"})
    R.check(r.status == 403, f"verifier: POST /verify/BE-DCA/PEND-2 without _csrf answers 403 (got {r.status})")
    R.check("PEND-2" in c.s.cli("samples", "--status", "submitted").stdout, "PEND-2 is still waiting for verification")

    r = lab.post_form("/logout", {})
    R.check(r.status == 403, f"POST /logout without _csrf answers 403 (got {r.status})")
    r = lab.get("/lab")
    R.check(r.status == 200, f"the session survives a refused logout (GET /lab answers {r.status})")


def scenario_session(c: Ctx) -> None:
    """Session fixation: the id changes at login and the one sent before is not valid."""
    b = c.b
    b.login("verifier", attacker_cookie="attacker")
    after = b.cookie()
    R.check(after is not None and after != "attacker",
            f"browser: the {COOKIE} cookie after login is a new id, not the one planted ({after!r})")
    r = Client(c.base, {COOKIE: "attacker"}).get("/verify")
    R.check(r.status == 303 and path_of(r.location) == "/login",
            f"the planted id 'attacker' does not open /verify (got {r.status} to {r.location!r})")
    if after:
        R.check(Client(c.base, {COOKIE: after}).get("/verify").status == 200, "the new id opens /verify")

    # A session id the server issued before login (if it issues one with the login form) is discarded too.
    cl = Client(c.base)
    cl.get("/login")
    before = cl.session
    cl2, r = http_login(c.base, "verifier", cl.cookies)
    R.check(cl2.session is not None and cl2.session != before,
            f"HTTP: the session id after login differs from the one before ({before!r} -> {cl2.session!r})")
    if before:
        r = Client(c.base, {COOKIE: before}).get("/verify")
        R.check(r.status == 303, f"the pre-login id does not open /verify (got {r.status})")
    # Logging in again with a live session: a new id, and the old one stops working.
    old = cl2.session
    page = cl2.get("/login")
    token = csrf_in(page.text, "login") or csrf_in(page.text)
    for other in ("/verify", "/bulletins"):  # /login redirects a live session home: the header's form#logout token
        token = token or csrf_in(cl2.get(other).text, "logout")
    r = cl2.post_form("/login", {"username": "verifier", "password": PASSWORD, "totp": "", "_csrf": token or ""})
    R.check(r.status == 303 and cl2.session not in (None, old),
            f"logging in again issues a new id ({r.status}, {old!r} -> {cl2.session!r})")
    if cl2.session not in (None, old):
        r = Client(c.base, {COOKIE: old}).get("/verify")
        R.check(r.status == 303, f"the id of the earlier session no longer opens /verify (got {r.status})")
    # The cookie's attributes.
    c2 = Client(c.base)
    page = c2.get("/login")
    r = c2.post_form("/login", {"username": "verifier", "password": PASSWORD, "totp": "",
                                "_csrf": csrf_in(page.text, "login") or ""})
    raw = [h for h in r.set_cookies() if h.startswith(COOKIE + "=")]
    R.require(bool(raw), f"POST /login sets {COOKIE}")
    attrs = [a.strip().lower() for a in raw[-1].split(";")[1:]]
    for want in ("httponly", "samesite=strict", "secure", "path=/"):
        R.check(want in attrs, f"the {COOKIE} cookie has {want} ({raw[-1]!r})")


def scenario_isolation(c: Ctx) -> None:
    """A lab sees neither another lab's sample page nor its rows."""
    b = c.b
    b.login("lab-dca")
    cookie = b.cookie()
    cl = Client(c.base, {COOKIE: cookie} if cookie else {})
    r = cl.get("/samples/BE-NICC/NICC-36001")
    R.check(r.status in (403, 404), f"lab-dca: GET /samples/BE-NICC/NICC-36001 answers 403 or 404 (got {r.status})")
    b.go("/samples/BE-NICC/NICC-36001", "lab-dca", "other-lab-sample", expect_status=r.status)
    R.check(not any(b.has(x) for x in ("#findings", "#evidence", "#verification", "#history")),
            "lab-dca: the other lab's sample page shows none of its sections (#findings, #evidence, #verification, #history)")
    r = cl.get("/samples/BE-DCA/DCA-36001")
    R.check(r.status == 200, f"lab-dca: its own sample /samples/BE-DCA/DCA-36001 answers 200 (got {r.status})")
    for q in ("/samples", "/samples?lab=BE-NICC", "/samples?type=powder"):
        b.go(q, "lab-dca", "samples")
        body = b.d.find_element(By.TAG_NAME, "body").text
        R.check("NICC-" not in body and not [a for a in b.css("a") if "/samples/BE-NICC/" in (a.get_attribute("href") or "")],
                f"lab-dca: {q} shows no BE-NICC rows")
        R.check("DCA-" in body, f"lab-dca: {q} shows its own BE-DCA rows")
    other, _ = http_login(c.base, "lab-nicc")
    r = other.get("/samples/BE-DCA/XSS-1")
    R.check(r.status in (403, 404), f"lab-nicc: GET /samples/BE-DCA/XSS-1 answers 403 or 404 (got {r.status})")
    r = other.get("/samples")
    R.check(r.status == 200 and "DCA-" not in r.text and "NICC-" in r.text,
            f"lab-nicc: /samples shows its own rows and none of BE-DCA (status {r.status})")
    r = cl.get("/admin")
    R.check(r.status == 403 and 'id="forbidden"' in r.text, f"lab-dca: /admin answers 403 with h1#forbidden (got {r.status})")
    b.go("/admin", "lab-dca", "admin-forbidden", expect_status=403)
    R.check(b.has("h1#forbidden"), "lab-dca: /admin shows h1#forbidden")


def scenario_logout(c: Ctx) -> None:
    """After logout the old cookie is redirected to /login; without a session too (with next)."""
    b = c.b
    b.login("verifier")
    old = b.cookie()
    R.require(old is not None, "verifier holds a session cookie")
    forms = b.css("form#logout")
    R.require(bool(forms), "the page has form#logout")
    b.submit(forms[0])
    R.check(b.wait_path(lambda p: p == "/login"), f"logging out ends on /login (at {b.path()})")
    b.page_done("verifier", "logged-out")
    r = Client(c.base, {COOKIE: old}).get("/verify")
    R.check(r.status == 303 and path_of(r.location) == "/login",
            f"after logout the old cookie on /verify answers 303 to /login (got {r.status} to {r.location!r})")
    r = Client(c.base).get("/verify")
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)
    R.check(r.status == 303 and path_of(r.location) == "/login" and q.get("next") == ["/verify"],
            f"without a session /verify answers 303 to /login?next=/verify (got {r.status} to {r.location!r})")
    # next= takes the user back after login, and only to a local path.
    b.d.delete_all_cookies()
    b.go("/login?next=/samples", "verifier", "login-next")
    form = b.css("form#login")[0]
    form.find_element(By.CSS_SELECTOR, '[name="username"]').send_keys("verifier")
    form.find_element(By.CSS_SELECTOR, '[name="password"]').send_keys(PASSWORD)
    b.submit(form)
    R.check(b.wait_path(lambda p: p != "/login") and b.path() == "/samples", f"login with next=/samples lands on /samples (at {b.path()})")
    cl = Client(c.base)
    page = cl.get("/login?next=https://evil.example/")
    r = cl.post_form("/login?next=https://evil.example/", {"username": "verifier", "password": PASSWORD, "totp": "",
                                                          "next": "https://evil.example/", "_csrf": csrf_in(page.text) or ""})
    R.check(r.status == 303 and "evil.example" not in r.location, f"next=https://evil.example/ is not followed (got {r.status} to {r.location!r})")


def scenario_xss(c: Ctx) -> None:
    """A sample description with <script> is shown as text."""
    b = c.b
    b.login("verifier")
    cookie = b.cookie()
    raw = Client(c.base, {COOKIE: cookie} if cookie else {}).get("/samples/BE-DCA/XSS-1")
    R.require(raw.status == 200, f"GET /samples/BE-DCA/XSS-1 answers 200 (got {raw.status})")
    R.check("&lt;script&gt;" in raw.text, "the sample page's HTML has the description escaped (&lt;script&gt;)")
    R.check(XSS_DESCRIPTION not in raw.text and XSS_BRAND not in raw.text,
            "the sample page's HTML does not contain the description's or brand's markup unescaped")
    b.go("/samples/BE-DCA/XSS-1", "verifier", "sample-xss")  # page_done checks that no alert is open
    body = b.d.find_element(By.TAG_NAME, "body").text
    R.check(XSS_DESCRIPTION in body, "the description <script>alert(1)</script> is shown as text on the sample page")
    R.check("&lt;script&gt;" in b.d.page_source, "the page source (DOM) holds the description as text (&lt;script&gt;)")
    R.check(not b.css('img[src="x"]'), "the brand's <img onerror> is not an element")
    for path, page in (("/verify", "verify-xss"), ("/samples", "samples-xss")):
        b.go(path, "verifier", page)  # the description may be listed there too: no dialog, no SEVERE


SCENARIOS = [
    ("login", scenario_login),
    ("lab", scenario_lab),
    ("verify", scenario_verify),
    ("review", scenario_review),
    ("bulletins", scenario_bulletins),
    ("ministry", scenario_ministry),
    ("admin", scenario_admin),
    ("csrf", scenario_csrf),
    ("session", scenario_session),
    ("isolation", scenario_isolation),
    ("logout", scenario_logout),
    ("xss", scenario_xss),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=".build/debug/drugcheck", help="the drugcheck executable")
    ap.add_argument("--out", default=".build/browser-screenshots", help="folder for the screenshots")
    ap.add_argument("--only", default="", help="comma-separated scenarios to run (" + ", ".join(n for n, _ in SCENARIOS) + ")")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (database, server log)")
    ap.add_argument("--db", default="", help="an empty PostgreSQL database (postgres://…) to serve instead of a new SQLite file")
    args = ap.parse_args()
    binary = Path(args.binary).resolve()
    out = Path(args.out).resolve()
    if not os.access(binary, os.X_OK):
        print(f"browser-test: {binary} is not an executable (build it first, or pass --binary)", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    for f in out.glob("*.png"):
        f.unlink()
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    unknown = only - {n for n, _ in SCENARIOS}
    if unknown:
        print(f"browser-test: unknown scenarios {sorted(unknown)}", file=sys.stderr)
        return 2

    def terminated(signum, frame):
        raise SystemExit(f"browser-test: stopped by signal {signum}")
    signal.signal(signal.SIGTERM, terminated)
    setup = Setup(binary, out, args.keep, args.db)
    browser = None
    try:
        try:
            setup.prepare()
            setup.start()
            R.step(f"starting headless Chromium ({CHROMIUM}, {CHROMEDRIVER})")
            browser = Browser(setup.base, out)
        except (Abort, RuntimeError, OSError, subprocess.TimeoutExpired, WebDriverException) as e:
            print(f"browser-test: SET-UP FAILED: {e}", file=sys.stderr)
            return 2
        ctx = Ctx(setup, browser)
        for name, fn in SCENARIOS:
            if only and name not in only:
                continue
            R.scenario = name
            R.step(f"--- {fn.__doc__.strip().splitlines()[0] if fn.__doc__ else name}")
            try:
                fn(ctx)
            except Abort:
                pass  # recorded by require()
            except Exception as e:  # a Selenium or HTTP error ends the scenario, not the run
                R.failures.append(f"[{name}] {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
                print(f"browser-test: [{name}]   ERROR: {type(e).__name__}: {e}", flush=True)
                traceback.print_exc(limit=3)
                try:
                    browser.page_done(name, "error")
                except Exception:
                    pass
            if setup.server and setup.server.poll() is not None:
                R.failures.append(f"[{name}] the server exited with {setup.server.returncode}")
                print(setup.log_tail(), file=sys.stderr)
                break
    finally:
        if browser:
            browser.quit()
        setup.cleanup()

    print(f"browser-test: {R.passed} checks passed, {len(R.failures)} failed; screenshots in {out}")
    if R.failures:
        print("browser-test: FAILURES:")
        for f in R.failures:
            print(f"  - {f}")
        return 1
    print("browser-test: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
