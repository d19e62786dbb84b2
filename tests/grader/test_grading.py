"""Grading whole notebooks through the sandbox: correct alternatives get full marks. Lies,
sabotage and broken notebooks are the hostile corpus's (``test_hostile_corpus.py``)."""

import json
import re

import pytest

from grader.calibrate import load_limits
from grader.grading import grade_submission
from grader.notebook import Submission

from .hostile_corpus import LEAKY_LORENTZIAN
from .submissions import make_submission

ALT_DELTA_PAIRING = '''\
def delta_pairing(kernel, phi, eps):
    """Substitute x = eps * s and integrate each kernel in its own natural variable."""
    import math
    from scipy.integrate import quad
    if not (isinstance(eps, (int, float)) and math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be finite and > 0, got {eps}")
    even = lambda s: (phi(eps * s) + phi(-eps * s)) / 2
    if kernel == "lorentzian":   # x = eps tan t
        f = lambda t: float(even(math.tan(t))) / math.pi
        return 2 * quad(f, 0, math.pi / 2, limit=400, epsabs=1e-13, epsrel=1e-13)[0]
    if kernel == "gaussian":
        f = lambda s: math.exp(-s * s / 2) / math.sqrt(2 * math.pi) * even(s)
        return 2 * quad(f, 0, math.inf, limit=400, epsabs=1e-13, epsrel=1e-13)[0]
    if kernel == "box":
        return quad(even, 0, 1, epsabs=1e-13, epsrel=1e-13)[0]
    if kernel == "sinc":  # sin(s)/(pi s) * 2 even(s): a regular part and a sine-weighted tail
        core = lambda s: math.sin(s) / (math.pi * s) * 2 * even(s) if s else 2 * even(0) / math.pi
        near = quad(core, 0, 8 * math.pi, limit=800, epsabs=1e-13, epsrel=1e-13)[0]
        tail = quad(lambda s: 2 * even(s) / (math.pi * s), 8 * math.pi, math.inf, weight="sin",
                    wvar=1.0, limlst=200)[0]
        return near + tail
    raise ValueError(f"kernel must be lorentzian, gaussian, sinc or box, got {kernel!r}")
'''


@pytest.fixture(scope="module")
def limits(hw01):
    return load_limits(hw01, "cpu")


def grade(hw01, limits, path):
    return grade_submission(hw01, Submission(path.stem, path), limits=limits, device="cpu")


def scores(result):
    return {q.question: q.score for q in result.questions}


def test_reference_scores_full_marks(hw01, limits, tmp_path):
    result = grade(hw01, limits, make_submission(tmp_path, "ref"))
    assert result.status == "ok", result.reason
    assert result.total == hw01.max_total


def test_a_different_correct_quadrature_gets_full_marks(hw01, limits, tmp_path):
    path = make_submission(tmp_path, "alt", replace={"delta_pairing": ALT_DELTA_PAIRING})
    result = grade(hw01, limits, path)
    failed = [t.message for q in result.questions for t in q.tests if not t.passed]
    assert scores(result)["delta_pairing"] == hw01.questions["delta_pairing"], failed


def test_no_report_carries_what_a_function_raised_only_where(hw01, limits, tmp_path):
    """A function that quotes the inputs it has seen (hidden ones included, even in a later
    visible check's call) shows only the exception's kind and its own notebook line. (The
    notebook's own cells, which run before any hidden input exists, keep their error text.)"""
    from grader.reports import feedback_markdown, results_json

    path = make_submission(tmp_path, "leaky", replace={"lorentzian": LEAKY_LORENTZIAN})
    result = grade(hw01, limits, path)
    assert scores(result)["lorentzian"] == 0
    feedback = feedback_markdown(hw01, result).split("## lorentzian", 1)[1]
    shown = feedback + str(results_json(hw01, result)["tests"]) + result.reason
    assert "LEAK" not in shown and "raised Leak" not in shown  # no text, no class name
    messages = [t.message for q in result.questions for t in q.tests if not t.passed]
    assert any("raised an exception in the cell `lorentzian`" in m for m in messages), messages


SHAPE_SPELLS_AN_INPUT = """\
_right = lorentzian
def lorentzian(x, eps):
    # An empty array whose shape spells out the first input (scaled to digits).
    digits = [int(d) for d in f"{abs(float(np.ravel(x)[0])):.6f}".replace(".", "")]
    return np.zeros([0, *[d + 1 for d in digits]], dtype=np.int8)
"""


