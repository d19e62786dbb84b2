"""The runner: pytest over one assignment's hidden suite with ``impl`` bound, and the scoring.

Each test carries ``@pytest.mark.question(name, weight=1.0)``. A question scores
``points * (passed weight) / (total weight)``, and 0 when any of its visible checks fails (as in
nbgrader, where a failing visible assert errors the whole test cell); the points are split over
the tests exactly (:func:`shares`), so what the reports list per test adds up to the score.
Failure text shown to students is the test's own message: assertion rewriting is off, so hidden
inputs and test source never reach the feedback.
"""

from __future__ import annotations

import enum
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from grader import GraderError, draws, untrusted
from grader.checks import visible_params
from grader.impl import Impl, SubmissionError
from grader.suites import SUITES_DIR, Assignment

#: Per-test time limit used when no calibration is known for a test.
DEFAULT_TEST_LIMIT = 60.0
#: The shared module of visible-checks tests, collected with every suite.
VISIBLE_MODULE = str(SUITES_DIR / "visible.py")


class Failure(enum.Enum):
    """How a test failed, in words that name no input (the nbgrader cells show only these)."""

    WRONG = "returned a wrong value"
    RAISED = "raised an exception"
    STOPPED = "did not return (a time limit, or the worker stopped)"
    UNUSABLE = "returned something the check could not use"


@dataclass
class TestResult:
    """One hidden test's outcome for one implementation (``failure`` None when it passed)."""

    question: str
    name: str
    nodeid: str
    weight: float
    visible: bool
    passed: bool
    message: str
    seconds: float
    failure: Failure | None = None

    def __post_init__(self) -> None:
        self.message = untrusted.clean(self.message)  # it may quote what a submission raised


class Outcome(enum.Enum):
    """What one test contributes to its question's score."""

    PASSED = "passed"
    FAILED = "failed"
    #: Passed, but a visible check of the same question failed, so it earns nothing.
    BLOCKED = "blocked"


#: Points are kept in units of 1/POINT_UNITS so that per-test points add up exactly.
POINT_UNITS = 10_000


@dataclass(frozen=True)
class TestScore:
    """One test's part of its question: ``points`` earned of ``max_points``."""

    test: TestResult
    outcome: Outcome
    points: float
    max_points: float


@dataclass
class QuestionScore:
    """A question's score; ``entries`` (one per test, in ``tests`` order) carry the points each
    test earned, which add up to ``score`` exactly, as their maxima add up to ``max_score``."""

    question: str
    score: float
    max_score: float
    tests: list[TestResult]
    entries: list[TestScore] = field(default_factory=list)


def _describe_failure(exc: BaseException, visible: bool) -> tuple[str, Failure]:
    """A failed test's message and kind, in the grader's words only.

    A wrong value's message is the check's own (:mod:`grader.checks` names no hidden input),
    but in a hidden check its numbers are dropped: a submission chooses what it returns, and so
    the shape or the error a message would quote (it could return an empty array whose shape
    spells out an input). A call that raised or stopped gives :attr:`SubmissionError.public`,
    never the submission's exception text: a function may quote its inputs, or keep hidden
    inputs from an earlier call and raise them in a visible check's. A check that could not use
    a value names the error's type only (its text may quote the value).
    """
    if isinstance(exc, SubmissionError):
        return exc.public, Failure.STOPPED if exc.stopped else Failure.RAISED
    if isinstance(exc, AssertionError):
        message = str(exc) or "a check failed"
        return message if visible else untrusted.without_numbers(message), Failure.WRONG
    return f"the check could not use the value returned ({type(exc).__name__})", Failure.UNUSABLE


