"""Pairings with test functions, their derivatives and the convergence order.

Reference values are closed forms: for phi(x) = exp(-(x - a)^2), <L_eps, phi> = Re w(a + i eps)
(the Voigt profile; w is Faddeeva's function, scipy.special.wofz; a = 0 gives COURSE.md's
e^{eps^2} erfc(eps)); Gaussians convolve to 1/sqrt(1 + 2 eps^2) exp(-a^2/(1 + 2 eps^2)); the box
averages phi over [-eps, eps]; sinc against exp(-x^2) gives erf(1/(2 eps)); against
1/(1 + x^2), the Lorentzian gives 1/(1 + eps) and sinc gives 1 - exp(-1/eps). The contract's
accuracy is an absolute error of 1e-8.
"""

import numpy as np
import pytest
from scipy.special import erf, erfc, wofz

from grader.checks import assert_close, assert_raises_value_error, question
from grader.harness.testfns import Fn

ATOL = 1e-8
EPS = [1e-3, 1e-2, 0.1, 0.5, 2.0]
HINT_PEAK = "for small eps the kernel is a narrow peak: split the integral at 0 or use points"


def gauss_pairing(kernel, eps, a=0.0):
    if kernel == "lorentzian":
        return wofz(a + 1j * eps).real
    if kernel == "gaussian":
        return np.exp(-(a**2) / (1 + 2 * eps**2)) / np.sqrt(1 + 2 * eps**2)
    if kernel == "box":
        return np.sqrt(np.pi) * (erf(eps - a) + erf(eps + a)) / (4 * eps)
    assert a == 0.0
    return erf(1 / (2 * eps))


@question("delta_pairing", weight=3)
@pytest.mark.parametrize("kernel", ["lorentzian", "gaussian", "sinc", "box"])
@pytest.mark.parametrize("eps", EPS)
def test_delta_pairing_with_gaussian_phi(impl, kernel, eps):
    assert_close(
        impl.delta_pairing(kernel, Fn("gauss"), eps),
        gauss_pairing(kernel, eps),
        atol=ATOL,
        rtol=0,
        what=f'delta_pairing("{kernel}", exp(-x^2), eps)',
        hint=HINT_PEAK,
    )


@question("delta_pairing", weight=2)
@pytest.mark.parametrize("kernel", ["lorentzian", "gaussian", "box"])
@pytest.mark.parametrize("eps", [1e-3, 0.05, 0.7])
def test_delta_pairing_with_off_centre_phi(impl, kernel, eps):
    assert_close(
        impl.delta_pairing(kernel, Fn("gauss", a=1.0), eps),
        gauss_pairing(kernel, eps, a=1.0),
        atol=ATOL,
        rtol=0,
        what=f'delta_pairing("{kernel}", exp(-(x - 1)^2), eps)',
        hint="phi has its bump away from the kernel's peak: integrate both regions accurately",
    )


@question("delta_pairing", weight=2)
@pytest.mark.parametrize(
    ("kernel", "expected"),
    [("lorentzian", lambda e: 1 / (1 + e)), ("sinc", lambda e: 1 - np.exp(-1 / e))],
)
@pytest.mark.parametrize("eps", [1e-2, 0.2, 1.5])
def test_delta_pairing_with_slowly_decaying_phi(impl, kernel, expected, eps):
    assert_close(
        impl.delta_pairing(kernel, Fn("cauchy"), eps),
        expected(eps),
        atol=ATOL,
        rtol=0,
        what=f'delta_pairing("{kernel}", 1/(1 + x^2), eps)',
        hint="the integrand decays slowly: truncating the real line loses the tails",
    )


@question("delta_pairing")
def test_delta_pairing_rejects_unknown_kernel(impl):
    assert_raises_value_error(impl, "delta_pairing", "cauchy", Fn("gauss"), 0.1, argument="kernel")


@question("delta_pairing")
@pytest.mark.parametrize("eps", [0.0, -1.0, np.inf])
def test_delta_pairing_rejects_bad_eps(impl, eps):
    assert_raises_value_error(impl, "delta_pairing", "gaussian", Fn("gauss"), eps, argument="eps")


def lorentzian_prime_pairing(eps):
    # -<L_eps, psi'> with psi = x exp(-x^2): x^2 L = (eps/pi)(1 - eps^2/(x^2 + eps^2)) gives
    # -[(1 + 2 eps^2) e^{eps^2} erfc(eps) - 2 eps/sqrt(pi)]
    return -((1 + 2 * eps**2) * np.exp(eps**2) * erfc(eps) - 2 * eps / np.sqrt(np.pi))


