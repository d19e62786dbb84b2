"""The ``impl`` object that hidden suites test: a submission, reached through the boundary.

``impl.lorentzian(x, eps)`` sends the call to the submission's sandboxed
:class:`~.sandbox.Worker` and returns plain data; the current test's time budget is enforced and
the worker restarted after a kill (:class:`WorkerImpl`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from grader import cell_outputs, untrusted
from grader.cell_outputs import CellOutput
from grader.sandbox import Worker, WorkerError
from grader.status import Status

#: How many times one submission's worker may be started before calls fail outright.
MAX_STARTS = 6
#: Extra seconds the parent waits past a cell's limit before it kills the worker.
KILL_GRACE = 5.0
#: How many of its calls may overrun their limits before a function is not called again: one
#: overrun (a size too large for a slow but correct method) costs that test alone, and a
#: function that never returns costs two time limits, not one per test. A call that crashes the
#: worker is its only one, and a second chance is given only while worker starts are left for
#: the other functions (each overrun costs one).
STRIKES = 2


#: Exception types a report may name (any other is "an exception"): the usual mistakes only, so
#: that the choice of type carries few bits (a class name is the submission's to choose).
SHOWN_EXCEPTIONS = frozenset(
    {
        "ValueError",
        "TypeError",
        "ZeroDivisionError",
        "IndexError",
        "KeyError",
        "AttributeError",
        "NameError",
        "RuntimeError",
        "OverflowError",
        "FloatingPointError",
        "RecursionError",
        "MemoryError",
        "NotImplementedError",
        "AssertionError",
        "LinAlgError",
    }
)


class SubmissionError(Exception):
    """A call into the submission failed (raised, timed out, crashed); the message says how.
    ``stopped``: it did not return at all (a time-out, a crash, or an earlier one of those).

    ``public`` is what reports show: text made by the grader alone (for an exception, its type
    and the notebook line it came from). The message itself, which quotes what the submission
    raised, may hold inputs the submission has seen, hidden ones included; only trusted checks
    read it.
    """

    def __init__(
        self,
        message: str,
        value_error: bool = False,
        *,
        stopped: bool = False,
        public: str | None = None,
    ) -> None:
        super().__init__(message)
        self.value_error = value_error
        self.stopped = stopped
        self.public = message if public is None else public


@dataclass
class CallError:
    """What :meth:`Impl.error_of` reports about a call expected to fail; ``public`` as for
    :class:`SubmissionError`."""

    raised: bool
    value_error: bool
    message: str
    public: str = ""

    def describe(self) -> str:
        """The failure in words a report may show."""
        return self.public if self.raised else "no exception"


class Impl:
    """Base: attribute access gives a proxy that calls the implementation's function."""

    #: The seed of the hidden inputs drawn for this implementation (:mod:`grader.draws`).
    seed: int = 0
    #: The names of the cells the implementation ran (their released grade_id, "" for a cell the
    #: student added), for :meth:`raised_where`.
    cell_names: Sequence[str] = ()

    def _reply(self, request: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def call(self, name: str, *args: Any, post: dict | None = None, **kwargs: Any) -> Any:
        """Call ``name(*args, **kwargs)`` in the implementation; return the data it gave back."""
        request = {"op": "call", "fn": name, "args": list(args), "kwargs": kwargs, "post": post}
        reply = self._reply(request)
        if not reply.get("ok"):
            raise SubmissionError(
                f"{name} failed: {reply['error']}",
                reply.get("value_error", False),
                public=f"{name} raised {self.raised_where(reply)}",
            )
        return reply["value"]

    def raised_where(self, reply: dict[str, Any]) -> str:
        """What a failed call raised and where, in the grader's words: the type if it is one of
        :data:`SHOWN_EXCEPTIONS`, and the cell, named by its released grade_id (a name of the
        release, never of the submission). No line: a submission can make any line of its own
        source the raising one, and so spell out an input (a table of 3,000 comment lines);
        a few released names carry a few bits, like passing or failing."""
        kind = reply.get("type")
        text = kind if kind in SHOWN_EXCEPTIONS else "an exception"
        where = reply.get("where")
        if not (type(where) is list and len(where) == 2 and type(where[0]) is int):
            return text
        cell = where[0]
        if not 0 <= cell < len(self.cell_names):
            return text
        name = self.cell_names[cell]
        return f"{text} in the cell `{name}`" if name else f"{text} in a cell you added"

    def error_of(self, name: str, *args: Any, **kwargs: Any) -> CallError:
        """Call ``name`` expecting an exception; report whether and how it raised."""
        try:
            self.call(name, *args, **kwargs)
        except SubmissionError as exc:
            return CallError(True, exc.value_error, str(exc), exc.public)
        return CallError(False, False, "")

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs)


