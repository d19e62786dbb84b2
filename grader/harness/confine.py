"""What a worker does to itself before it runs a submission's first cell (inside the sandbox).

``fresh_namespaces``
    For a worker forked by the warm pool: its own mount, IPC, UTS and network namespaces, with new
    tmpfs mounts on every writable path (``/tmp``, ``/dev/shm``) and a new ``/dev/mqueue``. No
    earlier worker could have touched any of them, whatever it left (files, ACLs, extended
    attributes, System V and POSIX IPC objects, sockets): they were never shared. The server
    holds the capabilities this needs (in the sandbox's own user namespace only), and the worker
    gives them all up with :func:`drop_capabilities` before any student code runs.
``deny_host_tables``
    A seccomp filter refusing (``EPERM``) the system calls whose objects live in tables that
    outlive the worker or belong to the host user rather than to the sandbox: keyrings
    (``add_key``, ``request_key``, ``keyctl``), inotify and fanotify instances (counted per host
    user), ``userfaultfd``, ``perf_event_open`` and ``bpf``. Nothing a notebook does needs them.

Everything else that could carry state from one worker to the next is handled elsewhere: the
server kills every other process of the sandbox between two workers (its pid namespace), and it
compares its own settings before and after (see :mod:`.zygote`). Standard library only: this runs
in the sandbox.
"""

from __future__ import annotations

import ctypes
import os
import resource
import stat
import struct
from collections.abc import Collection

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
MS_RDONLY, MS_REMOUNT, MS_BIND = 1, 32, 4096
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, PR_CAPBSET_DROP = 38, 22, 24
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
LINUX_CAPABILITY_VERSION_3 = 0x20080522
#: Per architecture: its audit number, and the numbers of the refused system calls.
ARCHES = {
    "x86_64": (
        0xC000003E,
        {
            "add_key": 248,
            "request_key": 249,
            "keyctl": 250,
            "inotify_init": 253,
            "inotify_init1": 294,
            "fanotify_init": 300,
            "perf_event_open": 298,
            "bpf": 321,
            "userfaultfd": 323,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "add_key": 217,
            "request_key": 218,
            "keyctl": 219,
            "inotify_init1": 26,
            "fanotify_init": 262,
            "perf_event_open": 241,
            "bpf": 280,
            "userfaultfd": 282,
        },
    ),
}
#: x86_64's x32 system calls carry this bit; the filter refuses them all.
X32_BIT = 0x40000000

_libc = ctypes.CDLL(None, use_errno=True)


class ConfineError(OSError):
    """The worker could not confine itself; it must not run the submission."""


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise ConfineError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str, target: str, kind: str | None, flags: int, data: str = "") -> None:
    _check(
        _libc.mount(
            source.encode(), target.encode(), kind.encode() if kind else None, flags, data.encode()
        ),
        f"mount {target}",
    )


def _mounts_under(folder: str, skip: Collection[str]) -> list[tuple[str, int]]:
    """The mount points below ``folder`` but those in ``skip`` (written anew), parents first,
    each with an ``O_PATH`` descriptor that still reaches it once a new mount hides ``folder``
    (the sandbox's read-only binds of an interpreter or a project that lives under ``/tmp``)."""
    with open("/proc/self/mountinfo") as table:
        points = [line.split()[4] for line in table]
    inside = [p for p in dict.fromkeys(points) if p.startswith(folder + "/") and p not in skip]
    return [(p, os.open(p, os.O_PATH)) for p in sorted(inside, key=len)]


def fresh_namespaces(tmp_bytes: int, files: dict[str, bytes]) -> None:
    """Own mount, IPC, UTS and network namespaces, new writable mounts, cwd ``/tmp``; then write
    ``files`` (path -> bytes, a fresh worker's few read-mostly files) into the new ``/tmp``."""
    flags = CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET
    _check(_libc.unshare(flags), "unshare")
    _mount("none", "/", None, MS_REC | MS_PRIVATE)  # nothing mounted here reaches the server
    plain = MS_NOSUID | MS_NODEV
    for target in ("/tmp", "/dev/shm"):
        kept = _mounts_under(target, skip=files)  # a project checked out under /tmp
        _mount("tmpfs", target, "tmpfs", plain, f"size={tmp_bytes},mode=1777")
        for path, fd in kept:
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                os.makedirs(path, exist_ok=True)
            else:  # a bound file (the font cache): a file to bind it on
                os.makedirs(os.path.dirname(path), exist_ok=True)
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))
            _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND)
            _mount("none", path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | plain)
            os.close(fd)
    _mount("mqueue", "/dev/mqueue", "mqueue", plain | MS_NOEXEC)  # this IPC namespace's queues
    os.chdir("/tmp")  # the old cwd is the server's /tmp
    for path, data in files.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)


def lower_limits(limits: list[list[int]] | list[tuple[int, int]]) -> None:
    """Set each ``(resource, value)`` rlimit, soft and hard, to ``value`` or to the present hard
    limit where that is lower already (an unprivileged process cannot raise it)."""
    for which, value in limits:
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint32) for name in ("effective", "permitted", "inheritable")]


def capabilities() -> dict[str, int]:
    """This process's capability sets, from ``/proc/self/status``."""
    with open("/proc/self/status") as status:
        rows = [line.split(":", 1) for line in status if line.startswith("Cap")]
    return {name: int(value, 16) for name, value in rows}


def drop_capabilities() -> None:
    """Give up every capability, for good (bounding and ambient sets included); ConfineError
    unless all five sets read zero afterwards."""
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    for cap in range(64):
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # past the last capability: EINVAL, ignored
    header = _CapHeader(LINUX_CAPABILITY_VERSION_3, 0)
    _check(_libc.capset(ctypes.byref(header), (_CapData * 2)()), "capset")
    left = {name: value for name, value in capabilities().items() if value}
    if left:
        raise ConfineError(0, f"capabilities left after dropping them: {left}")


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def _bpf(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def seccomp_program(machine: str) -> bytes:
    """The BPF program of :func:`deny_host_tables` for ``machine`` (``os.uname().machine``):
    another architecture's calls are refused; so are x32 calls; listed calls get ``EPERM``."""
    audit_arch, numbers = ARCHES[machine]
    load, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    deny = SECCOMP_RET_ERRNO | 1  # EPERM
    listed = sorted(set(numbers.values()))
    program = [
        _bpf(load, 0, 0, 4),  # seccomp_data.arch
        _bpf(jeq, 1, 0, audit_arch),
        _bpf(ret, 0, 0, deny),
        _bpf(load, 0, 0, 0),  # seccomp_data.nr
        _bpf(jge, len(listed) + 1, 0, X32_BIT),
    ]
    for index, number in enumerate(listed):
        program.append(_bpf(jeq, len(listed) - index, 0, number))
    program += [_bpf(ret, 0, 0, SECCOMP_RET_ALLOW), _bpf(ret, 0, 0, deny)]
    return b"".join(program)


def deny_host_tables() -> bool:
    """Install the seccomp filter (see the module docstring); whether this architecture has one.
    Sets ``no_new_privs`` first, which the kernel requires of an unprivileged process."""
    machine = os.uname().machine
    if machine not in ARCHES:
        return False
    program = seccomp_program(machine)
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    fprog = _SockFprog(len(program) // 8, program)
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "seccomp")
    return True
