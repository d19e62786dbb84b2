"""Tests for course_lib.delta (hw01_delta_sequences): one test per property of the contract.

Reference values are closed forms, derived in the comment beside each one; ``scipy.special``
evaluates erf/erfc/erfcx/wofz/sici to about 1e-15 relative. Tolerances are stated per test; the
pairing tests use 1e-10 absolute, tighter than the contract's 1e-8, because the reference
implementation should leave room for the hidden suite's checks.
"""

import math
import warnings

import numpy as np
import pytest
import scipy.integrate
import scipy.special
import sympy as sp

from course_lib.delta import (
    box_kernel,
    convergence_order,
    delta_pairing,
    delta_prime_pairing,
    gaussian_kernel,
    lorentzian,
    lorentzian_mass,
    lorentzian_sympy,
    sinc_kernel,
)

KERNEL_FUNCTIONS = {
    "lorentzian": lorentzian,
    "gaussian": gaussian_kernel,
    "sinc": sinc_kernel,
    "box": box_kernel,
}
EPS_GRID = [1e-3, 1e-2, 0.1, 0.5, 1.0, 2.0]
X_GRID = np.array([-7.5, -1.0, -0.3, -1e-4, 1e-6, 0.05, 0.999, 2.0, 40.0])
SQRT_PI = math.sqrt(math.pi)


def gauss(x):
    return np.exp(-(x**2))


def shifted_gauss(x):
    return np.exp(-((x - 1.0) ** 2))


def cauchy(x):
    return 1.0 / (1.0 + x**2)


def cos_gauss(x):
    return np.cos(x) * np.exp(-(x**2) / 2.0)


def x_gauss(x):
    return x * np.exp(-(x**2))


# ---------------------------------------------------------------------------------------------
# The four kernels: values against the formulas of COURSE.md (rtol 1e-13; different but
# equivalent float expressions round differently in the last bits).
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("eps", EPS_GRID)
def test_lorentzian_matches_formula(eps):
    expected = (1.0 / np.pi) * eps / (X_GRID**2 + eps**2)
    np.testing.assert_allclose(lorentzian(X_GRID, eps), expected, rtol=1e-13, atol=0)


