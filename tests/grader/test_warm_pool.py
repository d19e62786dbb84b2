"""The warm pool: consecutive workers of one sandbox share nothing, its server stays out of their
reach, and what it cannot clean up costs a new sandbox, nothing else."""

import uuid

import pytest

from grader.sandbox import Limits, Worker, bwrap_works
from grader.warm_pool import WarmPool

from .hostile_corpus import survivors
from .workers import call, run_cells

needs_bwrap = pytest.mark.skipif(not bwrap_works(), reason="the warm pool needs bubblewrap")


@pytest.fixture
def pool():
    with WarmPool(preload=["numpy"], limits=Limits(), device="cpu", level="bubblewrap") as pool:
        yield pool


def forked(pool, cells):
    worker = Worker(preload=[], limits=Limits(), pool=pool)
    return worker, run_cells(worker, cells)


LEAVE_TRACES = """\
import ctypes, os, time
libc = ctypes.CDLL(None, use_errno=True)
open("/tmp/trace", "w").write("first")
os.makedirs("/tmp/locked/inner")
os.chmod("/tmp/locked", 0)
open("/dev/shm/trace", "w").write("first")
open("/dev/mqueue/trace", "w").close()  # a POSIX message queue
SHM_KEY = 0x5EED
assert libc.shmget(SHM_KEY, 4096, 0o1666) >= 0
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        libc.prctl(15, TOKEN.encode(), 0, 0, 0)
        time.sleep(60)
    os._exit(0)
time.sleep(0.3)
"""

LOOK_FOR_TRACES = """\
import ctypes, os
def traces():
    libc = ctypes.CDLL(None, use_errno=True)
    return {
        "files": sorted(p for p in ("/tmp/trace", "/tmp/locked", "/dev/shm/trace",
                                    "/dev/mqueue/trace") if os.path.lexists(p)),
        "shm": libc.shmget(0x5EED, 0, 0) >= 0,
    }
"""


@needs_bwrap
def test_consecutive_workers_share_nothing(pool):
    token = f"cgx{uuid.uuid4().hex[:8]}"
    first, errors = forked(pool, [f"TOKEN = {token!r}", LEAVE_TRACES, LOOK_FOR_TRACES])
    assert errors == {}
    assert call(first, "traces")["value"] == {
        "files": ["/dev/mqueue/trace", "/dev/shm/trace", "/tmp/locked", "/tmp/trace"],
        "shm": True,
    }
    assert len(survivors(token)) == 1
    first.close()
    assert survivors(token) == []
    second, errors = forked(pool, [LOOK_FOR_TRACES])
    assert errors == {}
    assert call(second, "traces")["value"] == {"files": [], "shm": False}
    second.close()
    assert pool.starts == 1  # the same server, cleaned, not a new one


SPY_ON_SERVER = """\
import ctypes, os
def spy():
    server = os.getppid()
    found = {}
    for what in ("mem", "environ", "maps"):
        try:
            open(f"/proc/{server}/{what}", "rb").read(1)
            found[what] = "read"
        except OSError as exc:
            found[what] = type(exc).__name__
    for fd in os.listdir(f"/proc/{server}/fd"):
        try:
            os.close(os.open(f"/proc/{server}/fd/{fd}", os.O_RDWR))
            found["fd" + fd] = "opened"
        except OSError as exc:
            found["fd" + fd] = type(exc).__name__
    libc = ctypes.CDLL(None, use_errno=True)
    found["ptrace"] = libc.ptrace(16, server, 0, 0)  # PTRACE_ATTACH
    return found
"""


@needs_bwrap
def test_a_worker_cannot_reach_into_the_server(pool):
    worker, errors = forked(pool, [SPY_ON_SERVER])
    found = call(worker, "spy")["value"]
    worker.close()
    assert errors == {}
    assert found.pop("ptrace") == -1
    assert found and set(found.values()) == {"PermissionError"}, found


@needs_bwrap
def test_a_worker_can_neither_kill_nor_stop_the_server(pool):
    attack = (
        "import os, signal\n"
        "for sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGTERM):\n"
        "    os.kill(os.getppid(), sig)\n"
        "def parent():\n"
        "    return os.getppid()"
    )
    worker, errors = forked(pool, [attack])
    assert errors == {} and call(worker, "parent")["value"] == 1  # the server is the init
    worker.close()
    after, errors = forked(pool, ["def f():\n    return 7"])
    assert errors == {} and call(after, "f")["value"] == 7
    after.close()
    assert pool.starts == 1


DEEP_FOLDER = """\
import os
os.chdir("/tmp")
for _ in range(1500):  # deeper than the server's recursion limit
    os.mkdir("d")
    os.chdir("d")
"""


@needs_bwrap
def test_what_reset_cannot_remove_costs_a_new_sandbox(pool):
    worker, errors = forked(pool, [DEEP_FOLDER])
    assert errors == {}
    worker.close()
    after, errors = forked(pool, ["import os\ndef f():\n    return os.listdir('/tmp')"])
    assert errors == {} and "d" not in call(after, "f")["value"]
    after.close()
    assert pool.starts == 2


@needs_bwrap
def test_each_worker_draws_fresh_random_numbers(pool):
    draws = []
    source = "import random, numpy\ndef draw():\n    return [random.random(), numpy.random.rand()]"
    for _ in range(2):
        worker, _ = forked(pool, [source])
        draws.append(call(worker, "draw")["value"])
        worker.close()
    assert draws[0][0] != draws[1][0] and draws[0][1] != draws[1][1]


@needs_bwrap
def test_one_worker_at_a_time(pool):
    worker = Worker(preload=[], limits=Limits(), pool=pool)
    with pytest.raises(RuntimeError, match="one worker at a time"):
        Worker(preload=[], limits=Limits(), pool=pool)
    worker.close()


def test_a_pool_needs_bubblewrap():
    with pytest.raises(ValueError, match="'rlimits'"):
        WarmPool(preload=[], limits=Limits(), device="cpu", level="rlimits")