@dataclass
class RunLog:
    """What happened to a submission's worker: cell errors and outputs, the worst event seen."""

    cell_errors: dict[int, str] = field(default_factory=dict)
    cell_outputs: dict[int, list[CellOutput]] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    status: Status = Status.OK
    load_seconds: float = 0.0

    def note(self, status: Status | str, event: str) -> None:
        self.events.append(event)
        if self.status is Status.OK or status == Status.CRASHED:
            self.status = Status(status)


def _is_cell_event(message: Any) -> bool:
    """Whether ``message`` is a well-formed ``{"event": "cell", "index": int}``."""
    return (
        isinstance(message, dict)
        and message.get("event") == "cell"
        and type(message.get("index")) is int
    )


def _done(message: Any, cells: int, outputs: bool) -> tuple[dict[str, str], dict]:
    """The errors of a ``done`` event, and the cells' outputs if ``outputs`` were asked for (none
    when they are malformed); WorkerError("protocol") for anything else.

    Student code shares the worker's process and can write to the reply pipe, so a message is
    checked for shape before anything in it is used.
    """
    malformed = WorkerError("protocol", "the worker sent a malformed message while running cells")
    is_done = isinstance(message, dict) and message.get("event") == "done"
    errors = message.get("errors") if is_done else None
    if not isinstance(errors, dict) or not all(
        k.isascii() and k.isdecimal() and isinstance(v, str) for k, v in errors.items()
    ):
        raise malformed
    try:
        return errors, cell_outputs.parse(message.get("outputs"), cells) if outputs else {}
    except ValueError:  # dropped: whether a message is well-formed never depends on the outputs
        return errors, {}


def _checked_reply(reply: Any) -> dict[str, Any]:
    """``reply`` if it has the shape of an answer to a call, else WorkerError("protocol")."""
    if isinstance(reply, dict) and (
        (reply.get("ok") is True and "value" in reply)
        or (
            reply.get("ok") is False
            and isinstance(reply.get("error"), str)
            and isinstance(reply.get("value_error", False), bool)
        )
    ):
        return reply
    raise WorkerError("protocol", "the worker answered a call with a malformed reply")