@pytest.mark.parametrize("eps", EPS_GRID)
def test_gaussian_kernel_matches_formula(eps):
    expected = np.exp(-(X_GRID**2) / (2 * eps**2)) / (np.sqrt(2 * np.pi) * eps)
    np.testing.assert_allclose(gaussian_kernel(X_GRID, eps), expected, rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("eps", EPS_GRID)
def test_sinc_kernel_matches_formula_away_from_zero(eps):
    expected = np.sin(X_GRID / eps) / (np.pi * X_GRID)
    np.testing.assert_allclose(sinc_kernel(X_GRID, eps), expected, rtol=1e-13, atol=0)


@pytest.mark.parametrize("eps", EPS_GRID)
def test_sinc_kernel_at_zero_is_exact_and_warning_free(eps):
    # The limit sin(x/eps)/(pi x) -> 1/(pi eps); exact equality, no nan, no RuntimeWarning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = sinc_kernel([0.0, -0.0, 1.0], eps)
    assert values[0] == 1.0 / (np.pi * eps)
    assert values[1] == 1.0 / (np.pi * eps)
    assert np.all(np.isfinite(values))


@pytest.mark.parametrize("eps", EPS_GRID)
def test_box_kernel_matches_formula_off_the_jumps(eps):
    # The value at abs(x) == eps is not part of the contract, so those points are left out.
    x = np.concatenate([X_GRID, eps * np.array([-1.5, -0.999, 0.0, 0.5, 0.999, 1.001, 3.0])])
    expected = np.where(np.abs(x) < eps, 1.0 / (2.0 * eps), 0.0)
    np.testing.assert_array_equal(box_kernel(x, eps), expected)


@pytest.mark.parametrize("name", KERNEL_FUNCTIONS)
def test_kernel_accepts_list_and_returns_float64_array(name):
    values = KERNEL_FUNCTIONS[name]([-1, 0, 1], 1)
    assert isinstance(values, np.ndarray)
    assert values.dtype == np.float64
    assert values.shape == (3,)


@pytest.mark.parametrize("name", KERNEL_FUNCTIONS)
def test_kernel_scalar_input_returns_float64_ndarray(name):
    value = KERNEL_FUNCTIONS[name](0.25, 0.5)
    assert isinstance(value, np.ndarray)
    assert value.dtype == np.float64
    assert value.shape == ()


@pytest.mark.parametrize("name", KERNEL_FUNCTIONS)
def test_kernel_broadcasts_x_against_eps(name):
    kernel = KERNEL_FUNCTIONS[name]
    x = np.linspace(-2.0, 2.0, 5).reshape(5, 1)
    eps = np.array([0.1, 0.7, 1.5])
    values = kernel(x, eps)
    assert values.shape == (5, 3)
    for j, e in enumerate(eps):
        np.testing.assert_allclose(values[:, j], kernel(x[:, 0], e), rtol=1e-15, atol=0)


@pytest.mark.parametrize("name", KERNEL_FUNCTIONS)
def test_kernel_is_warning_free_at_zero_and_large_x(name):
    x = np.array([0.0, 1e-300, 1e8, -1e8, 1e200, -1e300, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = KERNEL_FUNCTIONS[name](x, 1e-3)
    assert np.all(np.isfinite(values))
    assert np.all(np.abs(values[2:]) < 1e-8)


@pytest.mark.parametrize("name", KERNEL_FUNCTIONS)
def test_kernel_is_even(name):
    kernel = KERNEL_FUNCTIONS[name]
    np.testing.assert_array_equal(kernel(X_GRID, 0.3), kernel(-X_GRID, 0.3))


# ---------------------------------------------------------------------------------------------
# Normalization: each kernel has unit mass (quad, absolute tolerance 1e-9).
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["lorentzian", "gaussian", "box"])
@pytest.mark.parametrize("eps", [1e-2, 0.3, 2.0])
def test_kernel_integrates_to_one(name, eps):
    kernel = KERNEL_FUNCTIONS[name]

    def f(x):
        return float(kernel(x, eps))

    # Split at +-eps so quad sees the peak (and the jumps of the box).
    pieces = [(-np.inf, -eps), (-eps, eps), (eps, np.inf)]
    mass = sum(scipy.integrate.quad(f, a, b, epsabs=1e-12, limit=200)[0] for a, b in pieces)
    assert mass == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("eps", [1e-2, 0.3, 2.0])
def test_sinc_kernel_mass_on_interval_is_sine_integral(eps):
    # Closed form: int_{-R}^{R} sin(x/eps)/(pi x) dx = (2/pi) Si(R/eps) (scipy.special.sici);
    # it tends to 1 with error at most 2 eps/(pi R) (|Si(z) - pi/2| <= 1/z): an improper
    # integral, since the kernel is not absolutely integrable.
    radius = 10.0

    def f(x):
        return float(sinc_kernel(x, eps))

    mass = 2.0 * scipy.integrate.quad(f, 0.0, radius, epsabs=1e-12, limit=2000)[0]
    expected = 2.0 / np.pi * scipy.special.sici(radius / eps)[0]
    assert mass == pytest.approx(expected, abs=1e-9)
    assert abs(expected - 1.0) <= 2.0 * eps / (np.pi * radius)


# ---------------------------------------------------------------------------------------------
# lorentzian_mass: closed form (arctan(b/eps) - arctan(a/eps))/pi.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "eps"),
    [(-1.0, 1.0, 0.1), (0.5, 3.0, 0.2), (-2.0, -0.1, 1.0), (-np.inf, 0.3, 0.05), (1.0, np.inf, 2)],
)
def test_lorentzian_mass_matches_arctan_formula(a, b, eps):
    expected = (math.atan(b / eps) - math.atan(a / eps)) / math.pi
    value = lorentzian_mass(a, b, eps)
    assert isinstance(value, float)
    assert value == pytest.approx(expected, rel=1e-14, abs=1e-16)


@pytest.mark.parametrize(("a", "b"), [(-1.0, 1.0), (0.5, 3.0), (-2.0, -0.1), (-0.01, 0.02)])
def test_lorentzian_mass_matches_quadrature(a, b):
    eps = 0.05
    quadrature, _ = scipy.integrate.quad(
        lambda x: float(lorentzian(x, eps)), a, b, points=[0.0] if a < 0 < b else None
    )
    assert lorentzian_mass(a, b, eps) == pytest.approx(quadrature, abs=1e-10)


def test_lorentzian_mass_with_infinite_limits():
    # arctan(+-inf) = +-pi/2: the whole line carries mass 1, each half line 1/2, a point 0.
    assert lorentzian_mass(-np.inf, np.inf, 0.3) == pytest.approx(1.0, abs=1e-15)
    assert lorentzian_mass(0.0, np.inf, 0.3) == pytest.approx(0.5, abs=1e-15)
    assert lorentzian_mass(-np.inf, 0.0, 0.3) == pytest.approx(0.5, abs=1e-15)
    assert lorentzian_mass(np.inf, np.inf, 0.3) == 0.0
    assert lorentzian_mass(0.7, 0.7, 0.3) == 0.0


def test_lorentzian_mass_on_unit_interval_tends_to_one():
    # (2/pi) arctan(1/eps) = 1 - (2/pi) arctan(eps): increases to 1, deficit ~ 2 eps/pi.
    masses = [lorentzian_mass(-1.0, 1.0, eps) for eps in [1.0, 0.1, 1e-2, 1e-4, 1e-8]]
    assert np.all(np.diff(masses) > 0)
    assert masses[-1] == pytest.approx(1.0, abs=1e-7)
    assert masses[0] == pytest.approx(0.5, abs=1e-15)


# ---------------------------------------------------------------------------------------------
# delta_pairing against closed forms (absolute tolerance 1e-10 over eps in [1e-3, 2]).
# ---------------------------------------------------------------------------------------------

PAIRING_REFERENCES = {
    # <L_eps, e^{-x^2}> = Re w(i eps) = e^{eps^2} erfc(eps) (Faddeeva w; COURSE.md).
    ("lorentzian", "gauss"): lambda e: scipy.special.erfcx(e),
    # <L_eps, e^{-(x-1)^2}> = Re w(1 + i eps): the Voigt profile, w = scipy.special.wofz.
    ("lorentzian", "shifted_gauss"): lambda e: scipy.special.wofz(1.0 + 1j * e).real,
    # Lorentzians convolve by adding widths: <L_eps, pi L_1> = pi L_{1+eps}(0) = 1/(1+eps).
    ("lorentzian", "cauchy"): lambda e: 1.0 / (1.0 + e),
    # Gaussian convolutions (variances add): COURSE.md and completing the square.
    ("gaussian", "gauss"): lambda e: 1.0 / math.sqrt(1.0 + 2.0 * e**2),
    ("gaussian", "shifted_gauss"): lambda e: (
        math.exp(-1.0 / (1.0 + 2.0 * e**2)) / math.sqrt(1.0 + 2.0 * e**2)
    ),
    # <G_eps, 1/(1+x^2)> = sqrt(pi/2)/eps * erfcx(1/(sqrt(2) eps)) (Voigt profile at 0).
    ("gaussian", "cauchy"): lambda e: (
        math.sqrt(math.pi / 2.0) / e * scipy.special.erfcx(1.0 / (math.sqrt(2.0) * e))
    ),
    # int N(0, eps^2) cos(x) e^{-x^2/2} = e^{-eps^2/(2(1+eps^2))} / sqrt(1+eps^2).
    ("gaussian", "cos_gauss"): lambda e: (
        math.exp(-(e**2) / (2.0 * (1.0 + e**2))) / math.sqrt(1.0 + e**2)
    ),
    # Box: mean value of phi on [-eps, eps] (COURSE.md for e^{-x^2}).
    ("box", "gauss"): lambda e: SQRT_PI * math.erf(e) / (2.0 * e),
    ("box", "shifted_gauss"): lambda e: SQRT_PI * (math.erf(1 + e) - math.erf(1 - e)) / (4 * e),
    ("box", "cauchy"): lambda e: math.atan(e) / e,
    # Sinc keeps the frequencies |k| < 1/eps: <S_eps, phi> = (1/2pi) int_{|k|<1/eps} phi_hat.
    ("sinc", "gauss"): lambda e: math.erf(1.0 / (2.0 * e)),  # COURSE.md
    ("sinc", "shifted_gauss"): lambda e: (
        math.exp(-1.0) * scipy.special.erf(1.0 / (2.0 * e) + 1j).real
    ),
    ("sinc", "cauchy"): lambda e: 1.0 - math.exp(-1.0 / e),  # phi_hat = pi e^{-|k|}
    # cos(x) e^{-x^2/2}: phi_hat is a sum of two unit normal densities centred at +-1.
    ("sinc", "cos_gauss"): lambda e: (
        (math.erf((1 / e - 1) / math.sqrt(2)) + math.erf((1 / e + 1) / math.sqrt(2))) / 2
    ),
}
TEST_FUNCTIONS = {
    "gauss": gauss,
    "shifted_gauss": shifted_gauss,
    "cauchy": cauchy,
    "cos_gauss": cos_gauss,
}


@pytest.mark.parametrize("eps", EPS_GRID)
@pytest.mark.parametrize(("kernel", "phi_name"), list(PAIRING_REFERENCES))
def test_delta_pairing_matches_closed_form(kernel, phi_name, eps):
    value = delta_pairing(kernel, TEST_FUNCTIONS[phi_name], eps)
    assert isinstance(value, float)
    assert abs(value - PAIRING_REFERENCES[kernel, phi_name](eps)) <= 1e-10


@pytest.mark.parametrize(
    ("eps", "expected"),
    # The two values printed in COURSE.md (e^{eps^2} erfc(eps) to 16 digits); tolerance 1e-12.
    [(0.1, 0.8964569799691265), (0.01, 0.988815461046343)],
)
def test_delta_pairing_lorentzian_reference_values(eps, expected):
    assert delta_pairing("lorentzian", gauss, eps) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("kernel", ["lorentzian", "gaussian", "sinc", "box"])
def test_delta_pairing_is_warning_free(kernel):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for eps in (1e-3, 2.0):
            delta_pairing(kernel, cauchy, eps)
            delta_pairing(kernel, shifted_gauss, eps)


@pytest.mark.parametrize("kernel", ["lorentzian", "gaussian", "sinc", "box"])
def test_delta_pairing_tends_to_phi_at_zero(kernel):
    # |<K_eps, phi> - phi(0)| <= eps = 1e-4 for phi = e^{-(x-1)^2} (phi(0) = 1/e): the
    # Lorentzian error is about 0.086 eps (d/d eps of Re w(1 + i eps) at 0, i.e.
    # 2 Im w(1) - 2/sqrt(pi)), the Gaussian's and box's O(eps^2), the sinc's below 1e-300.
    assert delta_pairing(kernel, shifted_gauss, 1e-4) == pytest.approx(math.exp(-1), abs=1e-4)


def test_delta_pairing_of_odd_test_function_is_zero():
    # Every kernel is even, so the pairing with an odd phi vanishes (tolerance 1e-12).
    for kernel in ("lorentzian", "gaussian", "sinc", "box"):
        assert abs(delta_pairing(kernel, x_gauss, 0.05)) <= 1e-12


# ---------------------------------------------------------------------------------------------
# delta_prime_pairing: <K_eps', psi> = -<K_eps, psi'> (absolute tolerance 1e-10).
# ---------------------------------------------------------------------------------------------

PRIME_REFERENCES = {
    # psi = x e^{-x^2}, psi' = (1 - 2x^2) e^{-x^2}; x^2 L_eps = eps/pi - eps^2 L_eps gives
    # <L_eps', psi> = -((1 + 2 eps^2) erfcx(eps) - 2 eps/sqrt(pi)).
    ("lorentzian", "x_gauss"): lambda e: (
        -((1.0 + 2.0 * e**2) * scipy.special.erfcx(e) - 2.0 * e / SQRT_PI)
    ),
    ("gaussian", "x_gauss"): lambda e: -((1.0 + 2.0 * e**2) ** -1.5),  # COURSE.md
    # psi = e^{-(x-c)^2} at c = 1: <K', psi> = d/dc <K, e^{-(x-c)^2}>; for the Lorentzian
    # d/dc Re w(c + i eps) = Re(-2 z w(z)) (w' = -2 z w + 2i/sqrt(pi)).
    ("lorentzian", "shifted_gauss"): lambda e: (
        (-2.0 * (1.0 + 1j * e) * scipy.special.wofz(1.0 + 1j * e)).real
    ),
    ("gaussian", "shifted_gauss"): lambda e: (
        -2.0 / (1.0 + 2.0 * e**2) * math.exp(-1.0 / (1.0 + 2.0 * e**2)) / math.sqrt(1 + 2 * e**2)
    ),
}
PRIME_TEST_FUNCTIONS = {"x_gauss": x_gauss, "shifted_gauss": shifted_gauss}


@pytest.mark.parametrize("eps", EPS_GRID)
@pytest.mark.parametrize(("kernel", "psi_name"), list(PRIME_REFERENCES))
def test_delta_prime_pairing_matches_closed_form(kernel, psi_name, eps):
    value = delta_prime_pairing(kernel, PRIME_TEST_FUNCTIONS[psi_name], eps)
    assert isinstance(value, float)
    assert abs(value - PRIME_REFERENCES[kernel, psi_name](eps)) <= 1e-10


def test_delta_prime_pairing_lorentzian_reference_value():
    # COURSE.md: lorentzian, psi = x e^{-x^2}, eps = 0.1 -> -0.8015482028589578 (tol 1e-12).
    value = delta_prime_pairing("lorentzian", x_gauss, 0.1)
    assert value == pytest.approx(-0.8015482028589578, abs=1e-12)


@pytest.mark.parametrize("kernel", ["lorentzian", "gaussian"])
def test_delta_prime_pairing_tends_to_minus_psi_prime_at_zero(kernel):
    # psi = e^{-(x-1)^2}: psi'(0) = 2/e, so <delta', psi> = -2/e; error O(eps) at eps = 1e-4.
    value = delta_prime_pairing(kernel, shifted_gauss, 1e-4)
    assert value == pytest.approx(-2.0 * math.exp(-1.0), abs=1e-3)


# ---------------------------------------------------------------------------------------------
# convergence_order: slope of log error against log eps on geomspace(1e-3, 1e-1, 8).
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kernel", "low", "high"),
    # Expected orders from COURSE.md: 1 (Lorentzian tails eps/x^2), 2 (finite second moment).
    [("lorentzian", 0.9, 1.1), ("gaussian", 1.9, 2.1), ("box", 1.9, 2.1)],
)
def test_convergence_order_matches_theory(kernel, low, high):
    order = convergence_order(kernel, gauss, np.geomspace(1e-3, 1e-1, 8))
    assert isinstance(order, float)
    assert low <= order <= high


