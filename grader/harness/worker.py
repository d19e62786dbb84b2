"""The worker: runs one submission's cells inside the sandbox and answers calls with data.

Protocol (length-prefixed JSON, see :mod:`.boundary`), requests on one pipe, replies on another:

1. ``{"op": "run", "cells": [...], "skip": [...], "cell_timeout": s, "outputs": bool, "seed": n}``:
   the global generators (``random``, numpy's legacy one, torch's) are seeded from ``seed`` (the
   submission's, so that a regrade draws what the grading drew), then the worker executes each
   code cell in an in-process IPython shell (magics work, matplotlib uses
   Agg), sending ``{"event": "cell", "index": i}`` before each cell and
   ``{"event": "done", "errors": {i: text}}`` at the end, with ``"outputs": {i: [...]}`` (what
   each cell showed, see :mod:`.capture`) when the request asked for them. A cell that runs
   past ``cell_timeout`` is interrupted and recorded as an error; the parent kills the worker if
   that fails.
2. ``{"op": "call", "fn": name, "args": [...], "kwargs": {...}, "post": ...}``: the worker calls
   the notebook's function ``name`` and replies ``{"ok": true, "value": data}`` or
   ``{"ok": false, "error": text, "value_error": bool, "type": name, "where": [cell, line]}``
   (``where``: the innermost line of the notebook's own cells in the traceback, or null).
   ``post`` names a trusted conversion for results that cannot cross as they are
   (``{"sympy_eval": points}``).
3. ``{"op": "bye"}``: exit.

Nothing here judges anything: a reply is only data, and the trusted side decides what it is worth.
"""

from __future__ import annotations

import importlib
import io
import os
import signal
import sys
import traceback
from typing import Any

from . import boundary, capture, confine

#: Longest error text sent back for one exception.
MAX_ERROR_CHARS = 600
#: Characters of ``print`` output (stdout and stderr together) kept in the worker's log.
MAX_OUTPUT_CHARS = 1_000_000


class CappedOutput(io.TextIOBase):
    """A text stream that passes the first ``limit`` characters on and drops the rest.

    The worker's ``sys.stdout`` and ``sys.stderr``: nothing reads printed output to judge it, and
    a cell printing 100 MB must neither fill the disk nor fail on the file size limit.
    """

    def __init__(self, target: io.TextIOBase, budget: list[int]) -> None:
        self._target = target
        self._budget = budget  # shared by stdout and stderr: [characters left]

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        left = self._budget[0]
        if left > 0:
            self._target.write(text[:left])
            if len(text) >= left:
                self._target.write("\n[output truncated]\n")
            self._budget[0] = left - len(text)
        return len(text)

    def flush(self) -> None:
        self._target.flush()


class CellTimeout(BaseException):
    """Raised inside a cell that ran past its time limit."""


def describe(exc: BaseException) -> str:
    """``Type: message`` for an exception, robust to a hostile ``__str__``."""
    name = type(exc).__name__
    try:
        text = str(exc)
    except BaseException:
        text = ""
    text = f"{name}: {text}" if text else name
    return text[:MAX_ERROR_CHARS]


class CellFiles:
    """Which cell each code object IPython compiles comes from (its file name -> cell index),
    so that an exception can say where in the notebook it was raised."""

    def __init__(self, shell: Any) -> None:
        self.running = -1
        self.index: dict[str, int] = {}
        name_of = shell.compile.get_code_name

        def get_code_name(raw_code: str, transformed_code: str, number: int) -> str:
            name = name_of(raw_code, transformed_code, number)
            self.index.setdefault(name, self.running)
            return name

        shell.compile.get_code_name = get_code_name

    def where(self, exc: BaseException) -> list[int] | None:
        """``[cell, line]`` of the innermost frame of ``exc`` in one of the cells, else None."""
        try:
            for frame in reversed(traceback.extract_tb(exc.__traceback__)):
                cell = self.index.get(frame.filename, -1)
                if cell >= 0 and type(frame.lineno) is int:
                    return [cell, frame.lineno]
        except Exception:
            pass
        return None


def _on_alarm(signum: int, frame: Any) -> None:
    raise CellTimeout


def run_cells(
    shell: Any,
    cells: list[str],
    skip: list[int],
    timeout: float,
    reply_fd: int,
    recorder: capture.CellRecorder | None = None,
    files: CellFiles | None = None,
) -> dict[str, str]:
    """Execute the cells in order; return ``{str(index): error text}`` for failed cells.
    With a ``recorder``, each cell's outputs are recorded and its figures drawn (within the
    cell's time limit); ``files`` learns which code comes from which cell."""
    errors: dict[str, str] = {}
    for index, source in enumerate(cells):
        if index in skip:
            errors[str(index)] = "skipped: this cell stopped the worker in an earlier attempt"
            continue
        boundary.send(reply_fd, {"event": "cell", "index": index})
        if files is not None:
            files.running = index
        if recorder is not None:
            recorder.start(index)
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = shell.run_cell(source, store_history=False, silent=True)
            if recorder is not None:
                recorder.figures()
        except CellTimeout:
            result = None
            errors[str(index)] = f"timed out after {timeout:.1f} s"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if result is None:
            continue
        error = result.error_before_exec or result.error_in_exec
        if isinstance(error, CellTimeout):
            errors[str(index)] = f"timed out after {timeout:.1f} s"
        elif error is not None:
            errors[str(index)] = describe(error)
    return errors