class WorkerImpl(Impl):
    """A submission's notebook in a sandboxed worker.

    The worker is started from ``spawn`` (or ahead of its turn, with :meth:`prestart`) and runs
    the notebook's cells by the first call. ``budget`` (seconds, set per test by the runner) bounds
    each call, and a worker that hangs or dies is killed and started again (skipping a cell that
    killed it) so that one bad function costs only its own tests.
    A function that killed the worker, or overran its limits :data:`STRIKES` times, is not
    called again: its later calls fail at once with the same reason, so a hanging function
    costs two time limits, not one per test, while one call too slow for its limit costs its
    own test alone.
    With ``outputs`` the worker also records what each cell showed (:attr:`RunLog.cell_outputs`).
    """

    def __init__(
        self,
        cells: list[str],
        *,
        cell_timeout: float,
        spawn: Callable[[], Worker],
        outputs: bool = False,
        cell_names: Sequence[str] = (),
    ) -> None:
        self.cells = cells
        self.cell_names = cell_names
        self.cell_timeout = cell_timeout
        self.outputs = outputs
        self.spawn = spawn
        self.budget = 60.0
        self.log = RunLog()
        self._worker: Worker | None = None
        self._ahead: Worker | None = None
        self._ahead_running = False  # the worker started ahead was sent the cells
        self._skip: list[int] = []
        self._starts = 0
        self._running = -1
        self._broken: dict[str, str] = {}
        self._strikes: dict[str, int] = {}

    def prestart(self) -> None:
        """Start the worker now, ahead of its turn: a fresh interpreter imports meanwhile, and
        where the worker can be put in the idle scheduling class (the cpu cgroup) it also runs
        the cells, in the background, so that it cannot slow the submission being tested; a
        cell that timed out there is run again in the foreground. A failure to start is tried
        again, and recorded, at the first call."""
        if self._worker is None and self._ahead is None:
            with contextlib.suppress(Exception):
                self._ahead = self.spawn()
                if self._ahead.background(True):
                    self._send_cells(self._ahead)
                    self._ahead_running = True

    def _send_cells(self, worker_: Worker) -> None:
        request = {"op": "run", "cells": self.cells, "skip": self._skip, "outputs": self.outputs}
        worker_.send({**request, "cell_timeout": self.cell_timeout, "seed": self.seed})

    def _run_cells(self, worker_: Worker, sent: bool) -> tuple[dict[str, str], dict]:
        """Run the notebook's cells in ``worker_`` (``sent``: they already are); their errors
        and outputs.
        ``self._running`` follows the cell being run (``-1`` before the first) for when the
        worker stops answering."""
        self._running = -1
        worker_.background(False)  # its turn: the usual scheduling class
        if not sent:
            self._send_cells(worker_)
        while True:
            wait = self.cell_timeout + KILL_GRACE + 60.0 * (self._running < 0)
            message = worker_.receive(wait)
            if not _is_cell_event(message):
                return _done(message, len(self.cells), self.outputs)
            self._running = message["index"]

    def _start(self) -> Worker:
        while self._starts < MAX_STARTS:
            self._starts += 1
            started = time.monotonic()
            sent, self._ahead_running = self._ahead_running, False
            try:
                worker_, self._ahead = self._ahead or self.spawn(), None
            except WorkerError as exc:
                self.log.note(Status.GRADER_ERROR, f"the worker could not start: {exc.detail}")
                break
            try:
                errors, outputs = self._run_cells(worker_, sent)
            except WorkerError as exc:
                worker_.close()
                cell = self._running
                if cell < 0:
                    self.log.note(Status.GRADER_ERROR, f"the worker could not start: {exc.detail}")
                    break
                self._skip.append(cell)
                self.log.cell_errors[cell] = exc.detail
                self.log.note(exc.kind, f"cell {cell + 1} stopped the worker ({exc})")
                continue
            except BaseException:
                worker_.close()  # never leave a worker (or its pool) behind
                raise
            if sent and any(text.startswith("timed out") for text in errors.values()):
                worker_.close()  # it may only have been starved in the background: run again
                continue
            self.log.load_seconds = time.monotonic() - started
            self.log.cell_outputs = outputs
            for index, text in errors.items():
                self.log.cell_errors.setdefault(int(index), text)
                if text.startswith("timed out"):
                    self.log.note("timeout", f"cell {int(index) + 1} {text}")
            self._worker = worker_
            return worker_
        raise SubmissionError(
            "the notebook could not be run (its worker was restarted too often)", stopped=True
        )

    def _reply(self, request: dict[str, Any]) -> dict[str, Any]:
        name = request["fn"]
        if name in self._broken:
            raise SubmissionError(f"{self._broken[name]} (not called again)", stopped=True)
        worker_ = self._worker or self._start()
        try:
            return _checked_reply(worker_.request(request, self.budget))
        except WorkerError as exc:
            worker_.close()
            self._worker = None
            # What the worker did after it saw this call's inputs (an exit status, a frame's
            # length) is the submission's to choose: no number of it reaches a report.
            if exc.kind == "timeout":
                self.log.note("timeout", f"{name} exceeded its time limit of {self.budget:.1f} s")
                text = f"{name} did not return within the time limit of {self.budget:.1f} s"
            else:
                detail = untrusted.without_numbers(exc.detail)
                self.log.note(exc.kind, f"{name} stopped the worker ({exc.kind}: {detail})")
                text = f"{name} stopped the worker: {detail}"
            self._strikes[name] = self._strikes.get(name, 0) + 1
            again = exc.kind == "timeout" and self._starts < MAX_STARTS - 2
            if self._strikes[name] >= (STRIKES if again else 1):
                self._broken[name] = text
            raise SubmissionError(text, stopped=True) from None

    def close(self) -> None:
        for worker_ in (self._worker, self._ahead):
            if worker_ is not None:
                worker_.close()
        self._worker = self._ahead = None
