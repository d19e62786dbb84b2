"""The fork server of the warm pool: imports paid once, then one submission's worker at a time.

It runs inside a bubblewrap sandbox as ``nobody``, imports the assignment's preloads and IPython,
and then obeys the trusted grader on a Unix socket (``SOCK_SEQPACKET``, one JSON message per
packet, one reply per message):

``{"op": "fork", "rlimits": [[resource, value], ...]}`` with three file descriptors attached
    (the worker's request pipe, reply pipe and log file): fork a worker that serves exactly one
    submission (:func:`.worker.serve`) under those rlimits; reply ``{"pid": pid}``.
``{"op": "wait", "timeout": s}``: wait up to ``s`` seconds for that worker to exit; reply
    ``{"status": code}`` (negative: killed by that signal), ``null`` if it still runs.
``{"op": "reset"}``: SIGKILL every other process of the sandbox (``kill(-1)`` reaches the
    worker and all its descendants, detached ones included, and only them: the sandbox has its
    own pid namespace), reap them, empty the writable folders (``/tmp``, ``/dev/shm`` and
    ``/dev/mqueue``, where the POSIX message queues are) and remove System V IPC objects;
    reply ``{"clean": bool}``.

Between two submissions nothing of the first is left: no process, no file, no IPC object, and
the next worker is forked from the server, which never runs student code. The server is the
sandbox's init (``bwrap --as-pid-1``), so the kernel ignores the SIGKILL and SIGSTOP a worker
might send it, and it is not dumpable, so a worker (same uid) can neither ptrace it nor read its
memory, environment or file descriptors. Whatever reset cannot undo (a folder nested too deep to
remove, a process that will not die) makes it answer ``{"clean": false}``, and the trusted side
then discards the whole sandbox.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import os
import random
import resource
import signal
import socket
import stat
import sys
import time

from . import worker

PR_SET_DUMPABLE = 4
IPC_RMID = 0
KEYCTL_CLEAR = 7
KEYCTL_GET_PERSISTENT = 22
#: The user and user-session keyrings, shared by every process of the sandbox's user.
USER_KEYRINGS = (-4, -5)
#: System call numbers of keyctl and ioprio_get, which libc does not wrap.
SYSCALLS = {
    "x86_64": {"keyctl": 250, "ioprio_get": 252},
    "aarch64": {"keyctl": 219, "ioprio_get": 31},
}
#: Folders of the sandbox a worker can write to; reset empties them (keeping what was there).
WRITABLE = ("/tmp", "/dev/shm", "/dev/mqueue")
#: Seconds reset keeps killing and reaping before it reports the sandbox as unclean.
RESET_SECONDS = 5.0

_libc = ctypes.CDLL(None, use_errno=True)
_syscalls = SYSCALLS.get(os.uname().machine, {})


def _raise(error: OSError) -> None:
    raise error


def _entries(root: str) -> set[str]:
    """Every path under ``root`` (not following links); OSError for a folder it cannot list."""
    found = set()
    for folder, dirs, files in os.walk(root, onerror=_raise):
        found.update(os.path.join(folder, name) for name in dirs + files)
    return found


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
        for name in os.listdir(path):
            _remove(os.path.join(path, name))
        os.rmdir(path)
    else:
        os.unlink(path)


def _settings() -> dict[str, object]:
    """This server's own settings that a worker of the same uid can change from outside (and
    every later fork would inherit): scheduling, CPUs, rlimits, OOM score, I/O priority."""
    limits = sorted(name for name in dir(resource) if name.startswith("RLIMIT_"))
    settings: dict[str, object] = {
        "priority": os.getpriority(os.PRIO_PROCESS, 0),
        "scheduler": os.sched_getscheduler(0),
        "affinity": sorted(os.sched_getaffinity(0)),
        "rlimits": [resource.getrlimit(getattr(resource, name)) for name in limits],
    }
    with open("/proc/self/oom_score_adj") as score:
        settings["oom_score_adj"] = score.read()
    if "ioprio_get" in _syscalls:
        settings["ioprio"] = _libc.syscall(_syscalls["ioprio_get"], 1, 0)  # this process
    return settings


class Baseline:
    """What the sandbox looks like before any worker: reset restores it or reports failure."""

    def __init__(self) -> None:
        self.keep = set().union(*(_entries(root) for root in WRITABLE))
        self.modes = {path: os.lstat(path).st_mode for path in [*WRITABLE, *self.keep]}
        self.settings = _settings()

    def restore_files(self) -> None:
        """Give kept folders back their modes, then remove everything else under WRITABLE."""
        for path, mode in self.modes.items():
            if os.lstat(path).st_mode != mode:  # a worker locked it (chmod 0, say)
                os.chmod(path, mode & 0o7777)
        kept = [path for path in self.modes if stat.S_ISDIR(self.modes[path])]
        for folder in kept:
            for name in os.listdir(folder):
                if os.path.join(folder, name) not in self.keep:
                    _remove(os.path.join(folder, name))


def _remove_ipc() -> None:
    """Remove the System V shared memory, semaphores and message queues of the sandbox."""
    remove = {
        "shm": lambda ident: _libc.shmctl(ident, IPC_RMID, None),
        "sem": lambda ident: _libc.semctl(ident, 0, IPC_RMID),
        "msg": lambda ident: _libc.msgctl(ident, IPC_RMID, None),
    }
    for kind, call in remove.items():
        try:
            with open(f"/proc/sysvipc/{kind}") as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            call(int(row.split()[1]))


def _others() -> list[int]:
    """Pids of the sandbox other than this server (its init, pid 1)."""
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]


def reset(baseline: Baseline) -> bool:
    """Kill and reap every other process, restore the files, IPC objects and keyrings of the
    baseline; whether all went and this server's settings are still its own."""
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
    baseline.restore_files()
    _remove_ipc()
    _clear_keyrings()
    return _settings() == baseline.settings


def _clear_keyrings() -> None:
    """Empty the user, user-session and persistent keyrings (all outlive a process)."""
    if "keyctl" not in _syscalls:
        return
    keyctl = functools.partial(_libc.syscall, _syscalls["keyctl"])
    persistent = keyctl(KEYCTL_GET_PERSISTENT, -1, -2)  # this uid's, linked to this process
    for keyring in (*USER_KEYRINGS, *([persistent] if persistent > 0 else [])):
        keyctl(KEYCTL_CLEAR, keyring)


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


def _become_worker(server: socket.socket, rlimits: list[list[int]], fds: list[int]) -> None:
    """In the forked child: drop everything of the server, then serve one submission."""
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
    for which, value in rlimits:
        resource.setrlimit(which, (value, value))
    random.seed()  # a fresh interpreter's generators are seeded from the OS, not inherited
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    worker.serve(request_fd, reply_fd)


def main(argv: list[str]) -> None:
    """Entry point: ``argv = [prog, control socket fd, comma-separated modules to preload]``."""
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    worker.preload(f"{argv[2]},IPython.core.interactiveshell")
    server = socket.socket(fileno=int(argv[1]))
    baseline = Baseline()
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
                    _become_worker(server, request["rlimits"], fds)
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
                reply = {"clean": reset(baseline)}
            except Exception:  # a worker built something reset cannot undo: discard the sandbox
                reply = {"clean": False}
        else:
            reply = {"error": f"unknown op {request['op']!r}"}
        server.send(json.dumps(reply).encode())
