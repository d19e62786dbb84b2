"""Principal values, ln|x| and its derivative, ln x^2, and the Dirichlet integral.

Closed forms (checked against quadrature when the suite was written):
PV int e^{-(x-a)^2}/(x - c) dx = 2 sqrt(pi) F(a - c), F = Dawson's function (scipy.special.dawsn);
PV int 1/(1 + (x-a)^2)/(x - c) dx = -pi z/(1 + z^2) with z = c - a (partial fractions);
PV int x e^{-x^2}/(x - c) dx = sqrt(pi) (1 - 2 c F(c)). The contract's accuracy is 1e-8.
"""

import numpy as np
import pytest
from scipy.special import dawsn

from grader.checks import assert_close, assert_raises_value_error, question
from grader.harness.testfns import Fn

ATOL = 1e-8
SHIFTS = [0.0, 1.0, -2.0]
POLES = [0.0, 0.5, -1.3, 3.0]


def pv_gauss(a, c):
    return 2 * np.sqrt(np.pi) * dawsn(a - c)


def pv_cauchy(a, c):
    z = c - a
    return -np.pi * z / (1 + z**2)


@question("pv_integral", weight=4)
@pytest.mark.parametrize("a", SHIFTS)
@pytest.mark.parametrize("c", POLES)
def test_pv_integral_of_gaussians(impl, a, c):
    assert_close(
        impl.pv_integral(Fn("gauss", a=a), c),
        pv_gauss(a, c),
        atol=ATOL,
        rtol=0,
        what="pv_integral(exp(-(x - a)^2), c)",
        hint="excise a SYMMETRIC interval around the pole c (or fold: (phi(c+t) - phi(c-t))/t)",
    )


@question("pv_integral", weight=3)
@pytest.mark.parametrize("a", [0.0, 1.5])
@pytest.mark.parametrize("c", [0.0, 0.7, -2.0])
def test_pv_integral_of_slowly_decaying_phi(impl, a, c):
    assert_close(
        impl.pv_integral(Fn("cauchy", a=a), c),
        pv_cauchy(a, c),
        atol=ATOL,
        rtol=0,
        what="pv_integral(1/(1 + (x - a)^2), c)",
        hint="phi decays only like 1/x^2: keep the tails of the integral",
    )


@question("pv_integral", weight=2)
@pytest.mark.parametrize("c", [0.0, 0.4, -1.1])
def test_pv_integral_of_an_odd_phi(impl, c):
    expected = np.sqrt(np.pi) * (1 - 2 * c * dawsn(c))
    assert_close(
        impl.pv_integral(Fn("x_gauss"), c),
        expected,
        atol=ATOL,
        rtol=0,
        what="pv_integral(x exp(-x^2), c)",
    )


@question("pv_integral")
@pytest.mark.parametrize("c", [np.inf, np.nan])
def test_pv_integral_rejects_bad_pole(impl, c):
    assert_raises_value_error(impl, "pv_integral", Fn("gauss"), c, argument="c")


@question("log_abs_pairing", weight=3)
@pytest.mark.parametrize("a", [1.0, -0.4, 2.5])
def test_log_abs_pairing_equals_the_principal_value(impl, a):
    assert_close(
        impl.log_abs_pairing(Fn("d_gauss", a=a)),
        pv_gauss(a, 0.0),
        atol=ATOL,
        rtol=0,
        what="log_abs_pairing(phi') for phi = exp(-(x - a)^2)",
        hint="-int ln|x| phi'(x) dx: mind the minus sign and the log singularity at 0",
    )


@question("regularized_log", weight=2)
@pytest.mark.parametrize("eps", [1e-3, 0.1, 2.0])
def test_regularized_log_matches_formula(impl, eps):
    x = np.array([-5.0, -1.0, -1e-4, 0.0, 1e-4, 1.0, 5.0])
    assert_close(
        impl.regularized_log(x, eps),
        np.log(np.abs(x) + eps),
        rtol=1e-12,
        atol=1e-15,
        what="regularized_log(x, eps)",
        hint="ln(|x| + eps): the absolute value matters for x < 0",
    )


@question("regularized_log")
@pytest.mark.parametrize("eps", [0.0, -1.0, np.nan])
def test_regularized_log_rejects_bad_eps(impl, eps):
    assert_raises_value_error(impl, "regularized_log", [1.0], eps, argument="eps")


@question("log_square_pairing", weight=3)
@pytest.mark.parametrize("a", [1.0, -0.5])
def test_log_square_pairing_is_twice_the_principal_value(impl, a):
    assert_close(
        impl.log_square_pairing(Fn("gauss", a=a)),
        2 * pv_gauss(a, 0.0),
        atol=2 * ATOL,
        rtol=0,
        what="log_square_pairing(exp(-(x - a)^2))",
        hint="ln x^2 = 2 ln|x|",
    )


@question("log_square_pairing")
def test_log_square_pairing_with_slowly_decaying_phi(impl):
    assert_close(
        impl.log_square_pairing(Fn("cauchy", a=1.0)),
        2 * pv_cauchy(1.0, 0.0),
        atol=2 * ATOL,
        rtol=0,
        what="log_square_pairing(1/(1 + (x - 1)^2))",
    )


@question("dirichlet_integral")
def test_dirichlet_integral_is_pi_to_1e9(impl):
    assert_close(
        impl.dirichlet_integral(),
        np.pi,
        atol=1e-9,
        rtol=0,
        what="dirichlet_integral()",
        hint="truncating the integral at +-L leaves a tail of order 1/L: integrate the tail",
    )
