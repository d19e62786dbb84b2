"""Grading whole notebooks through the sandbox: correct alternatives get full marks, lies and
sabotage earn nothing, and every broken submission gets a record with a reason."""

import pytest

from grader.calibrate import load_limits
from grader.grading import grade_submission
from grader.notebook import Submission

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


def test_patched_allclose_with_wrong_answers_earns_nothing(hw01, limits, tmp_path):
    sabotage = (
        "import numpy as np, math\n"
        "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
        "math.isclose = lambda *a, **k: True\n"
        "def lorentzian(x, eps):\n    return np.zeros_like(np.asarray(x, dtype=float))\n"
    )
    result = grade(hw01, limits, make_submission(tmp_path, "allclose", extra_cells=[sabotage]))
    assert scores(result)["lorentzian"] == 0
    assert scores(result)["gaussian_kernel"] == hw01.questions["gaussian_kernel"]


def test_an_object_equal_to_everything_earns_nothing(hw01, limits, tmp_path):
    liar = (
        "class Anything(float):\n"
        "    def __eq__(self, other): return True\n"
        "    def __ne__(self, other): return False\n"
        "    __hash__ = float.__hash__\n"
        "def lorentzian_mass(a, b, eps):\n    return Anything(-1.0)\n"
    )
    result = grade(hw01, limits, make_submission(tmp_path, "liar", extra_cells=[liar]))
    assert scores(result)["lorentzian_mass"] == 0


def test_infinite_loop_in_a_cell_gets_a_timeout_record(hw01, tmp_path):
    from grader.calibrate import TimeLimits

    quick = TimeLimits(cell=2.0, tests={}, device="cpu", fingerprint="test")
    path = make_submission(tmp_path, "loop", extra_cells=["while True:\n    pass"])
    result = grade(hw01, quick, path)
    assert result.status == "timeout"
    assert "timed out" in result.reason
    assert result.total == hw01.max_total  # the loop was appended after all the functions


def test_hard_exit_in_a_cell_is_recorded_and_the_rest_still_graded(hw01, limits, tmp_path):
    path = make_submission(tmp_path, "exit", extra_cells=["import os\nos._exit(0)"])
    result = grade(hw01, limits, path)
    assert result.status == "crashed"
    assert "stopped the worker" in result.reason
    assert result.total == hw01.max_total


def test_importing_course_lib_fails_and_says_why(hw01, limits, tmp_path):
    cheat = "from course_lib.delta import lorentzian"
    path = make_submission(tmp_path, "cheat", replace={"lorentzian": cheat})
    result = grade(hw01, limits, path)
    assert scores(result)["lorentzian"] == 0
    assert any("No module named 'course_lib'" in e for e in result.cell_errors.values())


def test_truncated_notebook_is_malformed_not_a_traceback(hw01, limits, tmp_path):
    path = make_submission(tmp_path, "cut")
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    result = grade(hw01, limits, path)
    assert result.status == "malformed" and result.total == 0
    assert "truncated" in result.reason


def test_hostile_neighbours_change_nothing_for_honest_submissions(hw01, limits, tmp_path):
    """One batch: honest, looping, exiting and cheating notebooks mixed; every one gets a record,
    and the honest ones score exactly what they score when graded alone."""
    from grader.grading import grade_many

    honest = make_submission(tmp_path, "honest")
    partial = make_submission(tmp_path, "partial", replace={"sinc_kernel": MUTANT_SINC})
    hostile = [
        make_submission(tmp_path, "loop", extra_cells=["while True:\n    pass"]),
        make_submission(tmp_path, "exit", extra_cells=["import os\nos._exit(0)"]),
        make_submission(tmp_path, "cheat", replace={"lorentzian": "import course_lib"}),
    ]
    cut = tmp_path / "cut.ipynb"
    cut.write_bytes(honest.read_bytes()[:1000])
    alone = [grade(hw01, limits, p) for p in (honest, partial)]
    mixed = grade_many(
        hw01,
        [Submission(p.stem, p) for p in (hostile[0], honest, hostile[1], cut, partial, hostile[2])],
        limits=limits,
        device="cpu",
    )
    by_name = {r.name: r for r in mixed}
    assert [r.name for r in mixed] == ["loop", "honest", "exit", "cut", "partial", "cheat"]
    for solo in alone:
        assert scores(by_name[solo.name]) == scores(solo)
    assert by_name["exit"].status == "crashed" and by_name["cut"].status == "malformed"
    assert all(r.reason for r in mixed if r.status != "ok")


MUTANT_SINC = """\
import numpy as np


def sinc_kernel(x, eps):
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sin(x / eps) / (np.pi * x)
"""
