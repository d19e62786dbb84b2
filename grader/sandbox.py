"""The sandbox: one confined worker process per submission.

A worker is a fresh interpreter, or, at the bubblewrap levels, a process forked for the
submission by a warm pool's server inside the same confinement (:mod:`grader.warm_pool`).

Isolation levels, best first (the grader prints the one it used and ``results.json`` records it):

``bubblewrap+cgroup``
    ``bwrap --unshare-all`` (no network, own pid/ipc/uts namespaces), running as ``nobody``, seeing
    only the interpreter, the third-party packages and the harness, read-only, with a size-capped
    private ``/tmp``; plus a cgroup capping its process count and memory (root only).
``bubblewrap``
    The same without the cgroup.
``rlimits+cgroup``
    A plain subprocess in its own session and temp directory, plus the cgroup (root only, where
    ``bwrap`` is missing). Whatever file permissions let ``nobody`` read stays readable from it,
    and it shares the host's network.
``rlimits``
    The same without the cgroup. Used where ``bwrap`` is missing or refuses to run and the grader
    is not root (a laptop, a non-root CI). A submission's process that leaves the worker's session
    (``setsid``) may outlive it, and the worker runs as the grader's own user.

In every level: rlimits on address space, CPU time, file size, core dumps, open files, queued
signals, message-queue bytes, locked memory and processes (the kernel ignores the last for root,
so a root grader relies on the cgroup); a seccomp filter refusing the system calls of tables that
outlive a process or belong to the host user (keyrings, inotify; see
:mod:`grader.harness.confine`); a scrubbed environment;
``python -I -S`` so neither ``PYTHONPATH`` nor the editable install's ``.pth`` can make
``course_lib`` or ``grader`` importable; a grader running as root runs the worker as ``nobody``
(outside bubblewrap only where ``nobody`` can run the interpreter, see
:func:`nobody_can_run_python`);
every process of the worker's session, and with a cgroup every process of the cgroup, killed at
the end.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import resource
import select
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.harness import boundary, confine
from grader.layout import cache_dir

if TYPE_CHECKING:
    from grader.warm_pool import Forked, WarmPool

HARNESS_DIR = Path(__file__).resolve().parent / "harness"
#: Where the harness package appears inside the bubblewrap sandbox.
SANDBOX_HARNESS_ROOT = "/opt/course-grade"
CGROUP_ROOTS = {"pids": Path("/sys/fs/cgroup/pids"), "memory": Path("/sys/fs/cgroup/memory")}
#: Optional: lets a worker started ahead of its turn run in the background (see Cgroup).
CPU_CGROUP_ROOT = Path("/sys/fs/cgroup/cpu")
NOBODY = 65534
LOG_TAIL_BYTES = 2000
#: Seconds a request may wait for the worker to read it (a call's own limit starts after).
SEND_SECONDS = 120.0
_NO_CACHE = shutil.ignore_patterns("__pycache__")


@dataclass(frozen=True)
class Limits:
    """Per-worker resource caps. The last four protect the host rather than the batch: they
    bound what one worker can take of tables that the kernel keeps per host user or for the
    whole machine (at most ``processes * open_files`` = 32,768 open files per worker, about
    1 % of the file table of a machine with 24 GB; queued signals and message-queue bytes are
    counted per host user, which a root grader's sandbox shares with root)."""

    memory_bytes: int = 6 * 1024**3
    cpu_seconds: int = 900
    processes: int = 128
    file_bytes: int = 64 * 1024**2
    tmp_bytes: int = 512 * 1024**2
    open_files: int = 256
    pending_signals: int = 256
    mqueue_bytes: int = 512 * 1024
    locked_bytes: int = 64 * 1024


class WorkerError(Exception):
    """The worker stopped answering: it died, timed out or broke the protocol."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind  # "timeout", "crashed" or "protocol"
        self.detail = detail


@functools.cache
def bwrap_can_disable_userns() -> bool:
    """Whether this bwrap has ``--disable-userns`` (0.8 and later)."""
    try:
        done = subprocess.run(["bwrap", "--help"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--disable-userns" in done.stdout + done.stderr


def _bwrap_base() -> list[str]:
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session"]
    if bwrap_can_disable_userns():  # no nested user namespaces: less kernel to attack
        args += ["--unshare-user", "--disable-userns"]
    args += ["--uid", str(NOBODY), "--gid", str(NOBODY)]
    args += ["--ro-bind", "/usr", "/usr"]
    for top in ("lib", "lib64", "bin", "sbin"):
        path = Path("/") / top
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    if Path("/etc/fonts").is_dir():
        args += ["--ro-bind", "/etc/fonts", "/etc/fonts"]
    args += ["--proc", "/proc", "--dev", "/dev"]
    # bwrap maps the sandbox's nobody to the uid that runs it: root, for a root grader. It covers
    # /proc/sys, /proc/irq and /proc/bus read-only only where that uid lacks write access to the
    # folder (0555), so a root grader's worker could write the host's sysctls. Cover them here.
    for folder in ("sys", "irq", "bus"):
        if (Path("/proc") / folder).is_dir():
            args += ["--ro-bind", f"/proc/{folder}", f"/proc/{folder}"]
    return args


@functools.cache
def bwrap_works() -> bool:
    """Whether ``bwrap`` is installed and can start a confined process here."""
    if shutil.which("bwrap") is None:
        return False
    probe = [*_bwrap_base(), "--", "/bin/true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@functools.cache
def cgroups_work() -> bool:
    """Whether this process may create cgroups for the pids and memory controllers."""
    try:
        for root in CGROUP_ROOTS.values():
            probe = root / f"course-grade-probe-{os.getpid()}"
            probe.mkdir()
            probe.rmdir()
        return True
    except OSError:
        return False


def _become_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


@functools.cache
def nobody_can_run_python() -> bool:
    """Whether ``nobody`` can run this interpreter and import the packages (a root grader drops
    an rlimits worker to ``nobody`` only then; a Python under a private home cannot be run)."""
    if os.getuid() != 0:
        return False
    probe = f"import sys;sys.path.extend({_site_packages()!r});import numpy"
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", probe],
            capture_output=True,
            timeout=60,
            cwd="/",
            preexec_fn=_become_nobody,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def isolation_level() -> str:
    """The best isolation available on this machine (see the module docstring)."""
    base = "bubblewrap" if bwrap_works() else "rlimits"
    return f"{base}+cgroup" if cgroups_work() else base


def _package_dirs(*names: str) -> list[Path]:
    dirs = []
    for name in names:
        spec = importlib.util.find_spec(name)
        for location in (spec.submodule_search_locations or []) if spec else []:
            dirs.append(Path(location).resolve())
    return dirs


def _site_packages() -> list[str]:
    return [p for p in site.getsitepackages() if Path(p).is_dir()]


def _bootstrap(harness_root: str, paths: list[str], entry: str = "worker") -> str:
    return (
        "import sys;"
        f"sys.path[:0]=[{harness_root!r}];sys.path.extend({paths!r});"
        f"from harness.{entry} import main;main(sys.argv)"
    )


@functools.cache
def font_cache() -> Path | None:
    """Matplotlib's font list, built once per machine by the trusted side.

    Without it every fresh worker rebuilds the list (about half a second) in its empty ``/tmp``;
    with it the worker reads a read-only copy.
    """
    folder = cache_dir() / "matplotlib"
    found = sorted(folder.glob("fontlist-*.json"))
    if not found:
        env = {**os.environ, "MPLCONFIGDIR": str(folder), "MPLBACKEND": "Agg"}
        command = [sys.executable, "-c", "import matplotlib.font_manager"]
        subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)
        found = sorted(folder.glob("fontlist-*.json"))
    return found[-1] if found else None


def bwrap_command(limits: Limits, device: str, entry: str = "worker") -> list[str]:
    """The bubblewrap command line running ``harness.<entry>.main`` (arguments to append)."""
    # The private /tmp comes first: bwrap applies mounts in order, and a project checked out
    # under /tmp must have its interpreter bound on top of the tmpfs, not hidden under it.
    args = [*_bwrap_base(), "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp"]
    prefixes = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    for prefix in sorted(prefixes):
        if not str(prefix).startswith("/usr/"):
            args += ["--ro-bind", str(prefix), str(prefix)]
    if Path(sys.prefix) != Path(sys.prefix).resolve():
        args += ["--ro-bind", sys.prefix, sys.prefix]
    bound = [*prefixes, Path("/usr")]
    for hidden in _package_dirs("course_lib", "grader"):
        if any(hidden.is_relative_to(b) for b in bound):
            args += ["--tmpfs", str(hidden)]
    args += ["--ro-bind", str(HARNESS_DIR), f"{SANDBOX_HARNESS_ROOT}/harness"]
    args += ["--chdir", "/tmp"]
    fonts = font_cache()
    if fonts is not None:
        args += ["--ro-bind", str(fonts), f"/tmp/mpl/{fonts.name}"]
    if device != "cpu":
        for node in sorted(Path("/dev").glob("nvidia*")):
            args += ["--dev-bind", str(node), str(node)]
    args += ["--tmpfs", "/dev/shm"]
    if entry == "zygote":
        # The warm pool's server is the sandbox's init: the kernel ignores the SIGKILL and SIGSTOP
        # that a worker (same uid, same pid namespace) might send it, and orphans come to it.
        # It gives each worker new namespaces and writable mounts (the mqueue mount point
        # included), which takes these two capabilities in the sandbox's user namespace; every
        # worker mounts over the server's own /tmp and /dev/shm and drops all capabilities.
        args += ["--as-pid-1", "--mqueue", "/dev/mqueue"]
        args += ["--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETPCAP"]
    # The root and /dev are tmpfs that bwrap creates, owned by the sandbox's user: read-only from
    # here on, so that only /tmp and /dev/shm are writable; nothing written can land on sys.path
    # (the harness folder).
    args += ["--remount-ro", "/dev", "--remount-ro", "/"]
    bootstrap = _bootstrap(SANDBOX_HARNESS_ROOT, _site_packages(), entry)
    return [*args, "--", sys.executable, "-I", "-S", "-c", bootstrap]


class Cgroup:
    """v1 cgroups (pids, memory, and cpu where there is one) for one sandbox, removed on close."""

    def __init__(self, limits: Limits) -> None:
        name = f"course-grade-{os.getpid()}-{time.monotonic_ns()}"
        self.dirs = [root / name for root in CGROUP_ROOTS.values()]
        for path in self.dirs:
            path.mkdir()
        (self.dirs[0] / "pids.max").write_text(str(limits.processes))
        (self.dirs[1] / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
        self.cpu: Path | None = None
        with contextlib.suppress(OSError):
            (CPU_CGROUP_ROOT / name).mkdir()
            self.cpu = CPU_CGROUP_ROOT / name
            self.dirs.append(self.cpu)

    def background(self, on: bool) -> bool:
        """Put the sandbox in the idle scheduling class (on: it runs only on CPU time nothing
        else wants) or back in the usual one; whether it could (``cpu.idle``, Linux 5.15+).
        The smallest ``cpu.shares`` is no substitute: measured here, it starved the sandbox
        even with a core idle."""
        idle = self.cpu / "cpu.idle" if self.cpu is not None else None
        if idle is None or not idle.is_file():
            return False
        idle.write_text("1" if on else "0")
        return True

    def join(self) -> None:
        """Put the calling process into both cgroups (run in the child before exec)."""
        for path in self.dirs:
            (path / "cgroup.procs").write_text(str(os.getpid()))

    def pids(self) -> list[int]:
        """The processes in the cgroup now."""
        return [int(p) for p in (self.dirs[0] / "cgroup.procs").read_text().split()]

    def kill_all(self) -> None:
        for _ in range(50):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)
        for path in self.dirs:
            with contextlib.suppress(OSError):
                path.rmdir()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _give_to_nobody(folder: Path) -> None:
    """Make the worker's own folder (and only it) belong to ``nobody``."""
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, NOBODY, NOBODY, follow_symlinks=False)


