"""Grading: each submission in its own sandboxed worker, a batch with progress and reports.

Every submission gets a :class:`SubmissionResult`, whatever happens to it: a malformed notebook,
a crash, a timeout or even a fault of the grader itself becomes a record with a reason, and the
batch goes on.
"""

from __future__ import annotations

import functools
import queue
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from rich.progress import Progress

from grader import UsageError, draws, untrusted
from grader.calibrate import TimeLimits, load_limits, resolve_device
from grader.cell_outputs import CellOutput
from grader.impl import WorkerImpl
from grader.layout import release_notebook
from grader.notebook import (
    MalformedNotebook,
    Submission,
    find_submissions,
    read_cells,
    read_release,
)
from grader.runner import QuestionScore, TestResult, run_suite_many, score
from grader.sandbox import Limits, Worker, isolation_level
from grader.status import Status
from grader.suites import Assignment, load_assignment
from grader.warm_pool import WarmPool, pool_possible


@dataclass
class SubmissionResult:
    """The record of one graded submission; ``cell_outputs`` (by index among the code cells
    run) only when the grading was asked to record them; ``others``: notebooks found beside the
    graded one, not graded.

    Every string a submission can control (its path, the reason, cell errors, other file
    names) is made safe here, once, by :func:`grader.untrusted.clean`, so no record holds raw
    submission text; ``name`` is safe already (:func:`grader.notebook.find_submissions`).
    """

    name: str
    path: str
    status: Status
    reason: str
    questions: list[QuestionScore]
    execution_time: float
    isolation: str
    cell_errors: dict[int, str] = field(default_factory=dict)
    cell_outputs: dict[int, list[CellOutput]] = field(default_factory=dict)
    others: tuple[str, ...] = ()
    #: The seed of the hidden inputs drawn (:mod:`grader.draws`); None when nothing was run.
    seed: int | None = None

    def __post_init__(self) -> None:
        self.path = untrusted.clean(self.path)
        self.status = Status(self.status)
        self.reason = untrusted.clean(self.reason)
        self.cell_errors = {
            int(i): untrusted.clean(text, lines=True) for i, text in self.cell_errors.items()
        }
        self.others = tuple(untrusted.clean(o, untrusted.MAX_NAME) for o in self.others[:20])

    @property
    def total(self) -> float:
        return round(sum(q.score for q in self.questions), 4)


def _zero_scores(assignment: Assignment) -> list[QuestionScore]:
    return [QuestionScore(q, 0.0, float(p), []) for q, p in assignment.questions.items()]


