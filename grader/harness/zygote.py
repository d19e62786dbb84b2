"""The fork server of the warm pool: imports paid once, then one submission's worker at a time.

It runs inside a bubblewrap sandbox as ``nobody``, imports the assignment's preloads and IPython,
and then obeys the trusted grader on a Unix socket (``SOCK_SEQPACKET``, one JSON message per
packet, one reply per message):

``{"op": "fork", "rlimits": [[resource, value], ...], "tmp_bytes": n}`` with three file
    descriptors attached (the worker's request pipe, reply pipe and log file): fork a worker that
    serves exactly one submission (:func:`.worker.serve`) under those rlimits; reply
    ``{"pid": pid}``.
``{"op": "wait", "timeout": s}``: wait up to ``s`` seconds for that worker to exit; reply
    ``{"status": code}`` (negative: killed by that signal), ``null`` if it still runs.
``{"op": "reset"}``: SIGKILL every other process of the sandbox (``kill(-1)`` reaches the
    worker and all its descendants, detached ones included, and only them: the sandbox has its
    own pid namespace) and reap them; reply ``{"clean": bool}``.

Between two submissions nothing of the first is left, by construction rather than by cleaning:
each worker gets its own mount, IPC, UTS and network namespaces with new writable mounts
(:func:`.confine.fresh_namespaces`), so whatever it wrote there (files, ACLs, extended
attributes, IPC objects) was never visible to anyone else and goes with its last process; the
system calls whose objects outlive a process in shared tables (keyrings, inotify) are refused
(:func:`.confine.deny_host_tables`); every process of it is killed. The server's own ``/tmp``
(where its imports write their caches) is never visible to a worker, which mounts over it in its
own namespace. The next worker is forked from the server, which
never runs student code. The server is the sandbox's init (``bwrap --as-pid-1``), so the kernel
ignores the SIGKILL and SIGSTOP a worker might send it, and it is not dumpable, so a worker (same
uid) can neither ptrace it nor read its memory, environment or file descriptors. It holds the
capabilities that making namespaces needs, in the sandbox's own user namespace, and each worker
drops them all before it runs anything of the submission. What a worker can still change of the
server from outside (its priority, CPUs, rlimits, OOM score, I/O priority) is compared after
every worker; a change, or a process that will not die, makes it answer ``{"clean": false}``,
and the trusted side then discards the whole sandbox.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import json
import os
import random
import resource
import signal
import socket
import sys
import time
import traceback

from . import confine, worker

PR_SET_DUMPABLE = 4
#: System call number of ioprio_get, which libc does not wrap.
IOPRIO_GET = {"x86_64": 252, "aarch64": 31}.get(os.uname().machine)
#: Seconds reset keeps killing and reaping before it reports the sandbox as unclean.
RESET_SECONDS = 5.0
#: The read-mostly files a fresh worker finds in its /tmp (matplotlib's font list), as bound
#: into the server's /tmp by the trusted side.
SEEDED_FILES = "/tmp/mpl/fontlist-*.json"

_libc = ctypes.CDLL(None, use_errno=True)


def _settings() -> dict[str, object]:
    """This server's own settings that a worker of the same uid can change from outside (and
    every later fork would inherit): scheduling, CPUs, rlimits, OOM score, core-dump filter,
    timer slack, I/O priority."""
    limits = sorted(name for name in dir(resource) if name.startswith("RLIMIT_"))
    settings: dict[str, object] = {
        "priority": os.getpriority(os.PRIO_PROCESS, 0),
        "scheduler": os.sched_getscheduler(0),
        "affinity": sorted(os.sched_getaffinity(0)),
        "rlimits": [resource.getrlimit(getattr(resource, name)) for name in limits],
    }
    for name in ("oom_score_adj", "coredump_filter", "timerslack_ns"):
        with contextlib.suppress(OSError), open(f"/proc/self/{name}") as value:
            settings[name] = value.read()
    if IOPRIO_GET is not None:
        settings["ioprio"] = _libc.syscall(IOPRIO_GET, 1, 0)  # this process
    return settings


def _others() -> list[int]:
    """Pids of the sandbox other than this server (its init, pid 1)."""
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]


def reset(settings: dict[str, object]) -> bool:
    """Kill and reap every other process; whether all went and this server's ``settings`` are
    still its own."""
    deadline = time.monotonic() + RESET_SECONDS
    while True:
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)
        while True:  # this server is the sandbox's init: every orphan of the worker comes here
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break
        if not _others():
            break
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return _settings() == settings


def wait(pid: int, timeout: float, statuses: dict[int, int]) -> int | None:
    """Exit code of worker ``pid`` (negative: killed by that signal), or None after ``timeout``."""
    deadline = time.monotonic() + timeout
    while pid not in statuses:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if done:
            statuses[pid] = os.waitstatus_to_exitcode(status)
        elif time.monotonic() >= deadline:
            return None
        else:
            time.sleep(0.005)
    return statuses[pid]


def _become_worker(
    server: socket.socket, request: dict, fds: list[int], files: dict[str, bytes]
) -> None:
    """In the forked child: drop everything of the server, confine itself (fresh namespaces, no
    capability, the seccomp filter, the rlimits), then serve one submission."""
    server.close()
    request_fd, reply_fd, log_fd = fds
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # an ordinary process again, like a fresh worker
    for fd in map(int, os.listdir("/proc/self/fd")):
        if fd > 2 and fd not in (request_fd, reply_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
    os.setsid()
    confine.fresh_namespaces(request["tmp_bytes"], files)
    confine.drop_capabilities()
    confine.lower_limits(request["rlimits"])
    confine.deny_host_tables()
    random.seed()  # a fresh interpreter's generators are seeded from the OS, not inherited
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    worker.serve(request_fd, reply_fd)


def main(argv: list[str]) -> None:
    """Entry point: ``argv = [prog, control socket fd, comma-separated modules to preload]``."""
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    worker.preload(f"{argv[2]},IPython.core.interactiveshell")
    server = socket.socket(fileno=int(argv[1]))
    files = {}
    for path in glob.glob(SEEDED_FILES):
        with open(path, "rb") as handle:
            files[path] = handle.read()
    settings = _settings()
    statuses: dict[int, int] = {}
    pid = 0
    server.send(json.dumps({"ready": True}).encode())
    while True:
        data, fds, _, _ = socket.recv_fds(server, 65536, 3)
        if not data:
            break
        request = json.loads(data)
        if request["op"] == "fork":
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                try:
                    _become_worker(server, request, fds, files)
                except BaseException:
                    traceback.print_exc()  # into the worker's log, for the grader's diagnostics
                finally:
                    os._exit(70)
            for fd in fds:
                os.close(fd)
            reply: dict = {"pid": pid}
        elif request["op"] == "wait":
            reply = {"status": wait(pid, request["timeout"], statuses)}
        elif request["op"] == "reset":
            statuses.clear()
            try:
                reply = {"clean": reset(settings)}
            except Exception:  # whatever went wrong, the sandbox is discarded
                reply = {"clean": False}
        else:
            reply = {"error": f"unknown op {request['op']!r}"}
        server.send(json.dumps(reply).encode())