def scrubbed_env(device: str) -> dict[str, str]:
    """The worker's whole environment: nothing of the grader's leaks in."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/mpl",
        "IPYTHONDIR": "/tmp/ipython",
        "OMP_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "COURSE_DEVICE": device,
    }
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    return env


class _Spawned:
    """A worker started as its own sandboxed interpreter (bubblewrap, or plain with rlimits)."""

    def __init__(
        self,
        *,
        preload: list[str],
        limits: Limits,
        device: str,
        level: str,
        workdir: Path,
        fds: tuple[int, int],
        log: Any,
    ) -> None:
        self.limits = limits
        self.bubblewrap = level.startswith("bubblewrap")
        self.cgroup = Cgroup(limits) if level.endswith("+cgroup") else None
        # Outside bubblewrap a root grader drops the worker to nobody (bwrap does it inside).
        self.drop_to_nobody = not self.bubblewrap and nobody_can_run_python()
        if self.bubblewrap:
            command = bwrap_command(limits, device)
            cwd = workdir
        else:
            cwd = workdir / "home"
            cwd.mkdir()
            shutil.copytree(HARNESS_DIR, workdir / "opt" / "harness", ignore=_NO_CACHE)
            bootstrap = _bootstrap(str(workdir / "opt"), _site_packages())
            command = [sys.executable, "-I", "-S", "-c", bootstrap]
        command += [*map(str, fds), ",".join(preload)]
        env = scrubbed_env(device)
        if not self.bubblewrap:
            env.update(HOME=str(cwd), TMPDIR=str(cwd), MPLCONFIGDIR=str(cwd / ".mpl"))
            fonts = font_cache()
            if fonts is not None:
                (cwd / ".mpl").mkdir()
                shutil.copy(fonts, cwd / ".mpl" / fonts.name)
            env["IPYTHONDIR"] = str(cwd / ".ipython")
        if self.drop_to_nobody:
            _give_to_nobody(workdir)
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=fds,
            cwd=cwd,
            env=env,
            start_new_session=True,
            preexec_fn=self._in_child,
        )

    def _in_child(self) -> None:
        if self.cgroup is not None:
            self.cgroup.join()
        lim = self.limits
        confine.lower_limits(worker_rlimits(lim))
        if os.getuid() != 0 or self.drop_to_nobody:
            confine.lower_limits([(resource.RLIMIT_NPROC, lim.processes)])
        if self.drop_to_nobody:
            _become_nobody()

    def wait(self, timeout: float) -> int | None:
        """The worker's exit code (negative: killed by that signal), None if still running."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        if code > 128 and self.bubblewrap:
            code = 128 - code  # bwrap exits with 128 + n when its child is killed by signal n
        return code

    def background(self, on: bool) -> bool:
        """Run the worker in the idle scheduling class (on) or the usual one; whether it could."""
        return self.cgroup is not None and self.cgroup.background(on)

    def kill(self) -> None:
        end_sandbox(self.process, self.cgroup)


