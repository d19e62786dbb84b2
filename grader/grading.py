"""Grading: one submission in a fresh sandboxed worker, or a batch with progress and reports.

Every submission gets a :class:`SubmissionResult`, whatever happens to it: a malformed notebook,
a crash, a timeout or even a fault of the grader itself becomes a record with a reason, and the
batch goes on.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from rich.progress import Progress

from grader import GraderError
from grader.calibrate import TimeLimits, load_limits, resolve_device
from grader.impl import WorkerImpl
from grader.notebook import MalformedNotebook, Submission, find_submissions, read_code_cells
from grader.runner import QuestionScore, run_suite, score
from grader.sandbox import Limits, isolation_level
from grader.suites import Assignment, load_assignment


@dataclass
class SubmissionResult:
    """The record of one graded submission."""

    name: str
    path: str
    status: str
    reason: str
    questions: list[QuestionScore]
    execution_time: float
    isolation: str
    cell_errors: dict[int, str] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return round(sum(q.score for q in self.questions), 4)


def _zero_scores(assignment: Assignment) -> list[QuestionScore]:
    return [QuestionScore(q, 0.0, float(p), []) for q, p in assignment.questions.items()]


def grade_submission(
    assignment: Assignment,
    submission: Submission,
    *,
    limits: TimeLimits,
    device: str = "cpu",
    level: str | None = None,
) -> SubmissionResult:
    """Grade one notebook; never raises for anything the submission does."""
    started = time.perf_counter()
    level = level or isolation_level()

    def record(
        status: str, reason: str, questions: list[QuestionScore], **extra
    ) -> SubmissionResult:
        return SubmissionResult(
            submission.name,
            str(submission.path),
            status,
            reason,
            questions,
            round(time.perf_counter() - started, 3),
            level,
            **extra,
        )

    try:
        cells = read_code_cells(submission.path)
    except MalformedNotebook as exc:
        return record("malformed", str(exc), _zero_scores(assignment))
    impl = WorkerImpl(
        cells,
        preload=list(assignment.preload),
        cell_timeout=limits.cell,
        limits=Limits(),
        device=device,
        level=level,
    )
    try:
        results = run_suite(assignment, impl, limits=limits.tests)
    except Exception as exc:
        return record("grader-error", f"{type(exc).__name__}: {exc}", _zero_scores(assignment))
    finally:
        impl.close()
    reason = "; ".join(dict.fromkeys(impl.log.events))
    return record(
        impl.log.status, reason, score(assignment, results), cell_errors=impl.log.cell_errors
    )


def _grade_one(args: tuple[str, Submission, TimeLimits, str, str]) -> SubmissionResult:
    name, submission, limits, device, level = args
    return grade_submission(
        load_assignment(name), submission, limits=limits, device=device, level=level
    )


def grade_batch(
    assignment_name: str,
    paths: list[Path],
    *,
    jobs: int = 1,
    device: str = "auto",
    show_progress: bool = True,
) -> list[SubmissionResult]:
    """Grade every submission found under ``paths``, ``jobs`` at a time, in input order."""
    if jobs < 1:
        raise GraderError(f"--jobs must be at least 1, got {jobs}")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise GraderError(f"no such file or folder: {', '.join(missing)}")
    assignment = load_assignment(assignment_name)
    submissions = find_submissions(paths, assignment_name)
    if not submissions:
        raise GraderError(f"no notebooks found in {', '.join(map(str, paths))}")
    device = resolve_device(device)
    limits = load_limits(assignment, device)
    level = isolation_level()
    tasks = [(assignment_name, s, limits, device, level) for s in submissions]
    results: list[SubmissionResult] = []
    with Progress(transient=True, disable=not show_progress) as progress:
        bar = progress.add_task(f"grading {assignment_name}", total=len(tasks))
        if jobs == 1:
            for task in tasks:
                results.append(_grade_one(task))
                progress.advance(bar)
        else:
            workers = min(jobs, len(tasks), os.cpu_count() or 1)
            with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
                for result in pool.map(_grade_one, tasks):
                    results.append(result)
                    progress.advance(bar)
    return results