def _sympy_eval(value: Any, points: list[dict[str, float]]) -> dict[str, Any]:
    """Evaluate sympy expressions at given symbol values; report the symbols' assumptions."""
    import sympy as sp

    exprs = value if isinstance(value, tuple | list) else (value,)
    if not all(isinstance(e, sp.Basic) for e in exprs):
        raise TypeError("expected sympy expressions")
    symbols = {}
    for expr in exprs:
        for sym in expr.free_symbols:
            symbols[str(sym)] = sym
    values = []
    for expr in exprs:
        row = []
        for point in points:
            subs = {symbols[name]: val for name, val in point.items() if name in symbols}
            number = complex(sp.N(expr.subs(subs), 17))
            row.append(number.real if number.imag == 0 else number)
        values.append(row)
    assumptions = {
        name: {"real": bool(sym.is_real), "positive": bool(sym.is_positive)}
        for name, sym in symbols.items()
    }
    return {"values": values, "symbols": assumptions}


def serve_call(
    namespace: dict[str, Any], request: dict[str, Any], files: CellFiles | None = None
) -> dict[str, Any]:
    """Call one notebook function as the request asks; never raises."""
    name = request["fn"]
    func = namespace.get(name)
    if func is None:
        return {
            "ok": False,
            "error": f"`{name}` is not defined in the notebook",
            "value_error": False,
        }
    if not callable(func):
        return {"ok": False, "error": f"`{name}` is not a function", "value_error": False}
    try:
        value = func(*request.get("args", []), **request.get("kwargs", {}))
        post = request.get("post")
        if post and "sympy_eval" in post:
            value = _sympy_eval(value, post["sympy_eval"])
        return {"ok": True, "value": boundary.to_data(value)}
    except BaseException as exc:
        return {
            "ok": False,
            "error": describe(exc),
            "value_error": isinstance(exc, ValueError),
            "type": type(exc).__name__,
            "where": files.where(exc) if files is not None else None,
        }


def make_shell() -> Any:
    """A fresh in-process IPython shell with a plain display and no history file."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="nocolor", history_load_length=0)
    shell.history_manager.enabled = False
    shell.InteractiveTB.set_mode(mode="Plain")  # the worker log needs no source context
    shell.enable_gui = lambda gui=None: None  # `%matplotlib inline` works; Agg draws off-screen
    return shell


def seed_generators(seed: Any) -> None:
    """Seed the global generators student code may use without a seed of its own (the imported
    ones): the same submission then computes the same thing on every regrade."""
    if type(seed) is not int:
        return
    import random

    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(seed % 2**32)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed % 2**63)


def serve(request_fd: int, reply_fd: int) -> None:
    """Run the requests of one submission (see the module docstring), then exit the process."""
    budget = [MAX_OUTPUT_CHARS]
    sys.stdout = CappedOutput(sys.__stdout__, budget)
    sys.stderr = CappedOutput(sys.__stderr__, budget)
    shell = make_shell()
    files = CellFiles(shell)
    requests = os.fdopen(request_fd, "rb", buffering=0)
    first = boundary.receive(requests)
    recorder = capture.install(shell) if first.get("outputs") else None
    seed_generators(first.get("seed"))
    skip, timeout = first.get("skip", []), first["cell_timeout"]
    errors = run_cells(shell, first["cells"], skip, timeout, reply_fd, recorder, files)
    done: dict[str, Any] = {"event": "done", "errors": errors}
    if recorder is not None:
        done["outputs"] = recorder.cells
    boundary.send(reply_fd, done)
    while True:
        request = boundary.receive(requests)
        if request.get("op") == "bye":
            break
        boundary.send(reply_fd, serve_call(shell.user_ns, request, files))
    sys.stdout.flush()
    os._exit(0)


def preload(modules: str) -> None:
    """Import the comma-separated ``modules`` (the assignment's usual imports) ahead of time."""
    os.environ["MPLBACKEND"] = "Agg"
    for module in filter(None, modules.split(",")):
        importlib.import_module(module)


def main(argv: list[str]) -> None:
    """Entry point: ``argv = [prog, request_fd, reply_fd, comma-separated modules to preload]``."""
    preload(argv[3])
    confine.deny_host_tables()
    serve(int(argv[1]), int(argv[2]))
