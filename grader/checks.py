"""Assertions that hidden suites share, with messages a student can act on.

They judge plain data only (what crossed the boundary) with the trusted process's numpy, and
their messages describe the property and a likely cause without printing hidden inputs.
"""

from __future__ import annotations

import math
import sys
import traceback
from typing import Any

import numpy as np
import pytest

from grader.impl import Impl, SubmissionError

VISIBLE_FILENAME = "<visible checks>"


def numeric(value: Any, what: str) -> np.ndarray:
    """``value`` as a float or complex array; fail the check if it is not numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float | complex | np.ndarray | list):
        raise AssertionError(f"{what} should return numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except ValueError:
        raise AssertionError(f"{what} should return a rectangular array of numbers") from None
    if arr.dtype.kind not in "biufc":
        raise AssertionError(f"{what} should return numbers, got an array of {arr.dtype}")
    return arr.astype(complex if arr.dtype.kind == "c" else float)


def assert_close(
    actual: Any,
    expected: Any,
    *,
    what: str,
    atol: float = 0.0,
    rtol: float = 1e-12,
    hint: str = "",
) -> None:
    """``abs(actual - expected) <= atol + rtol * abs(expected)`` elementwise, shapes equal."""
    got = numeric(actual, what)
    want = np.asarray(expected)
    if got.shape != want.shape:
        raise AssertionError(f"{what} returned shape {got.shape}, expected {want.shape}")
    bad = ~(np.abs(got - want) <= atol + rtol * np.abs(want))
    if np.any(bad):
        err = np.abs(got - want)
        worst = float(np.nanmax(np.where(np.isnan(err), np.inf, err)))
        message = f"{what} is off (largest error {worst:.3g}; atol={atol:g}, rtol={rtol:g})"
        if np.any(np.isnan(got) & ~np.isnan(want)):
            message = f"{what} returned nan where a finite value was expected"
        raise AssertionError(f"{message}{': ' + hint if hint else ''}")


def assert_raises_value_error(impl: Impl, name: str, *args: Any, argument: str) -> None:
    """The call must raise ``ValueError`` whose message names ``argument``."""
    err = impl.error_of(name, *args)
    if not err.value_error:
        raise AssertionError(
            f"{name} should raise ValueError for an invalid `{argument}`, got {err.describe()}"
        )
    if argument not in err.message:
        raise AssertionError(f"{name}'s ValueError should name the argument `{argument}`")


def question(name: str, weight: float = 1.0, visible: bool = False) -> pytest.MarkDecorator:
    """Mark a hidden test as part of question ``name`` with the given weight."""
    return pytest.mark.question(name, weight=weight, visible=visible)


def visible_params(visible: dict[str, str]) -> list[Any]:
    """One pytest param per question with visible checks, marked as that question's gate."""
    return [pytest.param(q, marks=question(q, visible=True), id=q) for q in visible]


def summary(value: Any, limit: int = 240) -> str:
    """A short text of a returned value: arrays by numpy's summarising print, the rest by repr."""
    try:
        arr = np.asarray(value)
        text = (
            np.array2string(arr, threshold=12, precision=6, separator=", ")
            if arr.dtype.kind in "biufc" and arr.ndim
            else repr(value)
        )
        if arr.ndim:
            text += f" (shape {arr.shape})"
    except (ValueError, TypeError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run_visible(source: str, names: dict[str, Any], impl: Impl, question: str) -> None:
    """Execute a notebook's visible checks on the trusted side, against ``impl``.

    The checks are the same text as in the notebook's test cell; the graded functions in it are
    proxies into ``impl`` and every other name is trusted (this process's numpy, the trusted test
    functions), so a patched ``np.allclose`` in the submission changes nothing here. Only
    ``question``'s own function is bound: a check that called another graded function would
    make one function's mistake cost two questions (a NameError, a bug of the suite). A failing
    check says which line failed and what the last call of that line returned: the runner runs
    the visible checks before any hidden one, so a returned value can only depend on the
    notebook's public inputs.
    """
    returned: list[tuple[str, Any]] = []

    def proxy(name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            value = impl.call(name, *args, **kwargs)
            returned.append((name, value))
            return value

        return call

    namespace: dict[str, Any] = {"np": np, "math": math, **names}
    namespace[question] = proxy(question)
    try:
        exec(compile(source, VISIBLE_FILENAME, "exec"), namespace)
    except SubmissionError:
        raise
    except Exception as exc:  # a value the check could not use fails it too
        frames = traceback.extract_tb(sys.exc_info()[2])
        lines = [f.lineno for f in frames if f.filename == VISIBLE_FILENAME]
        line = source.splitlines()[lines[-1] - 1].strip() if lines else ""
        how = "failed" if isinstance(exc, AssertionError) else f"failed ({type(exc).__name__})"
        got = [f"{name} returned {summary(value)}" for name, value in returned if name in line]
        tail = f"; {got[-1]}" if got else ""
        raise AssertionError(f"visible check {how}: {line}{tail}") from None