class _SuitePlugin:
    """Runs the collected suite once per implementation, with ``impl`` bound to each in turn.

    Collection happens once per session (it costs more than many of the tests); every pass over
    the items ends with ``nextitem=None``, so all fixtures are torn down between two
    implementations and nothing computed for one can leak into the next one's results.
    """

    def __init__(
        self,
        impls: Iterable[Impl],
        on_done: Callable[[Impl, list[TestResult]], None],
        assignment: Assignment,
        limits: dict[str, float],
        default_limit: float,
        only: set[str] | None,
    ) -> None:
        self._impls = impls
        self._on_done = on_done
        self._impl: Impl | None = None
        self.assignment = assignment
        self.limits = limits
        self.default_limit = default_limit
        self.only = only
        self.results: list[TestResult] = []
        self.errors: list[str] = []
        self._started: dict[str, float] = {}

    @pytest.fixture(scope="session")
    def impl(self) -> Impl:
        """Session scope, so suites may cache an implementation's output in module fixtures;
        every pass ends with ``nextitem=None``, which tears even these down."""
        return self._impl

    @pytest.fixture(scope="session")
    def seed(self) -> int:
        """The submission's seed of drawn inputs, for module fixtures that draw
        (``draws.rng_for(seed, name)``); torn down with the implementation, like ``impl``."""
        return self._impl.seed

    @pytest.fixture
    def rng(self, request: pytest.FixtureRequest) -> np.random.Generator:
        """This test's trusted generator for hidden inputs drawn at grading time, seeded from
        the submission's seed and the test's id (:mod:`grader.draws`)."""
        return draws.rng_for(self._impl.seed, request.node.nodeid)

    @pytest.fixture(scope="session", name="assignment")
    def assignment_fixture(self) -> Assignment:
        """The assignment being graded (the shared visible-checks test reads its checks)."""
        return self.assignment

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """One visible-checks test per question with visible checks, marked as its gate."""
        if metafunc.definition.module.__file__ == VISIBLE_MODULE:
            metafunc.parametrize("question", visible_params(self.assignment.visible))

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "question(name, weight=1.0, visible=False): grading")

    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        kept = []
        for item in items:
            marker = item.get_closest_marker("question")
            if marker is None or marker.args[0] not in self.assignment.questions:
                raise GraderError(f"suite test {item.nodeid} lacks a known question marker")
            if self.only is None or marker.args[0] in self.only:
                kept.append(item)
        # The visible checks first: before any hidden input reaches the submission, so what
        # they report a call returned can only depend on the notebook's public inputs.
        items[:] = sorted(
            kept, key=lambda i: not i.get_closest_marker("question").kwargs.get("visible", False)
        )

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        if self.errors:
            return True
        items = session.items
        for impl in self._impls:
            self._impl, self.results = impl, []
            for index, item in enumerate(items):
                nextitem = items[index + 1] if index + 1 < len(items) else None
                item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
            self._on_done(impl, self.results)
        return True

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(f"cannot collect {report.nodeid}: {report.longreprtext[-500:]}")

    def _hidden_name(self, item: pytest.Item) -> str:
        """A hidden test's name in reports: a parametrized one numbered (``test_x[2]``) rather
        than named by its parameters, which are hidden inputs."""
        base = getattr(item, "originalname", item.name)
        if base == item.name:
            return base
        number = sum(r.name.startswith(f"{base}[") for r in self.results) + 1
        return f"{base}[{number}]"

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        limit = self.limits.get(item.nodeid, self.default_limit)
        if hasattr(self._impl, "budget"):
            self._impl.budget = limit
        self._started[item.nodeid] = time.perf_counter()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[Any]) -> None:
        if call.when == "teardown":
            return
        if call.when == "setup" and call.excinfo is None:
            return
        marker = item.get_closest_marker("question")
        seconds = time.perf_counter() - self._started.get(item.nodeid, time.perf_counter())
        visible = bool(marker.kwargs.get("visible", False))
        exc = call.excinfo.value if call.excinfo is not None else None
        message, failure = ("", None) if exc is None else _describe_failure(exc, visible)
        self.results.append(
            TestResult(
                question=marker.args[0],
                name=item.name if visible else self._hidden_name(item),
                nodeid=item.nodeid,
                weight=float(marker.kwargs.get("weight", 1.0)),
                visible=visible,
                passed=exc is None,
                message=message,
                seconds=seconds,
                failure=failure,
            )
        )


def run_suite_many(
    assignment: Assignment,
    impls: Iterable[Impl],
    on_done: Callable[[Impl, list[TestResult]], None],
    *,
    limits: dict[str, float] | None = None,
    default_limit: float = DEFAULT_TEST_LIMIT,
    only: set[str] | None = None,
) -> None:
    """Run the hidden suite of ``assignment`` against each of ``impls`` in one pytest session.

    ``impls`` may be a generator (the next implementation is made when the previous one is done);
    ``on_done(impl, results)`` receives one result per test. ``limits`` maps test node ids to
    seconds (from calibration); other tests get ``default_limit``. ``only`` restricts the run to
    some questions.
    """
    plugin = _SuitePlugin(impls, on_done, assignment, limits or {}, default_limit, only)
    args = [
        str(assignment.suite_dir),
        VISIBLE_MODULE,
        "-c",
        os.devnull,
        "--rootdir",
        str(SUITES_DIR),
        "--assert=plain",
        "--import-mode=importlib",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:terminal",
        "-p",
        "no:timeout",
        "-W",
        "ignore",
    ]
    code = pytest.main(args, plugins=[plugin])
    if plugin.errors or code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GraderError(
            f"the {assignment.name} suite did not run (pytest exit {int(code)}): "
            + "; ".join(plugin.errors)
        )


def run_suite(assignment: Assignment, impl: Impl, **options: Any) -> list[TestResult]:
    """Run the hidden suite against one implementation; one result per test."""
    results: list[TestResult] = []
    run_suite_many(assignment, [impl], lambda _, tests: results.extend(tests), **options)
    return results


def shares(points: float, weights: list[float]) -> list[int]:
    """``points`` split in proportion to ``weights``, in units of 1/:data:`POINT_UNITS`, by
    largest remainder: the shares add up to ``points`` exactly."""
    total, units = sum(weights), round(points * POINT_UNITS)
    if total <= 0:
        return [0] * len(weights)
    exact = [units * w / total for w in weights]
    floors = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: floors[i] - exact[i])
    for i in by_remainder[: units - sum(floors)]:
        floors[i] += 1
    return floors


def score(assignment: Assignment, results: list[TestResult]) -> list[QuestionScore]:
    """Per-question scores in contract order (see the module docstring for the rule): each test
    earns its weight's share of the points, and a question with a failing visible check earns
    nothing (its passing tests are :attr:`Outcome.BLOCKED`)."""
    scores = []
    for question, points in assignment.questions.items():
        tests = [r for r in results if r.question == question]
        gated = any(r.visible and not r.passed for r in tests)
        entries = []
        for test, share in zip(tests, shares(points, [r.weight for r in tests]), strict=True):
            outcome = (
                Outcome.FAILED if not test.passed else Outcome.BLOCKED if gated else Outcome.PASSED
            )
            earned = share if outcome is Outcome.PASSED else 0
            entries.append(TestScore(test, outcome, earned / POINT_UNITS, share / POINT_UNITS))
        earned = sum(round(e.points * POINT_UNITS) for e in entries)
        scores.append(QuestionScore(question, earned / POINT_UNITS, float(points), tests, entries))
    return scores