def test_convergence_order_is_exact_slope_of_closed_form_errors():
    # For the Gaussian and e^{-x^2} the errors are 1 - 1/sqrt(1+2 eps^2) exactly; the fitted
    # slope must equal np.polyfit on those errors (tolerance 1e-6 on the slope).
    eps_values = np.array([0.01, 0.03, 0.2, 0.5])
    errors = 1.0 - 1.0 / np.sqrt(1.0 + 2.0 * eps_values**2)
    expected = np.polyfit(np.log(eps_values), np.log(errors), 1)[0]
    assert convergence_order("gaussian", gauss, list(eps_values)) == pytest.approx(
        expected, abs=1e-6
    )


# ---------------------------------------------------------------------------------------------
# lorentzian_sympy
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lorentzian_expressions():
    return lorentzian_sympy()


def _symbols(expression):
    return {str(s): s for s in expression.free_symbols}


def test_lorentzian_sympy_symbols_have_assumptions(lorentzian_expressions):
    f, f_x, f_xx = lorentzian_expressions
    for expression in (f, f_x, f_xx):
        symbols = _symbols(expression)
        assert set(symbols) == {"x", "epsilon"}
        assert symbols["x"].is_real is True
        assert symbols["epsilon"].is_positive is True


def test_lorentzian_sympy_integrates_to_one(lorentzian_expressions):
    f = lorentzian_expressions[0]
    x = _symbols(f)["x"]
    assert sp.simplify(sp.integrate(f, (x, -sp.oo, sp.oo)) - 1) == 0


