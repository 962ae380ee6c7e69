# ruff: noqa: S310 - the requests go to the servers this module starts on loopback
"""The private services of the fault test (tests/test_faults.py): a PostgreSQL cluster and a redis-server of
its own in a temporary folder, on free ports, and the site in production mode (deploy/run-prod) against them.
Nothing here touches the machine's shared PostgreSQL or Redis."""

import contextlib
import glob
import http.cookies
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .service_helpers import ROOT, require

PASSWORD = "Fault@2026test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, seconds: float, what: str, step: float = 0.2):
    """Poll `predicate` until it returns something true; fail with `what` after `seconds`."""
    deadline, last = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception as e:  # the service may not answer yet: try again
            value, last = None, e
        else:
            last = value
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {seconds} s waiting for {what} (last: {last!r})")


class Postgres:
    """A throw-away cluster: initdb into `folder`, its socket in `folder` too, trust logins on loopback."""

    def __init__(self, folder: Path):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        require(bool(bins), "needs the PostgreSQL server (Debian package postgresql)")
        self.bin = Path(bins[-1]).parent
        self.folder, self.data, self.port = folder, folder / "data", free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/jxjy"
        # The server refuses to run as root: then it runs as the system's postgres account.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(folder, "postgres")

    def _run(self, *args: str, check=True) -> subprocess.CompletedProcess:
        cmd = [*self.as_user, str(self.bin / args[0]), *args[1:]]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=60)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "jxjy")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "pg.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def sql(self, query: str, params=()):
        """One query's rows, through psycopg (the test's own connection, not Django's)."""
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else None

    def connect(self):
        import psycopg

        return psycopg.connect(self.url.replace("postgres://", "postgresql://"))


class Redis:
    """A redis-server on a free port that keeps nothing on disk."""

    def __init__(self, folder: Path):
        require(bool(shutil.which("redis-server")), "needs redis-server (Debian package redis-server)")
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(cmd, cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.port), 1), seconds=10, what="redis-server")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)  # a frozen one could not hear SIGTERM
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Site:
    """deploy/run-prod: migrate, collectstatic, check --deploy, then one supervised task worker and gunicorn."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log_path = env, log
        self.port = int(env["JXJY_BIND"].rsplit(":", 1)[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            ["deploy/run-prod"], cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

        # collectstatic compresses every static file (gzip and brotli): on a busy 2-core machine about 2.5 min.
        deadline = time.monotonic() + 300
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"deploy/run-prod ended ({self.proc.returncode}):\n{self.log_text(None)}")
            with contextlib.suppress(OSError):
                req = urllib.request.Request(self.url + "/healthz/live", headers={"X-Forwarded-Proto": "https"})
                if urllib.request.urlopen(req, timeout=3).status == 200:
                    return
            if time.monotonic() > deadline:
                raise AssertionError(f"the site did not answer /healthz/live in 300 s:\n{self.log_text(None)}")
            time.sleep(0.5)

    def log_text(self, tail: int | None = 4000) -> str:
        text = self.log_path.read_text(errors="replace")
        return text if tail is None else text[-tail:]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # supervise stops every child
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # anything left of its group
        self.log.close()

    def children(self, match: str) -> list[int]:
        """Pids of this site's processes whose command line contains `match`."""
        import psutil

        return [
            p.pid for p in psutil.Process(self.proc.pid).children(recursive=True)
            if match in " ".join(p.cmdline())
        ]  # fmt: skip

    def task_worker_pid(self) -> int:
        pids = self.children("task_worker")
        assert pids, "no task worker is running"
        return pids[-1]

    def gunicorn_workers(self) -> list[int]:
        """The web workers: the children of gunicorn's master (the gunicorn whose parent is not one)."""
        import psutil

        workers = []
        for pid in self.children("gunicorn"):
            p = psutil.Process(pid)
            if "gunicorn" not in " ".join(p.parent().cmdline()):
                workers += [c.pid for c in p.children()]
        return workers

    def django(self, code: str):
        """Run `code` with the site's settings in a child process; it sets `result`, returned as JSON."""
        script = (
            "import django, json\ndjango.setup()\nresult = None\n" + code + "\nprint('RESULT=' + json.dumps(result))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stderr[-4000:]
        line = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT=")][-1]
        return json.loads(line.removeprefix("RESULT="))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser behind nginx (https): cookies, the CSRF token, no redirects followed."""

    def __init__(self, base: str):
        self.base, self.cookies = base, {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, *, data: dict | None = None, timeout: float = 30):
        headers = {
            "X-Forwarded-Proto": "https", "Origin": "https://" + self.base.removeprefix("http://"),
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Referer": "https://127.0.0.1/",
        }  # fmt: skip
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            response = self.opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as e:
            response = e
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, response.read().decode("utf-8", "replace")

    def get(self, path: str, **kw):
        return self.request(path, **kw)

    def post(self, path: str, data: dict | None = None, **kw):
        return self.request(path, data=data or {}, **kw)

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.get("/accounts/login/")
        status, headers, body = self.post("/accounts/login/", {"username": username, "password": password})
        assert status == 302 and "/accounts/login/" not in headers["Location"], body[-2000:]
