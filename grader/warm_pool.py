"""The warm pool: one sandbox whose imports are paid once, forking a fresh worker per submission.

A fresh interpreter spends about 1.4 s importing numpy, scipy, sympy, matplotlib and IPython
(more with torch) before a submission's first cell runs. A pool starts one bubblewrap sandbox
whose server (:mod:`grader.harness.zygote`) does those imports once and then forks a worker per
submission: a new process that never saw another submission, under the same rlimits and inside
the same confinement as a fresh worker (only the bound files, no network, ``nobody``).

A pool runs one worker at a time, and each worker starts from state no earlier one could have
touched: its own mount, IPC, UTS and network namespaces with new writable mounts, and no access
to the tables that outlive processes (see :mod:`grader.harness.zygote`). Before the next fork,
the server kills every process the previous worker left (``kill(-1)`` in the sandbox's own pid
namespace, whose init the server is, detached processes included); with a cgroup the trusted
side then counts the sandbox's processes itself. Whenever the server does not answer as expected
(a process would not die, its settings were changed, or it died), the whole sandbox is killed and
the next worker gets a new one.

A pool needs a bubblewrap level with a user namespace of its own (:func:`pool_possible`):
without a pid namespace, ``kill(-1)`` would reach the grader's processes, and without a user
namespace the server could not make namespaces without capabilities on the host.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import select
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from grader.sandbox import (
    Cgroup,
    Limits,
    WorkerError,
    bwrap_can_disable_userns,
    bwrap_command,
    end_sandbox,
    scrubbed_env,
    worker_rlimits,
)

#: Seconds the server may take for its imports (torch on a loaded machine is slow).
READY_SECONDS = 300.0
#: Seconds the server may take to answer a fork or wait request (beyond the wait itself).
ANSWER_SECONDS = 10.0
#: Seconds the server may take to kill, reap and clean up after a worker.
RESET_SECONDS = 30.0
#: Memory the server's own imports may hold on top of one worker's cap (cgroup levels).
SERVER_MEMORY_BYTES = 2 * 1024**3


def pool_possible(level: str) -> bool:
    """Whether a warm pool may run at isolation ``level`` on this machine."""
    return level.startswith("bubblewrap") and bwrap_can_disable_userns()


class PoolError(Exception):
    """The server died, stopped answering or answered something unexpected."""


@dataclasses.dataclass
class Forked:
    """A worker forked by a pool: the process handle a :class:`~grader.sandbox.Worker` holds."""

    pool: WarmPool
    pid: int

    def wait(self, timeout: float) -> int | None:
        """The worker's exit code (negative: killed by that signal), None if still running."""
        return self.pool.wait(timeout)

    def kill(self) -> None:
        """Kill the worker and everything it started; the pool is ready for the next one."""
        self.pool.reset()

    def background(self, on: bool) -> bool:
        """The pool's sandbox in the idle scheduling class (on) or not; whether it could."""
        return self.pool.background(on)


class _Server:
    """The sandboxed fork server process and the socket that drives it."""

    def __init__(self, preload: list[str], limits: Limits, device: str, level: str) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="course-grade-pool-")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.socket = ours
        caps = dataclasses.replace(
            limits,
            processes=limits.processes + 3,  # bwrap, its init and the server
            memory_bytes=limits.memory_bytes + SERVER_MEMORY_BYTES,
        )
        self.cgroup = Cgroup(caps) if level.endswith("+cgroup") else None
        command = [
            *bwrap_command(limits, device, "zygote"),
            str(theirs.fileno()),
            ",".join(preload),
        ]
        with open(Path(self._tmp.name) / "server.log", "wb") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(theirs.fileno(),),
                cwd=self._tmp.name,
                env=scrubbed_env(device),
                start_new_session=True,
                preexec_fn=self.cgroup.join if self.cgroup else None,
            )
        theirs.close()
        self.ready = False
        self.processes = 0

    def receive(self, timeout: float) -> dict[str, Any]:
        ready, _, _ = select.select([self.socket], [], [], timeout)
        if not ready:
            raise PoolError(f"the warm pool's server did not answer within {timeout:.0f} s")
        data = self.socket.recv(65536)
        if not data:
            raise PoolError("the warm pool's server exited")
        reply = json.loads(data)
        if not isinstance(reply, dict):
            raise PoolError("the warm pool's server sent a malformed answer")
        return reply

    def ask(self, request: dict[str, Any], timeout: float, fds: tuple[int, ...] = ()) -> Any:
        if not self.ready:
            self.receive(READY_SECONDS)
            self.ready = True
            self.processes = self.count()
        socket.send_fds(self.socket, [json.dumps(request).encode()], list(fds))
        return self.receive(timeout)

    def count(self) -> int:
        """Processes in the sandbox's cgroup (0 without one)."""
        return len(self.cgroup.pids()) if self.cgroup is not None else 0

    def kill(self) -> None:
        end_sandbox(self.process, self.cgroup)
        self.socket.close()
        self._tmp.cleanup()


