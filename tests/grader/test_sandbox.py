"""The sandbox: what a worker can and cannot do, at each isolation level this machine has."""

import os
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest

from grader import sandbox
from grader.layout import ROOT
from grader.sandbox import (
    Limits,
    Worker,
    WorkerError,
    bwrap_can_disable_userns,
    bwrap_works,
    cgroups_work,
    isolation_level,
    nobody_can_run_python,
)
from grader.warm_pool import WarmPool

from .hostile_corpus import survivors
from .workers import call, run_cells

#: Where a worker can run here; "warm pool" is a worker forked by a bubblewrap warm pool.
BWRAP_LEVELS = ["bubblewrap", "warm pool"] if bwrap_works() else []
LEVELS = ["rlimits", *BWRAP_LEVELS]
needs_bwrap = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not usable here")
POOLS: list[WarmPool] = []


@pytest.fixture(autouse=True)
def _close_pools():
    yield
    while POOLS:
        POOLS.pop().close()


def start(level):
    """A worker at ``level`` (see LEVELS)."""
    if level != "warm pool":
        return Worker(preload=["numpy"], limits=Limits(), level=level)
    POOLS.append(WarmPool(preload=["numpy"], limits=Limits(), device="cpu", level="bubblewrap"))
    return Worker(preload=["numpy"], limits=Limits(), pool=POOLS[-1])


def run(cells, level, timeout=5.0):
    worker = start(level)
    return worker, run_cells(worker, cells, timeout)


@pytest.mark.parametrize("level", LEVELS)
def test_project_packages_are_not_importable(level):
    worker, errors = run(["import course_lib", "import grader", "import harness"], level)
    worker.close()
    assert "No module named 'course_lib'" in errors["0"]
    assert "No module named 'grader'" in errors["1"]
    assert "2" not in errors


@pytest.mark.parametrize("level", LEVELS)
def test_infinite_loop_in_a_cell_is_interrupted(level):
    worker, errors = run(["while True: pass", "def f():\n    return 7"], level, timeout=1.0)
    assert errors["0"].startswith("timed out")
    assert call(worker, "f") == {"ok": True, "value": 7}
    worker.close()


@pytest.mark.parametrize("level", LEVELS)
def test_hard_exit_is_reported_as_a_crash(level):
    worker, _ = run(["import os\ndef f():\n    os._exit(3)"], level)
    with pytest.raises(WorkerError) as info:
        call(worker, "f")
    worker.close()
    assert info.value.kind == "crashed" and "exit status 3" in info.value.detail


@pytest.mark.parametrize("level", LEVELS)
def test_environment_is_scrubbed(level, monkeypatch):
    monkeypatch.setenv("COURSE_GRADE_SECRET", "x")
    worker, _ = run(["import os\ndef env():\n    return sorted(os.environ)"], level)
    names = call(worker, "env")["value"]
    worker.close()
    assert "COURSE_GRADE_SECRET" not in names and "PYTHONPATH" not in names


@needs_bwrap
@pytest.mark.parametrize("level", BWRAP_LEVELS)
def test_bubblewrap_hides_the_project_and_runs_as_nobody(level):
    secrets = [
        str(ROOT / "course_lib" / "delta.py"),
        str(ROOT / "grader" / "suites"),
        str(ROOT / "solutions"),
    ]
    worker, _ = run(
        ["import os\ndef probe(paths):\n    return [os.getuid(), *map(os.path.exists, paths)]"],
        level,
    )
    uid, *visible = call(worker, "probe", secrets)["value"]
    worker.close()
    assert uid == 65534
    assert visible == [False, False, False]


@needs_bwrap
@pytest.mark.parametrize("level", BWRAP_LEVELS)
def test_bubblewrap_has_no_network_even_to_loopback(level):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    threading.Thread(target=lambda: server.accept(), daemon=True).start()
    worker, _ = run(
        [
            "import socket\ndef connect(port):\n    try:\n        socket.create_connection("
            "('127.0.0.1', port), timeout=2)\n        return 'connected'\n"
            "    except OSError as e:\n        return type(e).__name__"
        ],
        level,
    )
    outcome = call(worker, "connect", port)["value"]
    worker.close()
    server.close()
    assert outcome != "connected"


WRITE_PROBE = """\
import os
def probe():
    outcome = {}
    burst = "/proc/sys/kernel/printk_ratelimit_burst"  # written back with its own value
    for path, text in [(burst, open(burst).read()), ("/opt/course-grade/harness/x.py", ""),
                       ("/opt/course-grade/bdb.py", ""), ("/planted", ""), ("/dev/planted", ""),
                       ("/tmp/fine", "x"), ("/dev/shm/fine", "x")]:
        try:
            with open(path, "w") as handle:
                handle.write(text)
            outcome[path] = "written"
        except OSError as exc:
            outcome[path] = type(exc).__name__
    return outcome
"""


@needs_bwrap
@pytest.mark.parametrize("level", BWRAP_LEVELS)
def test_only_tmp_and_shm_are_writable_and_host_sysctls_are_not(level):
    """The sandbox's nobody is the uid that runs bwrap (root, for a root grader): the host's
    sysctls, the sandbox's root (sys.path's harness folder) and /dev must all be read-only."""
    worker, errors = run([WRITE_PROBE], level)
    outcome = call(worker, "probe")["value"]
    worker.close()
    assert errors == {}
    written = sorted(path for path, what in outcome.items() if what == "written")
    assert written == ["/dev/shm/fine", "/tmp/fine"], outcome