class _Session:
    """Grades submissions, as they come, in one pytest session (see :func:`grade_many`)."""

    def __init__(
        self,
        assignment: Assignment,
        limits: TimeLimits,
        device: str,
        level: str,
        worker_limits: Limits,
        *,
        warm: bool,
        lookahead: bool,
        on_result: Callable[[SubmissionResult], None],
        outputs: bool = False,
        secret: str | None = None,
    ) -> None:
        self.assignment = assignment
        self.secret = draws.course_secret(secret)
        self.outputs = outputs
        self.limits = limits
        self.worker_limits = worker_limits
        self.device = device
        self.level = level
        self.warm = warm and pool_possible(level)
        self.lookahead = lookahead
        self.on_result = on_result
        self.pools: list[WarmPool] = []
        released = release_notebook(assignment.name)
        self.release = read_release(released) if released.is_file() else None
        self._current: dict[int, tuple[Submission, float]] = {}
        self._seen: list[Submission] = []
        self._recorded: set[str] = set()
        self._made = 0

    def _record(
        self, sub: Submission, started: float, status: Status, reason: str, questions, **extra
    ) -> None:
        self._recorded.add(sub.name)
        self.on_result(
            SubmissionResult(
                sub.name,
                str(sub.path),
                status,
                reason,
                questions,
                round(time.perf_counter() - started, 3),
                self.level,
                others=sub.others,
                **extra,
            )
        )

    def _spawn(self, pool: WarmPool | None) -> Worker:
        return Worker(
            preload=list(self.assignment.preload),
            limits=self.worker_limits,
            device=self.device,
            level=self.level,
            pool=pool,
        )

    def _prepare(self, sub: Submission) -> WorkerImpl | None:
        """The submission's implementation, or None once a reader failure is recorded."""
        started = time.perf_counter()
        self._seen.append(sub)
        zero = _zero_scores(self.assignment)
        if sub.missing:
            self._record(sub, started, Status.MISSING, sub.missing, zero)
            return None
        try:
            cells = read_cells(sub.path, self.release)
        except MalformedNotebook as exc:
            self._record(sub, started, Status.MALFORMED, str(exc), zero)
            return None
        except Exception as exc:  # a reader fault costs this submission only
            reason = f"the notebook could not be read ({type(exc).__name__}: {exc})"
            self._record(sub, started, Status.GRADER_ERROR, reason[:500], zero)
            return None
        self._made += 1  # consecutive submissions alternate between the pools
        pool = self.pools[self._made % len(self.pools)] if self.pools else None
        spawn = functools.partial(self._spawn, pool)
        impl = WorkerImpl(
            [source for _, source in cells],
            cell_timeout=self.limits.cell,
            spawn=spawn,
            outputs=self.outputs,
            cell_names=[name for name, _ in cells],
        )
        impl.seed = draws.submission_seed(self.secret, [source for _, source in cells])
        self._current[id(impl)] = (sub, started)
        return impl

    def impls(self, submissions: Iterable[Submission]) -> Iterator[WorkerImpl]:
        """One implementation per readable submission.

        With ``lookahead`` the next submission's worker is started while this one is tested
        (see :meth:`WorkerImpl.prestart`: in the background, in the idle scheduling class, where
        the level has a cpu cgroup); forked workers alternate between two warm pools, so that each
        pool still holds one worker at a time.
        """
        readable = (impl for impl in map(self._prepare, submissions) if impl is not None)
        if not self.lookahead:  # nor take the next submission before this one is graded
            yield from readable
            return
        ahead = next(readable, None)
        try:
            while ahead is not None:
                impl, ahead = ahead, next(readable, None)
                if ahead is not None:
                    ahead.prestart()
                yield impl
        finally:
            if ahead is not None:
                ahead.close()

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
            cell_outputs=impl.log.cell_outputs,
            seed=impl.seed,
        )

    def run(self, submissions: Iterable[Submission]) -> None:
        """Grade ``submissions``; a grader fault is recorded for each one taken but not graded
        (those not taken yet are left to the caller)."""
        started = time.perf_counter()
        try:
            for _ in range((2 if self.lookahead else 1) if self.warm else 0):
                self.pools.append(  # the servers import while pytest collects the suite
                    WarmPool(
                        preload=list(self.assignment.preload),
                        limits=self.worker_limits,
                        device=self.device,
                        level=self.level,
                    )
                )
            run_suite_many(
                self.assignment, self.impls(submissions), self.done, limits=self.limits.tests
            )
        except Exception as exc:  # a grader fault is recorded, the batch goes on
            for sub in self._seen:
                if sub.name not in self._recorded:
                    reason = f"{type(exc).__name__}: {exc}"
                    self._record(
                        sub, started, Status.GRADER_ERROR, reason, _zero_scores(self.assignment)
                    )
        finally:
            for pool in self.pools:
                pool.close()


def fault_record(
    assignment: Assignment, sub: Submission, level: str, reason: str
) -> SubmissionResult:
    """The record of a submission that a fault of the grader left ungraded."""
    return SubmissionResult(
        sub.name,
        str(sub.path),
        Status.GRADER_ERROR,
        reason,
        _zero_scores(assignment),
        0.0,
        level,
        others=sub.others,
    )


def grade_many(
    assignment: Assignment,
    submissions: list[Submission],
    *,
    limits: TimeLimits,
    device: str = "cpu",
    level: str | None = None,
    worker_limits: Limits | None = None,
    warm: bool = True,
    lookahead: bool = True,
    on_result: Callable[[SubmissionResult], None] | None = None,
    secret: str | None = None,
) -> list[SubmissionResult]:
    """Grade submissions one after another in one pytest session, each in its own worker.

    Collection happens once. At the bubblewrap levels with ``warm``, each worker is forked from
    a :class:`~grader.warm_pool.WarmPool` that did the imports once; otherwise each is a fresh
    sandboxed interpreter. Either way a worker serves one submission only. With ``lookahead``
    the next submission's worker starts while the previous one is tested, in the background
    (worth it when a core is idle, as with one job). ``worker_limits`` caps each worker
    (default :class:`Limits`); ``on_result`` is called with each record as soon as it is made;
    ``secret`` is the course secret of the drawn inputs (:func:`grader.draws.course_secret`).
    Never raises for anything a submission does.
    """
    if len({sub.name for sub in submissions}) < len(submissions):
        raise ValueError("submissions must have unique names (see find_submissions)")
    level = level or isolation_level()
    results: dict[str, SubmissionResult] = {}

    def keep(result: SubmissionResult) -> None:
        results[result.name] = result
        if on_result is not None:
            on_result(result)

    session = _Session(
        assignment,
        limits,
        device,
        level,
        worker_limits or Limits(),
        warm=warm,
        lookahead=lookahead and len(submissions) > 1,
        on_result=keep,
        secret=secret,
    )
    session.run(submissions)
    for sub in submissions:
        if sub.name not in results:
            keep(fault_record(assignment, sub, level, "the grading session stopped before it"))
    return [results[sub.name] for sub in submissions]