def end_sandbox(process: subprocess.Popen, cgroup: Cgroup | None) -> None:
    """Kill a sandbox started in its own session: the session, then (with a cgroup) every
    process left in the cgroup, which is removed."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
    if cgroup is not None:
        cgroup.kill_all()


def worker_rlimits(limits: Limits) -> list[tuple[int, int]]:
    """The rlimits every worker runs under, whatever its level (processes aside)."""
    return [
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_SIGPENDING, limits.pending_signals),
        (resource.RLIMIT_MSGQUEUE, limits.mqueue_bytes),
        (resource.RLIMIT_MEMLOCK, limits.locked_bytes),
    ]


class Worker:
    """One sandboxed worker process and its request/reply channel.

    The worker is a fresh interpreter of its own (``level``, default the best available), or,
    with ``pool``, a process forked for this submission alone by that warm pool's server.
    """

    def __init__(
        self,
        *,
        preload: list[str],
        limits: Limits,
        device: str = "auto",
        level: str | None = None,
        pool: WarmPool | None = None,
    ) -> None:
        self.limits = limits
        self.level = pool.level if pool is not None else level or isolation_level()
        self._tmp = tempfile.TemporaryDirectory(prefix="course-grade-worker-")
        workdir = Path(self._tmp.name)
        self.log_path = workdir / "output.log"
        req_r, self._req_w = os.pipe()
        os.set_blocking(self._req_w, False)  # a request that is not read must not block us
        self._rep_r, rep_w = os.pipe()
        self._buffer = bytearray()
        try:
            with open(self.log_path, "wb") as log:
                if pool is not None:
                    self._process: _Spawned | Forked = pool.fork((req_r, rep_w, log.fileno()))
                else:
                    self._process = _Spawned(
                        preload=preload,
                        limits=limits,
                        device=device,
                        level=self.level,
                        workdir=workdir,
                        fds=(req_r, rep_w),
                        log=log,
                    )
        except BaseException:
            self._close_files()
            raise
        finally:
            os.close(req_r)
            os.close(rep_w)

    def background(self, on: bool) -> bool:
        """Run the worker in the idle scheduling class while it runs ahead of its turn (on), or
        the usual one; whether this level can (it needs the cpu cgroup)."""
        return self._process.background(on)

    def send(self, message: Any) -> None:
        """Write a request; WorkerError if the worker died or leaves it unread (a stopped worker
        with a full pipe) for ``SEND_SECONDS``."""
        view = memoryview(boundary.frame(message))
        deadline = time.monotonic() + SEND_SECONDS
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerError("timeout", f"the request was not read within {SEND_SECONDS:g} s")
            _, ready, _ = select.select([], [self._req_w], [], left)
            try:
                view = view[os.write(self._req_w, view) :] if ready else view
            except BlockingIOError:
                continue
            except OSError as exc:
                raise self._died(f"could not send a request ({exc.strerror})") from None

    def receive(self, timeout: float) -> Any:
        """Next message from the worker, or :class:`WorkerError` after ``timeout`` seconds."""
        header = self._read_exact(boundary.HEADER.size, timeout)
        (size,) = boundary.HEADER.unpack(header)
        if size > boundary.MAX_MESSAGE_BYTES:
            raise WorkerError("protocol", "a reply over the size limit")
        try:
            return boundary.decode(self._read_exact(size, timeout))
        except boundary.BoundaryError as exc:
            raise WorkerError("protocol", str(exc)) from None

    def request(self, message: Any, timeout: float) -> Any:
        self.send(message)
        return self.receive(timeout)

    def _read_exact(self, size: int, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while len(self._buffer) < size:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerError("timeout", f"no answer within {timeout:.1f} s")
            ready, _, _ = select.select([self._rep_r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._rep_r, min(1 << 20, max(65536, size - len(self._buffer))))
            if not chunk:
                raise self._died("the worker exited")
            self._buffer += chunk  # in place: a bytearray, so a large reply costs linear time
        data = bytes(memoryview(self._buffer)[:size])  # one copy, not two
        del self._buffer[:size]
        return data

    def _died(self, what: str) -> WorkerError:
        code = self._process.wait(2.0)
        if code is not None and code < 0:
            what += f" (killed by {_signal_name(-code)})"
        elif code is not None:
            what += f" (exit status {code})"
        return WorkerError("crashed", what)

    def log_tail(self) -> str:
        """The last bytes the worker printed, for diagnostics (never shown to other students)."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(max(0, self.log_path.stat().st_size - LOG_TAIL_BYTES))
                return log.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def close(self) -> None:
        """Kill every process of the worker and remove its files."""
        with contextlib.suppress(OSError):
            boundary.send(self._req_w, {"op": "bye"})
        self._process.kill()
        self._close_files()

    def _close_files(self) -> None:
        for fd in (self._req_w, self._rep_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._tmp.cleanup()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
