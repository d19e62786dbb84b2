"""The warm pool: consecutive workers of one sandbox share nothing (by construction: their own
namespaces and mounts), its server stays out of their reach, and a server a worker changed costs a
new sandbox, nothing else."""

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


#: What one worker can leave behind, and how the next would find it: (leave, probe) sources.
#: ``leave`` defines ``left()``, whether the trace is there (False: the sandbox refused it);
#: ``probe`` defines ``found()``. Most are kinds that no code of the grader names.
LEFTOVERS = {
    "deep folder": (
        "import os\nfor _ in range(1500):\n    os.mkdir('d'); os.chdir('d')\n"
        "def left():\n    return os.path.isdir('/tmp/d/d/d')",
        "import os\ndef found():\n    return os.path.lexists('/tmp/d')",
    ),
    "default ACL on /tmp": (  # user::rwx group::--- other::--- (a POSIX ACL, version 2)
        "import os, struct\n"
        "acl = struct.pack('<I', 2) + b''.join(struct.pack('<HHI', t, p, 0xFFFFFFFF)\n"
        "    for t, p in ((1, 7), (4, 0), (0x20, 0)))\n"
        "os.setxattr('/tmp', 'system.posix_acl_default', acl)\n"
        "def left():\n    return len(os.getxattr('/tmp', 'system.posix_acl_default')) > 4",
        "import os\ndef found():\n"
        "    try:\n        return len(os.getxattr('/tmp', 'system.posix_acl_default')) > 4\n"
        "    except OSError:\n        return False",
    ),
    "locked /tmp": (
        "import os\nos.chmod('/tmp', 0)\n"
        "def left():\n    return os.stat('/tmp').st_mode & 0o777 == 0",
        "import os\ndef found():\n    return os.stat('/tmp').st_mode & 0o777 != 0o777",
    ),
    "FIFO and socket file": (
        "import os, socket\nos.mkfifo('/tmp/fifo')\ns = socket.socket(socket.AF_UNIX)\n"
        "s.bind('/dev/shm/sock')\ndef left():\n"
        "    return os.path.exists('/tmp/fifo') and os.path.exists('/dev/shm/sock')",
        "import os\ndef found():\n"
        "    return os.path.lexists('/tmp/fifo') or os.path.lexists('/dev/shm/sock')",
    ),
    "System V semaphore and message queue": (
        "import ctypes\nlibc = ctypes.CDLL(None)\n"
        "ids = [libc.semget(0x5EED, 1, 0o1666), libc.msgget(0x5EED, 0o1666)]\n"
        "def left():\n    return min(ids) >= 0",
        "import ctypes\nlibc = ctypes.CDLL(None)\ndef found():\n"
        "    return libc.semget(0x5EED, 0, 0) >= 0 or libc.msgget(0x5EED, 0) >= 0",
    ),
    "abstract socket held by a detached process": (
        "import os, socket, time\n"
        "if os.fork() == 0:\n    os.setsid()\n    s = socket.socket(socket.AF_UNIX)\n"
        "    s.bind(b'\\0course-grade-left'); s.listen(); time.sleep(60)\n"
        "time.sleep(0.3)\n"
        "def left():\n    c = socket.socket(socket.AF_UNIX)\n"
        "    return c.connect_ex(b'\\0course-grade-left') == 0",
        "import socket\ndef found():\n    c = socket.socket(socket.AF_UNIX)\n"
        "    return c.connect_ex(b'\\0course-grade-left') == 0",
    ),
    "a key in the user keyring": (
        "import ctypes\nlibc = ctypes.CDLL(None)\n"
        "def left():\n    return libc.syscall(248, b'user', b'answers', b'42', 2, -4) > 0",
        "import ctypes\nlibc = ctypes.CDLL(None)\n"
        "def found():\n    return libc.syscall(250, 10, -4, b'user', b'answers', 0) > 0",
    ),
    "hostname": (
        "import socket\ndef left():\n"
        "    try:\n        socket.sethostname('left-behind')\n        return True\n"
        "    except OSError:\n        return False",
        "import socket\ndef found():\n    return socket.gethostname() == 'left-behind'",
    ),
}


@needs_bwrap
@pytest.mark.skipif(os.uname().machine not in ("x86_64", "aarch64"), reason="syscall numbers")
@pytest.mark.parametrize("kind", LEFTOVERS)
def test_the_next_worker_of_a_pool_finds_nothing_of_the_last(pool, kind):
    """Each worker's writable state is new (its own namespaces and mounts) or refused, so the
    next worker of the same sandbox finds nothing, and the sandbox is kept, not replaced."""
    leave, probe = LEFTOVERS[kind]
    first, errors = forked(pool, [leave, probe])
    left = call(first, "left")["value"] if not errors else False
    assert call(first, "found")["value"] is left  # the probe sees the trace where there is one
    first.close()
    second, errors = forked(pool, [probe])
    assert errors == {} and call(second, "found")["value"] is False, kind
    second.close()
    assert pool.starts == 1


@needs_bwrap
@pytest.mark.parametrize("kind", ["default ACL on /tmp", "FIFO and socket file", "locked /tmp"])
def test_file_leftovers_were_really_left(pool, kind):
    """The file kinds above do leave their trace in the worker that made them (the test of the
    next worker is not vacuous)."""
    leave, _ = LEFTOVERS[kind]
    worker, errors = forked(pool, [leave])
    assert errors == {} and call(worker, "left")["value"] is True
    worker.close()


REFUSED_CALLS = """\
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
def refused():
    out = {}
    for name, call in {
        "add_key": lambda: libc.syscall(248, b"user", b"k", b"v", 1, -4),
        "keyctl": lambda: libc.syscall(250, 0, -4, 0),
        "inotify_init1": lambda: libc.inotify_init1(0),
    }.items():
        out[name] = (call(), ctypes.get_errno())
    return out
"""


@needs_bwrap
@pytest.mark.skipif(os.uname().machine != "x86_64", reason="system call numbers for x86_64")
def test_tables_shared_with_the_host_user_are_refused_in_pool_and_fresh_workers(pool):
    forked_worker, errors = forked(pool, [REFUSED_CALLS])
    fresh = Worker(preload=[], limits=Limits(), level="bubblewrap")
    assert run_cells(fresh, [REFUSED_CALLS]) == {} and errors == {}
    for worker in (forked_worker, fresh):
        assert call(worker, "refused")["value"] == {
            name: (-1, 1) for name in ("add_key", "keyctl", "inotify_init1")
        }  # EPERM
        worker.close()


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


#: Settings of the server that a worker of its uid can change from outside, which every later
#: fork would inherit.
CHANGE_THE_SERVER = {
    "rlimit": "import resource\nresource.prlimit(1, resource.RLIMIT_NOFILE, (64, 64))",
    "core-dump filter": "open('/proc/1/coredump_filter', 'w').write('0x7f')",
}


@needs_bwrap
@pytest.mark.parametrize("setting", CHANGE_THE_SERVER)
def test_a_changed_server_costs_a_new_sandbox(pool, setting):
    worker, errors = forked(pool, [CHANGE_THE_SERVER[setting]])
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
    assert "mpl" in listing and priority == 0 and files == Limits().open_files
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