def grade_submission(
    assignment: Assignment,
    submission: Submission,
    *,
    limits: TimeLimits,
    device: str = "cpu",
    level: str | None = None,
    secret: str | None = None,
) -> SubmissionResult:
    """Grade one notebook; never raises for anything the submission does."""
    return grade_many(
        assignment, [submission], limits=limits, device=device, level=level, secret=secret
    )[0]


#: The queues a job process shares with the batch: submissions to take, records made.
_QUEUES: tuple[Any, Any] | None = None


def _share_queues(todo: Any, made: Any) -> None:
    global _QUEUES
    _QUEUES = (todo, made)


@dataclass(frozen=True)
class JobOptions:
    """How a job process grades: everything but the submissions (picklable, for ``spawn``)."""

    assignment: str
    limits: TimeLimits
    device: str
    level: str
    warm: bool
    worker_limits: Limits = field(default_factory=Limits)
    outputs: bool = False
    secret: str | None = None


def serve_queue(options: JobOptions, todo: Any, made: Any) -> None:
    """In a job process: grade the submissions taken from ``todo`` until it gives None, putting
    each record on ``made``, in one pytest session and one warm pool."""
    session = _Session(
        load_assignment(options.assignment),
        options.limits,
        options.device,
        options.level,
        options.worker_limits,
        warm=options.warm,
        lookahead=False,  # the other jobs (or, under nbgrader, the caller) keep the cores busy
        on_result=made.put,
        outputs=options.outputs,
        secret=options.secret,
    )
    session.run(iter(todo.get, None))
    made.close()
    made.join_thread()  # every record is in the pipe before this job reports that it is done


def _grade_shared(options: JobOptions) -> None:
    """In a job process of :func:`grade_batch`: serve the queues it shares."""
    assert _QUEUES is not None
    serve_queue(options, *_QUEUES)


def grade_batch(
    assignment_name: str,
    paths: list[Path],
    *,
    jobs: int = 1,
    device: str = "auto",
    show_progress: bool = True,
    warm: bool = True,
    secret: str | None = None,
) -> list[SubmissionResult]:
    """Grade every submission found under ``paths``, ``jobs`` processes at once, in input order.

    With one job the submissions are graded in this process. With more, each job process runs
    one pytest session (and warm pool) and takes the next submission from a shared queue when it
    is free, so that slow submissions spread over the processes. Progress advances per
    submission.
    """
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    assignment = load_assignment(assignment_name)
    submissions = find_submissions(paths, assignment_name)
    if not submissions:
        raise UsageError(f"no notebooks found in {', '.join(map(str, paths))}")
    device = resolve_device(device)
    secret = draws.course_secret(secret)
    limits = load_limits(assignment, device)
    level = isolation_level()
    jobs = min(jobs, len(submissions))
    with Progress(transient=True, disable=not show_progress) as progress:
        bar = progress.add_task(f"grading {assignment_name}", total=len(submissions))
        advance = functools.partial(progress.advance, bar)
        if jobs == 1:
            return grade_many(
                assignment,
                submissions,
                limits=limits,
                device=device,
                level=level,
                warm=warm,
                on_result=lambda _: advance(1),
                secret=secret,
            )
        context = get_context("spawn")
        todo, made = context.Queue(), context.Queue()
        for sub in [*submissions, *[None] * jobs]:
            todo.put(sub)
        results: dict[str, SubmissionResult] = {}
        with ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_share_queues, initargs=(todo, made)
        ) as pool:
            options = JobOptions(assignment_name, limits, device, level, warm, secret=secret)
            futures = [pool.submit(_grade_shared, options) for _ in range(jobs)]
            while len(results) < len(submissions):
                try:
                    result = made.get(timeout=0.5)
                except queue.Empty:
                    if all(f.done() for f in futures) and made.empty():
                        break
                    continue
                results[result.name] = result
                advance(1)
        todo.cancel_join_thread()  # entries left by jobs that stopped early must not block exit
        faults = [repr(f.exception()) for f in futures if f.exception() is not None]
        reason = "its grading process " + (
            f"failed ({'; '.join(faults)})" if faults else "stopped before it (see the log)"
        )
        return [
            results.get(sub.name) or fault_record(assignment, sub, level, reason[:500])
            for sub in submissions
        ]
