"""hw02: correct principal values written very differently from the reference get full marks."""

import pytest

from grader.calibrate import load_limits
from grader.grading import grade_submission
from grader.notebook import Submission
from grader.suites import load_assignment

from .submissions import make_submission

HW02 = "hw02_principal_value"

CAUCHY_WEIGHT = '''\
def pv_integral(phi, c=0.0):
    """QAWC (quad with weight='cauchy') on a finite window around c, plus the two tails."""
    import math
    from scipy.integrate import quad
    if not callable(phi):
        raise ValueError("phi must be callable")
    if not math.isfinite(c):
        raise ValueError(f"c must be finite, got c={c}")
    half = 8.0
    window = quad(phi, c - half, c + half, weight="cauchy", wvar=c, limit=500,
                  epsabs=1e-13, epsrel=1e-13)[0]
    f = lambda x: phi(x) / (x - c)
    left = quad(f, -math.inf, c - half, limit=500, epsabs=1e-13, epsrel=1e-13)[0]
    right = quad(f, c + half, math.inf, limit=500, epsabs=1e-13, epsrel=1e-13)[0]
    return float(window + left + right)
'''

FOLDED = '''\
def pv_integral(phi, c=0.0):
    """The folded form int_0^inf (phi(c + t) - phi(c - t))/t dt, in two pieces."""
    import math
    from scipy.integrate import quad
    if not callable(phi):
        raise ValueError("phi must be callable")
    if not math.isfinite(c):
        raise ValueError(f"c must be finite, got c={c}")
    g = lambda t: (phi(c + t) - phi(c - t)) / t if t else 0.0
    near = quad(g, 0.0, 20.0, limit=500, epsabs=1e-13, epsrel=1e-13)[0]
    far = quad(g, 20.0, math.inf, limit=500, epsabs=1e-13, epsrel=1e-13)[0]
    return float(near + far)
'''


@pytest.fixture(scope="module")
def hw02():
    return load_assignment(HW02)


@pytest.mark.parametrize("source", [CAUCHY_WEIGHT, FOLDED], ids=["cauchy_weight", "folded"])
def test_a_different_correct_pv_integral_gets_full_marks(hw02, tmp_path, source):
    path = make_submission(tmp_path, "alt", replace={"pv_integral": source}, assignment=HW02)
    result = grade_submission(
        hw02, Submission("alt", path), limits=load_limits(hw02, "cpu"), device="cpu"
    )
    pv = next(q for q in result.questions if q.question == "pv_integral")
    failed = [t.message for t in pv.tests if not t.passed]
    assert pv.score == pv.max_score, failed