def test_a_hidden_checks_message_shows_no_number_a_submission_chose(hw01, limits, tmp_path):
    """A returned value's shape or error is the submission's to choose: in a hidden check's
    message every number is dropped (visible checks show their own, public, line)."""
    path = make_submission(tmp_path, "shape", extra_cells=[SHAPE_SPELLS_AN_INPUT])
    result = grade(hw01, limits, path)
    hidden = [t for q in result.questions for t in q.tests if not t.passed and not t.visible]
    assert hidden and any("returned shape" in t.message for t in hidden)
    assert not any(ch.isdigit() for t in hidden for ch in t.message.replace("float64", ""))


EXIT_SPELLS_AN_INPUT = """\
import os
_right = lorentzian
def lorentzian(x, eps):
    if np.ndim(eps) == 0 and float(eps) != 1.0:
        os._exit(int(round(float(eps) * 1000)) % 200 + 17)  # the exit status spells eps
    return _right(x, eps)
"""


def test_a_stopped_calls_numbers_and_hidden_parameters_stay_out_of_reports(hw01, limits, tmp_path):
    """An exit status (or a frame length) the worker chose after seeing hidden inputs, and the
    hidden parameters in a parametrized test's id, never reach a report."""
    from grader.reports import results_json

    path = make_submission(tmp_path, "exits", extra_cells=[EXIT_SPELLS_AN_INPUT])
    result = grade(hw01, limits, path)
    hidden = [t for q in result.questions for t in q.tests if not t.visible]
    stopped = [t.message for t in hidden if t.failure is not None]
    assert stopped and all("stopped the worker" in m for m in stopped), stopped
    assert not re.search(r"exit status \d", result.reason + " ".join(stopped))
    assert all(re.fullmatch(r"\w+(\[\d+\])?", t.name) for t in hidden), [t.name for t in hidden]
    shown = json.dumps(results_json(hw01, result))
    assert "[0.001]" not in shown and "[0.5]" not in shown


REMEMBERS_HIDDEN_INPUTS = """\
_right, _seen = lorentzian, []
def lorentzian(x, eps):
    if np.ndim(x) == 0 and float(x) == 0.0 and float(eps) == 1.0:
        return [float(e) for e in _seen]  # a visible call: what hidden inputs came before?
    _seen.append(float(np.max(eps)))
    return _right(x, eps)
"""


def test_a_failing_visible_check_says_what_came_back_and_blocks_its_question(
    hw01, limits, tmp_path
):
    """The visible checks run before any hidden one, so what they report a call returned holds
    no hidden input; the question's passing hidden checks are blocked, not passed."""
    from grader.reports import results_json

    path = make_submission(tmp_path, "remembers", extra_cells=[REMEMBERS_HIDDEN_INPUTS])
    result = grade(hw01, limits, path)
    lorentzian = next(q for q in result.questions if q.question == "lorentzian")
    visible = next(t for t in lorentzian.tests if t.visible)
    assert not visible.passed and lorentzian.score == 0
    assert visible.message.endswith("lorentzian returned [] (shape (0,))"), visible.message
    assert "np.isclose(lorentzian(0.0, 1.0), 1 / np.pi)" in visible.message
    tests = [t for t in results_json(hw01, result)["tests"] if t["name"].startswith("lorentzian:")]
    blocked = [t for t in tests if "blocked" in t["output"]]
    assert blocked and all(t["status"] == "failed" and t["score"] == 0 for t in blocked)
    assert not any(t["status"] == "passed" for t in tests)


HANGS_ON_BROADCASTING = """\
_right = lorentzian
def lorentzian(x, eps):
    while np.ndim(eps) == 1:  # too slow on one input only
        pass
    return _right(x, eps)
"""

HANGS_ON_HIDDEN_INPUTS = """\
_right = lorentzian
def lorentzian(x, eps):
    while np.ndim(eps) > 0 or float(eps) != 1.0:  # the visible checks use eps = 1 only
        pass
    return _right(x, eps)
"""


def test_an_overrun_costs_its_own_test_and_a_hang_costs_two_limits(hw01, limits, tmp_path):
    slow = make_submission(tmp_path, "slow", extra_cells=[HANGS_ON_BROADCASTING])
    hangs = make_submission(tmp_path, "hangs", extra_cells=[HANGS_ON_HIDDEN_INPUTS])
    for path, overruns in ((slow, 1), (hangs, 2)):
        result = grade(hw01, limits, path)
        tests = next(q for q in result.questions if q.question == "lorentzian").tests
        skipped = [t for t in tests if "not called again" in t.message]
        timed_out = [t for t in tests if "did not return" in t.message and t not in skipped]
        assert len(timed_out) == overruns, [t.message for t in tests]
        if overruns == 1:  # the function's later tests ran, and passed
            assert not skipped and sum(not t.passed for t in tests) == 1
        else:
            assert skipped and len(timed_out) + len(skipped) == sum(not t.passed for t in tests)
        assert result.status == "timeout"
