"""Calibration: time limits as multiples of the reference's own times on this machine.

A hidden test's limit is ``max(TEST_FLOOR, FACTOR * t_ref)`` where ``t_ref`` is the time the
reference solution notebook takes on that test here, on this device; a notebook cell's limit is
``max(CELL_FLOOR, FACTOR * t_load)`` with ``t_load`` the time the reference needs to run all its
cells. So a limit means the same on a laptop, a 2-core CI box and a GPU machine. Calibrations are
cached per machine, device and suite version (a hash of the suite and the reference source), in
``$COURSE_GRADE_CACHE`` or ``~/.cache/course-grade``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import platform
from dataclasses import asdict, dataclass
from pathlib import Path

from grader import GraderError, UsageError
from grader.impl import WorkerImpl
from grader.layout import cache_dir, solution_notebook
from grader.notebook import read_code_cells
from grader.runner import run_suite
from grader.sandbox import Limits, Worker
from grader.suites import Assignment, assignment_names, load_assignment

FACTOR = 10.0
TEST_FLOOR = 5.0
CELL_FLOOR = 30.0
#: Limits while calibrating: generous, the reference is trusted to finish.
CALIBRATION_LIMIT = 600.0


@dataclass(frozen=True)
class TimeLimits:
    """Per-cell and per-test time limits (seconds) for one assignment on one device."""

    cell: float
    tests: dict[str, float]
    device: str
    fingerprint: str


def resolve_device(device: str) -> str:
    """``auto`` -> ``cuda`` where an NVIDIA device is present, else ``cpu``."""
    if device not in ("auto", "cpu", "cuda"):
        raise UsageError(f"--device must be auto, cpu or cuda, got {device!r}")
    if device == "auto":
        return "cuda" if Path("/dev/nvidiactl").exists() else "cpu"
    if device == "cuda" and not Path("/dev/nvidiactl").exists():
        raise UsageError("--device cuda was asked for, but this machine has no NVIDIA device")
    return device


def fingerprint(assignment: Assignment) -> str:
    """Hash of the suite files and the reference source: a new suite needs new limits."""
    digest = hashlib.sha256()
    for path in sorted(assignment.suite_dir.glob("*.py")):
        digest.update(path.read_bytes())
    spec = importlib.util.find_spec(assignment.reference)  # its file, without importing it
    if spec is None or spec.origin is None:
        raise GraderError(f"the reference module {assignment.reference} cannot be found")
    digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:16]


def cache_file(device: str) -> Path:
    return cache_dir() / f"calibration-{platform.node() or 'host'}-{device}.json"


def calibrate(assignment: Assignment, device: str) -> TimeLimits:
    """Time the reference solution notebook through the real sandbox and derive limits."""
    notebook = solution_notebook(assignment.name)
    if not notebook.is_file():
        raise GraderError(f"cannot calibrate: {notebook} is missing (run `course-grade build`)")
    impl = WorkerImpl(
        read_code_cells(notebook),
        cell_timeout=CALIBRATION_LIMIT,
        spawn=lambda: Worker(preload=list(assignment.preload), limits=Limits(), device=device),
    )
    try:
        results = run_suite(assignment, impl, default_limit=CALIBRATION_LIMIT)
    finally:
        impl.close()
    failed = [r.nodeid for r in results if not r.passed]
    if failed:
        raise GraderError(f"the reference fails its own suite, cannot calibrate: {failed[:3]}")
    tests = {r.nodeid: round(max(TEST_FLOOR, FACTOR * r.seconds), 2) for r in results}
    cell = round(max(CELL_FLOOR, FACTOR * impl.log.load_seconds), 2)
    return TimeLimits(cell, tests, device, fingerprint(assignment))


def load_limits(assignment: Assignment, device: str, *, refresh: bool = False) -> TimeLimits:
    """Cached limits for ``assignment`` on ``device``, calibrating first when missing or stale."""
    path = cache_file(device)
    cached = json.loads(path.read_text()) if path.is_file() else {}
    entry = cached.get(assignment.name)
    if not refresh and entry and entry.get("fingerprint") == fingerprint(assignment):
        return TimeLimits(**entry)
    limits = calibrate(assignment, device)
    cached[assignment.name] = asdict(limits)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cached, indent=1, sort_keys=True))
    return limits


def main(*, device: str = "auto", assignments: list[str] | None = None) -> dict[str, TimeLimits]:
    """``course-grade calibrate``: measure and cache the limits of the given assignments."""
    device = resolve_device(device)
    return {
        name: load_limits(load_assignment(name), device, refresh=True)
        for name in (assignments or assignment_names())
    }