@question("delta_prime_pairing", weight=3)
@pytest.mark.parametrize("eps", EPS)
def test_delta_prime_pairing_lorentzian(impl, eps):
    assert_close(
        impl.delta_prime_pairing("lorentzian", Fn("x_gauss"), eps),
        lorentzian_prime_pairing(eps),
        atol=ATOL,
        rtol=0,
        what='delta_prime_pairing("lorentzian", x exp(-x^2), eps)',
        hint="d/dx of the kernel is -(2/pi) eps x/(x^2 + eps^2)^2; the limit is -psi'(0)",
    )


@question("delta_prime_pairing", weight=3)
@pytest.mark.parametrize("eps", EPS)
def test_delta_prime_pairing_gaussian(impl, eps):
    assert_close(
        impl.delta_prime_pairing("gaussian", Fn("x_gauss"), eps),
        -((1 + 2 * eps**2) ** -1.5),
        atol=ATOL,
        rtol=0,
        what='delta_prime_pairing("gaussian", x exp(-x^2), eps)',
        hint="d/dx of the Gaussian kernel is -x/eps^2 times the kernel",
    )


@question("delta_prime_pairing")
@pytest.mark.parametrize("kernel", ["sinc", "box", "nope"])
def test_delta_prime_pairing_rejects_other_kernels(impl, kernel):
    assert_raises_value_error(
        impl, "delta_prime_pairing", kernel, Fn("x_gauss"), 0.1, argument="kernel"
    )


def pairing_errors(kernel, eps_values, a=0.0):
    """|<K_eps, exp(-(x - a)^2)> - exp(-a^2)| for each eps."""
    pairings = np.array([gauss_pairing(kernel, e, a) for e in eps_values])
    return np.abs(pairings - np.exp(-(a**2)))


def exact_order(kernel, eps_values, a=0.0, errors=None):
    """The least-squares slope of the log of ``errors`` (default: :func:`pairing_errors`)
    against log eps."""
    errors = pairing_errors(kernel, eps_values, a) if errors is None else errors
    return np.polyfit(np.log(eps_values), np.log(errors), 1)[0]


def drawn_order_case(rng, kernel):
    """A bump centre and widths drawn where the slope is pre-asymptotic (at least 0.1 from every
    integer, so a table of orders per kernel fails) and every error is far above the 1e-8
    accuracy of the pairings (at least 1e-4)."""
    while True:
        a, low = rng.uniform(0.0, 1.2), 10 ** rng.uniform(-2, np.log10(0.2))
        eps_values = np.geomspace(low, low * rng.uniform(4, 15), int(rng.integers(3, 9)))
        errors = pairing_errors(kernel, eps_values, a)
        slope = exact_order(kernel, eps_values, errors=errors)
        if errors.min() > 1e-4 and abs(slope - round(slope)) > 0.1:
            return a, eps_values, slope


@question("convergence_order", weight=3)
@pytest.mark.parametrize("kernel", ["lorentzian", "gaussian", "box"])
def test_convergence_order_matches_exact_slope(impl, kernel):
    eps_values = np.geomspace(2e-3, 0.2, 7)
    assert_close(
        impl.convergence_order(kernel, Fn("gauss"), eps_values),
        exact_order(kernel, eps_values),
        atol=0.02,
        rtol=0,
        what=f'convergence_order("{kernel}", exp(-x^2), eps_values)',
        hint="fit log|<kernel_eps, phi> - phi(0)| against log(eps) (same log on both axes)",
    )


@question("convergence_order", weight=3)
@pytest.mark.parametrize("kernel", ["lorentzian", "gaussian", "box"])
def test_convergence_order_is_the_fitted_slope_for_drawn_bumps_and_widths(impl, rng, kernel):
    a, eps_values, slope = drawn_order_case(rng, kernel)
    assert_close(
        impl.convergence_order(kernel, Fn("gauss", a=a), eps_values),
        slope,
        atol=0.02,
        rtol=0,
        what=f'convergence_order("{kernel}", exp(-(x - a)^2), eps_values) on wide eps',
        hint="the slope of the fitted line on these eps, not the asymptotic order of the kernel",
    )


@question("convergence_order")
def test_convergence_order_accepts_a_list(impl):
    eps_values = [0.01, 0.02, 0.04, 0.08]
    assert_close(
        impl.convergence_order("gaussian", Fn("gauss"), eps_values),
        exact_order("gaussian", eps_values),
        atol=0.02,
        rtol=0,
        what="convergence_order with eps_values given as a list",
    )


@question("convergence_order")
def test_convergence_order_needs_two_eps(impl):
    assert_raises_value_error(
        impl, "convergence_order", "gaussian", Fn("gauss"), [0.1], argument="eps_values"
    )
