"""deploy/run-prod supervises its children (deploy/supervise.sh): a killed task worker is started again while
the web server keeps running, a child that keeps failing waits longer each time, and SIGTERM stops them all.
The systemd units restart theirs too."""

import os
import queue
import re
import signal
import subprocess
import threading
import time

import pytest

from .service_helpers import ROOT

STARTED = re.compile(r"已启动 (\S+)（进程号 (\d+)）")


class Supervisor:
    """deploy/supervise.sh run in bash with stand-in children; its log lines read as they come."""

    def __init__(self, *children: str, **env: str):
        script = f"set -euo pipefail; . deploy/supervise.sh; supervise {' '.join(repr(c) for c in children)}"
        self.process = subprocess.Popen(
            ["bash", "-c", script], cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True,
            env={**os.environ, **env},
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line.strip())

    def next_line(self, pattern: str) -> str:
        """The next log line containing `pattern` (within 15 seconds)."""
        deadline = time.monotonic() + 15
        while (left := deadline - time.monotonic()) > 0:
            line = self.lines.get(timeout=left)
            if pattern in line:
                return line
        raise AssertionError(f"no line with {pattern!r}")

    def started(self, name: str) -> int:
        line = self.next_line(f"已启动 {name}")
        return int(STARTED.search(line).group(2))

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=15)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


@pytest.fixture
def supervisor():
    made = []

    def start(*children, **env):
        made.append(Supervisor(*children, **env))
        return made[-1]

    yield start
    for s in made:
        s.stop()


def test_a_killed_worker_is_started_again_and_the_web_server_keeps_running(supervisor):
    sv = supervisor("worker-1=sleep 600", "web=sleep 601")
    pids = {}
    for _ in range(2):
        line = sv.next_line("已启动")
        name, pid = STARTED.search(line).groups()
        pids[name] = int(pid)
    os.kill(pids["worker-1"], signal.SIGKILL)
    exited = sv.next_line("已退出")
    assert "worker-1" in exited and "1 秒后重新启动" in exited
    again = sv.started("worker-1")
    assert again != pids["worker-1"] and alive(again)
    assert alive(pids["web"])  # the site never went down
    assert sv.stop() == 0
    assert not alive(again) and not alive(pids["web"])


def test_a_crashed_web_server_is_started_again_too(supervisor):
    sv = supervisor("worker-1=sleep 600", "web=sleep 601")
    first = {name: int(pid) for name, pid in (STARTED.search(sv.next_line("已启动")).groups() for _ in range(2))}
    os.kill(first["web"], signal.SIGTERM)
    assert sv.started("web") != first["web"] and alive(first["worker-1"])


def test_a_child_that_keeps_failing_waits_longer_each_time(supervisor):
    sv = supervisor('worker-1=sh -c "exit 3"', SUPERVISE_BACKOFF_CAP="2", SUPERVISE_STABLE_SECONDS="30")
    delays = [re.search(r"(\d+) 秒后", sv.next_line("已退出（状态 3）")).group(1) for _ in range(3)]
    assert delays == ["1", "2", "2"]


def test_run_prod_and_the_units_use_the_resilient_worker_and_restart_it():
    run_prod = (ROOT / "deploy" / "run-prod").read_text()
    assert ". deploy/supervise.sh" in run_prod and 'supervise "${children[@]}"' in run_prod
    assert "manage.py task_worker" in run_prod and "wait -n" not in run_prod
    worker = (ROOT / "deploy" / "systemd" / "jxjy-worker@.service").read_text()
    web = (ROOT / "deploy" / "systemd" / "jxjy-web.service").read_text()
    assert "manage.py task_worker " in worker and "db_worker" not in worker
    for unit in (worker, web):
        assert "Restart=always" in unit and "RestartSec=5" in unit and "StartLimitIntervalSec=0" in unit