def test_lorentzian_sympy_first_derivative(lorentzian_expressions):
    f, f_x, _ = lorentzian_expressions
    x = _symbols(f)["x"]
    assert sp.simplify(f_x - sp.diff(f, x)) == 0


def test_lorentzian_sympy_second_derivative(lorentzian_expressions):
    f, _, f_xx = lorentzian_expressions
    x = _symbols(f)["x"]
    assert sp.simplify(f_xx - sp.diff(f, x, 2)) == 0


def test_lorentzian_sympy_agrees_with_numeric_kernel(lorentzian_expressions):
    f, f_x, _ = lorentzian_expressions
    symbols = _symbols(f)
    x, epsilon = symbols["x"], symbols["epsilon"]
    f_numeric = sp.lambdify((x, epsilon), f, "numpy")
    f_x_numeric = sp.lambdify((x, epsilon), f_x, "numpy")
    for eps in (0.01, 0.3, 2.0):
        np.testing.assert_allclose(f_numeric(X_GRID, eps), lorentzian(X_GRID, eps), rtol=1e-13)
        # d/dx L_eps = -(2/pi) eps x / (x^2 + eps^2)^2 (COURSE.md hint), rtol 1e-13.
        expected = -2.0 / np.pi * eps * X_GRID / (X_GRID**2 + eps**2) ** 2
        np.testing.assert_allclose(f_x_numeric(X_GRID, eps), expected, rtol=1e-13)