class WarmPool:
    """Pre-imported workers for one assignment, forked one at a time (see the module docstring).

    The server starts importing at once, so its imports overlap whatever the caller does next.
    """

    def __init__(self, *, preload: list[str], limits: Limits, device: str, level: str) -> None:
        if not pool_possible(level):
            raise ValueError(
                f"a warm pool needs a bubblewrap isolation level and bwrap 0.8 or later, not "
                f"{level!r}"
            )
        self.preload = preload
        self.limits = limits
        self.device = device
        self.level = level
        rlimits = worker_rlimits(limits)
        if os.getuid() != 0:  # as for a fresh worker; a root grader's cgroup caps processes
            rlimits.append((resource.RLIMIT_NPROC, limits.processes))
        self._rlimits = [list(pair) for pair in rlimits]
        self._server: _Server | None = None
        self._busy = False
        #: Servers started so far (one more each time a server had to be discarded).
        self.starts = 0
        self._start()

    def _start(self) -> _Server:
        self._server = _Server(self.preload, self.limits, self.device, self.level)
        self.starts += 1
        return self._server

    def fork(self, fds: tuple[int, int, int]) -> Forked:
        """Fork a worker on ``(request pipe, reply pipe, log file)``; one at a time, so a worker
        still running (which a correct caller has closed already) is killed first."""
        if self._busy:
            self.reset()
        error: Exception | None = None
        for _ in range(2):  # a discarded server is replaced once
            try:
                server = self._server or self._start()
                tmp = self.limits.tmp_bytes
                request = {"op": "fork", "rlimits": self._rlimits, "tmp_bytes": tmp}
                reply = server.ask(request, ANSWER_SECONDS, fds)
                pid = reply["pid"]
                if type(pid) is not int:
                    raise PoolError("the warm pool's server sent a malformed answer")
            except (PoolError, OSError, ValueError, KeyError) as exc:
                error = exc
                self.discard()
                continue
            self._busy = True
            return Forked(self, pid)
        raise WorkerError("crashed", f"the warm pool could not fork a worker ({error})")

    def wait(self, timeout: float) -> int | None:
        """The current worker's exit code, None if it runs on (or the server is gone)."""
        if self._server is None:
            return None
        try:
            status = self._server.ask({"op": "wait", "timeout": timeout}, timeout + ANSWER_SECONDS)
            status = status["status"]
        except (PoolError, OSError, ValueError, KeyError):
            self.discard()
            return None
        return status if type(status) is int else None

    def reset(self) -> None:
        """Kill the current worker and all it left; discard the sandbox unless all is clean."""
        self._busy = False
        if self._server is None:
            return
        try:
            clean = self._server.ask({"op": "reset"}, RESET_SECONDS).get("clean") is True
            clean = clean and self._server.count() == self._server.processes
            self.background(False)
        except (PoolError, OSError, ValueError):
            clean = False
        if not clean:
            self.discard()

    def background(self, on: bool) -> bool:
        """The sandbox in the idle scheduling class (on) or not; whether it could."""
        server = self._server
        return server is not None and server.cgroup is not None and server.cgroup.background(on)

    def discard(self) -> None:
        """Kill the whole sandbox; the next fork starts a new one."""
        if self._server is not None:
            self._server.kill()
            self._server = None

    def close(self) -> None:
        self._busy = False
        self.discard()

    def __enter__(self) -> WarmPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
