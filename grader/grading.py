"""Grading: one submission in a fresh sandboxed worker, or a batch with progress and reports.

Every submission gets a :class:`SubmissionResult`, whatever happens to it: a malformed notebook,
a crash, a timeout or even a fault of the grader itself becomes a record with a reason, and the
batch goes on.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from rich.progress import Progress

from grader import GraderError
from grader.calibrate import TimeLimits, load_limits, resolve_device
from grader.impl import WorkerImpl
from grader.layout import release_notebook
from grader.notebook import (
    MalformedNotebook,
    Submission,
    find_submissions,
    read_code_cells,
    release_cell_kinds,
)
from grader.runner import QuestionScore, TestResult, run_suite_many, score
from grader.sandbox import Limits, Worker, isolation_level
from grader.suites import Assignment, load_assignment
from grader.warm_pool import WarmPool

#: Most submissions one process grades in one pytest session before reporting progress.
CHUNK = 8


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


class _Chunk:
    """Grades a list of submissions in one pytest session (see :func:`grade_many`)."""

    def __init__(
        self,
        assignment: Assignment,
        submissions: list[Submission],
        limits: TimeLimits,
        device: str,
        level: str,
        worker_limits: Limits,
        warm: bool,
    ) -> None:
        self.assignment = assignment
        self.submissions = submissions
        self.limits = limits
        self.worker_limits = worker_limits
        self.device = device
        self.level = level
        self.warm = warm and level.startswith("bubblewrap")
        self.pool: WarmPool | None = None
        released = release_notebook(assignment.name)
        self.release = release_cell_kinds(released) if released.is_file() else None
        self.results: dict[str, SubmissionResult] = {}
        self._current: dict[int, tuple[Submission, float]] = {}

    def _record(
        self, sub: Submission, started: float, status: str, reason: str, questions, **extra
    ) -> None:
        self.results[sub.name] = SubmissionResult(
            sub.name,
            str(sub.path),
            status,
            reason,
            questions,
            round(time.perf_counter() - started, 3),
            self.level,
            **extra,
        )

    def _spawn(self) -> Worker:
        return Worker(
            preload=list(self.assignment.preload),
            limits=self.worker_limits,
            device=self.device,
            level=self.level,
            pool=self.pool,
        )

    def impls(self) -> Iterator[WorkerImpl]:
        """One implementation per readable submission.

        With a warm pool each worker is forked when its submission's first call comes; without
        one, the next submission's fresh worker is spawned ahead, importing while this one runs.
        """
        spare: Worker | None = None
        try:
            for index, sub in enumerate(self.submissions):
                started = time.perf_counter()
                try:
                    cells = read_code_cells(sub.path, self.release)
                except MalformedNotebook as exc:
                    self._record(sub, started, "malformed", str(exc), _zero_scores(self.assignment))
                    continue
                except Exception as exc:  # a reader fault costs this submission only
                    reason = f"the notebook could not be read ({type(exc).__name__}: {exc})"
                    self._record(
                        sub, started, "grader-error", reason[:500], _zero_scores(self.assignment)
                    )
                    continue
                if self.pool is None:
                    spare = spare or self._spawn()
                impl = WorkerImpl(
                    cells, cell_timeout=self.limits.cell, spawn=self._spawn, spare=spare
                )
                last = index + 1 == len(self.submissions)
                spare = None if self.pool is not None or last else self._spawn()
                self._current[id(impl)] = (sub, started)
                yield impl
        finally:
            if spare is not None:
                spare.close()

    def done(self, impl: WorkerImpl, tests: list[TestResult]) -> None:
        impl.close()
        sub, started = self._current.pop(id(impl))
        reason = "; ".join(dict.fromkeys(impl.log.events))
        self._record(
            sub,
            started,
            impl.log.status,
            reason,
            score(self.assignment, tests),
            cell_errors=impl.log.cell_errors,
        )

    def run(self) -> list[SubmissionResult]:
        started = time.perf_counter()
        try:
            if self.warm:  # it imports while pytest collects the suite
                self.pool = WarmPool(
                    preload=list(self.assignment.preload),
                    limits=self.worker_limits,
                    device=self.device,
                    level=self.level,
                )
            run_suite_many(self.assignment, self.impls(), self.done, limits=self.limits.tests)
        except Exception as exc:  # a grader fault is recorded, the batch goes on
            for sub in self.submissions:
                if sub.name not in self.results:
                    self._record(
                        sub,
                        started,
                        "grader-error",
                        f"{type(exc).__name__}: {exc}",
                        _zero_scores(self.assignment),
                    )
        finally:
            if self.pool is not None:
                self.pool.close()
        return [self.results[sub.name] for sub in self.submissions]


def grade_many(
    assignment: Assignment,
    submissions: list[Submission],
    *,
    limits: TimeLimits,
    device: str = "cpu",
    level: str | None = None,
    worker_limits: Limits | None = None,
    warm: bool = True,
) -> list[SubmissionResult]:
    """Grade submissions one after another in one pytest session, each in its own worker.

    Collection happens once. At the bubblewrap levels with ``warm``, each worker is forked from
    a :class:`~grader.warm_pool.WarmPool` that did the imports once; otherwise each is a fresh
    sandboxed interpreter, spawned (and importing) while the previous submission is tested.
    Either way a worker serves one submission only. ``worker_limits`` caps each worker
    (default :class:`Limits`). Never raises for anything a submission does.
    """
    chunk = _Chunk(
        assignment,
        submissions,
        limits,
        device,
        level or isolation_level(),
        worker_limits or Limits(),
        warm,
    )
    return chunk.run()


def grade_submission(
    assignment: Assignment,
    submission: Submission,
    *,
    limits: TimeLimits,
    device: str = "cpu",
    level: str | None = None,
) -> SubmissionResult:
    """Grade one notebook; never raises for anything the submission does."""
    return grade_many(assignment, [submission], limits=limits, device=device, level=level)[0]


def _grade_chunk(
    args: tuple[str, list[Submission], TimeLimits, str, str, bool],
) -> list[SubmissionResult]:
    name, submissions, limits, device, level, warm = args
    return grade_many(
        load_assignment(name), submissions, limits=limits, device=device, level=level, warm=warm
    )


def grade_batch(
    assignment_name: str,
    paths: list[Path],
    *,
    jobs: int = 1,
    device: str = "auto",
    show_progress: bool = True,
    warm: bool = True,
) -> list[SubmissionResult]:
    """Grade every submission found under ``paths``, ``jobs`` processes at once, in input order.

    Submissions are dealt round-robin into at least ``jobs`` chunks of at most ``CHUNK`` (one
    pytest session and one warm pool each, see :func:`grade_many`); progress advances chunk by
    chunk.
    """
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
    count = max(jobs, math.ceil(len(submissions) / CHUNK))
    # Dealt round-robin, so that slow submissions next to each other spread over the processes.
    chunks = [list(range(i, len(submissions), count)) for i in range(count)]
    chunks = [chunk for chunk in chunks if chunk]
    tasks = [
        (assignment_name, [submissions[i] for i in chunk], limits, device, level, warm)
        for chunk in chunks
    ]
    results: list[SubmissionResult | None] = [None] * len(submissions)
    with Progress(transient=True, disable=not show_progress) as progress:
        bar = progress.add_task(f"grading {assignment_name}", total=len(submissions))
        if jobs == 1:
            outcomes = zip(chunks, map(_grade_chunk, tasks), strict=True)
        else:
            pool = ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=get_context("spawn"))
            futures = {pool.submit(_grade_chunk, task): i for i, task in enumerate(tasks)}
            outcomes = ((chunks[futures[f]], f.result()) for f in as_completed(futures))
        for chunk, chunk_results in outcomes:
            for index, result in zip(chunk, chunk_results, strict=True):
                results[index] = result
            progress.advance(bar, len(chunk_results))
        if jobs > 1:
            pool.shutdown()
    return [result for result in results if result is not None]