@needs_bwrap
@pytest.mark.skipif(not bwrap_can_disable_userns(), reason="bwrap older than 0.8")
@pytest.mark.parametrize("level", BWRAP_LEVELS)
def test_no_nested_user_namespaces(level):
    source = "import ctypes\ndef nest():\n    return ctypes.CDLL(None).unshare(0x10000000)"
    worker, errors = run([source], level)
    assert errors == {} and call(worker, "nest")["value"] == -1  # CLONE_NEWUSER refused
    worker.close()


@pytest.mark.parametrize("level", LEVELS)
def test_a_request_a_stopped_worker_never_reads_times_out(level, monkeypatch):
    monkeypatch.setattr(sandbox, "SEND_SECONDS", 1.0)
    worker = start(level)
    worker.send(
        {
            "op": "run",
            "cells": ["import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)"],
            "skip": [],
            "cell_timeout": 5.0,
        }
    )
    assert worker.receive(60) == {"event": "cell", "index": 0}
    with pytest.raises(WorkerError) as info:  # more than a pipe holds, to a stopped reader
        worker.send({"op": "call", "fn": "f", "args": ["x" * 200_000]})
    worker.close()
    assert info.value.kind == "timeout"


def test_isolation_level_is_named():
    assert isolation_level() in {"rlimits", "rlimits+cgroup", "bubblewrap", "bubblewrap+cgroup"}


@pytest.mark.skipif(
    not nobody_can_run_python(),
    reason="only a root grader whose Python nobody may run drops an rlimits worker to nobody",
)
def test_rlimits_worker_of_a_root_grader_runs_as_nobody():
    worker, _ = run(["import os\ndef ids():\n    return [os.getuid(), os.getgid()]"], "rlimits")
    ids = call(worker, "ids")["value"]
    worker.close()
    assert ids == [65534, 65534]


KILLING_LEVELS = [
    *BWRAP_LEVELS,
    *(["rlimits+cgroup"] if cgroups_work() else []),
]


@pytest.mark.skipif(not KILLING_LEVELS, reason="needs bubblewrap or cgroups (root)")
@pytest.mark.parametrize("level", KILLING_LEVELS)
def test_a_detached_grandchild_dies_with_its_worker(level):
    token = f"cgx{uuid.uuid4().hex[:8]}"
    detach = (
        "import ctypes, os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        f"        ctypes.CDLL(None).prctl(15, b'{token}', 0, 0, 0)\n"
        "        time.sleep(60)\n"
        "    os._exit(0)\n"
        "time.sleep(0.5)"
    )
    worker, errors = run([detach], level)
    assert errors == {} and len(survivors(token)) == 1
    worker.close()
    time.sleep(0.2)
    assert survivors(token) == []


FILL_THE_CAPS = """\
import ctypes, os, signal, threading, time
def _open_all():
    fds = []
    try:
        while True:
            fds.append(os.open("/dev/null", os.O_RDONLY))
    except OSError:
        pass
    return fds
def fill():
    mine = _open_all()
    held = {"files": len(mine)}
    for fd in mine:
        os.close(fd)
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGRTMIN])
    queued = 0
    while queued < 100_000:  # queued signals are counted per host user
        try:
            signal.pthread_kill(threading.get_ident(), signal.SIGRTMIN)
            queued += 1
        except OSError:
            break
    held["signals"] = queued
    ready_r, ready_w = os.pipe()
    children = 0
    for _ in range(200):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            _open_all()
            os.write(ready_w, b"x")
            time.sleep(60)
            os._exit(0)
        children += 1
    got = 0
    while got < children:
        got += len(os.read(ready_r, 4096))
    held["processes"] = children + 1
    return held
"""


def _allocated_files() -> int:
    return int(Path("/proc/sys/fs/file-nr").read_text().split()[0])


@pytest.mark.parametrize("pooled", [False, True] if BWRAP_LEVELS else [False])
def test_a_worker_at_every_cap_leaves_the_host_its_headroom(pooled):
    """At this machine's level, fresh or forked from a pool: as many processes as allowed each
    open as many files as allowed, and signals are queued, from inside the sandbox; the host's
    file table grows by no more than the worker's caps allow, and the grader can still open
    files."""
    limits, level = Limits(), isolation_level()
    if pooled:
        POOLS.append(WarmPool(preload=[], limits=limits, device="cpu", level=level))
    before = _allocated_files()
    worker = Worker(preload=[], limits=limits, level=level, pool=POOLS[-1] if pooled else None)
    errors = run_cells(worker, [FILL_THE_CAPS])
    assert errors == {}
    reply = call(worker, "fill")
    assert reply["ok"], reply
    held = reply["value"]
    during = _allocated_files()
    host_files = [os.open("/dev/null", os.O_RDONLY) for _ in range(1000)]  # not starved
    for fd in host_files:
        os.close(fd)
    worker.close()
    assert held["files"] <= limits.open_files
    assert held["signals"] <= limits.pending_signals
    capped = level.endswith("+cgroup") or os.getuid() != 0  # the kernel exempts root from NPROC
    processes = limits.processes if capped else 201
    assert held["processes"] <= processes + 1
    assert during - before <= processes * limits.open_files + 2000, (before, during)
    file_max = int(Path("/proc/sys/fs/file-max").read_text())
    assert during < file_max / 2
