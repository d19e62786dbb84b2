"""The warm pool: consecutive workers of one sandbox share nothing, its server stays out of their
reach, and what it cannot clean up costs a new sandbox, nothing else."""

import os
import uuid

import pytest

from grader.impl import SubmissionError, WorkerImpl
from grader.sandbox import Limits, Worker, WorkerError, bwrap_works
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
    first, _ = forked(pool, ["def f():\n    return 1"])
    second, _ = forked(pool, ["def f():\n    return 2"])  # the first is killed, not kept
    with pytest.raises(WorkerError):
        call(first, "f")
    assert call(second, "f")["value"] == 2
    first.close()
    second.close()


#: Where a worker can leave a key for the next one: the user, user-session and persistent
#: keyrings (keyctl(KEYCTL_GET_PERSISTENT = 22, this uid, linked to the process keyring)).
KEYRINGS = {"user": "-4", "session": "-5", "persistent": "libc.syscall(250, 22, -1, -2)"}

KEEP_A_KEY = """\
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
ring = @RING@
assert libc.syscall(248, b"user", b"answers", b"42", 2, ring) > 0  # add_key
def key():
    return libc.syscall(250, 10, ring, b"user", b"answers", 0) > 0  # keyctl(KEYCTL_SEARCH)
"""

LOOK_FOR_A_KEY = """\
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
ring = @RING@
def key():
    return libc.syscall(250, 10, ring, b"user", b"answers", 0) > 0
"""

LOCK_AND_LOWER = """\
import os, resource
os.chmod("/tmp", 0)
os.setpriority(os.PRIO_PROCESS, 1, 19)
resource.prlimit(1, resource.RLIMIT_NOFILE, (64, 64))
"""


@needs_bwrap
@pytest.mark.skipif(os.uname().machine != "x86_64", reason="system call numbers for x86_64")
@pytest.mark.parametrize("keyring", KEYRINGS)
def test_keyrings_are_cleared(pool, keyring):
    worker, errors = forked(pool, [KEEP_A_KEY.replace("@RING@", KEYRINGS[keyring])])
    assert errors == {} and call(worker, "key")["value"] is True
    worker.close()
    after, errors = forked(pool, [LOOK_FOR_A_KEY.replace("@RING@", KEYRINGS[keyring])])
    assert errors == {} and call(after, "key")["value"] is False
    after.close()


@needs_bwrap
def test_locked_folders_and_a_lowered_server_cost_a_new_sandbox(pool):
    worker, errors = forked(pool, [LOCK_AND_LOWER])
    assert errors == {}
    worker.close()
    after, errors = forked(
        pool,
        [
            "import os, resource\ndef state():\n    return [os.listdir('/tmp'), "
            "os.getpriority(os.PRIO_PROCESS, 0), resource.getrlimit(resource.RLIMIT_NOFILE)[1]]"
        ],
    )
    assert errors == {}
    listing, priority, files = call(after, "state")["value"]
    after.close()
    assert "mpl" in listing and priority == 0 and files > 64
    assert pool.starts == 2


FORGE_DONE = """\
import fcntl, json, os, struct
errors = {"__dict__": {"\u00b2": "x"}}  # a digit that is not decimal: int() refuses it
done = json.dumps({"__dict__": {"event": "done", "errors": errors}}).encode()
for fd in map(int, os.listdir("/proc/self/fd")):
    try:
        if (os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:")
                and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY):
            os.write(fd, struct.pack(">Q", len(done)) + done)
    except OSError:
        pass
def f():
    return 1
"""


@needs_bwrap
def test_a_forged_message_costs_only_its_own_submission(pool):
    def spawn():
        return Worker(preload=[], limits=Limits(), pool=pool)

    forger = WorkerImpl([FORGE_DONE], cell_timeout=5.0, spawn=spawn)
    with pytest.raises(SubmissionError):
        forger.f()
    forger.close()
    honest = WorkerImpl(["def f():\n    return 2"], cell_timeout=5.0, spawn=spawn)
    assert honest.f() == 2
    honest.close()


def test_a_pool_needs_bubblewrap():
    with pytest.raises(ValueError, match="'rlimits'"):
        WarmPool(preload=[], limits=Limits(), device="cpu", level="rlimits")