# ---------------------------------------------------------------------------------------------
# Invalid arguments: ValueError whose message names the argument.
# ---------------------------------------------------------------------------------------------

INVALID_EPS = [0.0, -0.1, np.nan, np.inf, -np.inf]


@pytest.mark.parametrize("name", KERNEL_FUNCTIONS)
@pytest.mark.parametrize("eps", INVALID_EPS)
def test_kernel_rejects_invalid_eps(name, eps):
    with pytest.raises(ValueError, match="eps"):
        KERNEL_FUNCTIONS[name]([0.0, 1.0], eps)


@pytest.mark.parametrize("name", KERNEL_FUNCTIONS)
def test_kernel_rejects_array_eps_with_a_bad_entry(name):
    with pytest.raises(ValueError, match="eps"):
        KERNEL_FUNCTIONS[name](0.0, [0.1, 0.0])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda eps: lorentzian_mass(-1.0, 1.0, eps), "eps"),
        (lambda eps: delta_pairing("gaussian", gauss, eps), "eps"),
        (lambda eps: delta_prime_pairing("gaussian", x_gauss, eps), "eps"),
    ],
    ids=["lorentzian_mass", "delta_pairing", "delta_prime_pairing"],
)
@pytest.mark.parametrize("eps", [*INVALID_EPS, "wide", [0.1, 0.2]])
def test_scalar_functions_reject_invalid_eps(call, match, eps):
    with pytest.raises(ValueError, match=match):
        call(eps)


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [(1.0, -1.0, "a must be <= b"), (np.nan, 1.0, "a"), (-1.0, np.nan, "b"), ("x", 1.0, "a")],
)
def test_lorentzian_mass_rejects_invalid_bounds(a, b, match):
    with pytest.raises(ValueError, match=match):
        lorentzian_mass(a, b, 0.1)


@pytest.mark.parametrize("kernel", ["cauchy", "Gaussian", "", None])
def test_delta_pairing_rejects_unknown_kernel_and_lists_valid_ones(kernel):
    with pytest.raises(ValueError, match="kernel") as info:
        delta_pairing(kernel, gauss, 0.1)
    for valid in ("lorentzian", "gaussian", "sinc", "box"):
        assert valid in str(info.value)


@pytest.mark.parametrize("kernel", ["sinc", "box", "unknown"])
def test_delta_prime_pairing_rejects_unsupported_kernel(kernel):
    with pytest.raises(ValueError, match="kernel") as info:
        delta_prime_pairing(kernel, x_gauss, 0.1)
    assert "lorentzian" in str(info.value)
    assert "gaussian" in str(info.value)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: delta_pairing("lorentzian", 1.0, 0.1), "phi"),
        (lambda: delta_prime_pairing("lorentzian", "x", 0.1), "psi"),
        (lambda: convergence_order("gaussian", None, [0.1, 0.2]), "phi"),
    ],
    ids=["delta_pairing", "delta_prime_pairing", "convergence_order"],
)
def test_non_callable_test_function_is_rejected(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "eps_values",
    [[0.1], [], 0.1, [0.1, 0.1], [0.1, 0.0], [0.1, -0.2], [0.1, np.nan], [0.1, np.inf], ["a", 1]],
)
def test_convergence_order_rejects_invalid_eps_values(eps_values):
    with pytest.raises(ValueError, match="eps_values"):
        convergence_order("gaussian", gauss, eps_values)


def test_convergence_order_rejects_unknown_kernel():
    with pytest.raises(ValueError, match="kernel"):
        convergence_order("dirac", gauss, [0.1, 0.2])
