"""The four kernels and the Lorentzian's mass: formulas, shapes, x = 0, argument errors."""

import numpy as np
import pytest

from grader.checks import assert_close, assert_raises_value_error, question

X = np.array([-3.0, -1.0, -0.25, -1e-3, 0.0, 1e-3, 0.25, 1.0, 3.0, 40.0])
EPS = [1e-3, 0.05, 0.5, 2.0]
BAD_EPS = [0.0, -0.5, np.inf, np.nan]
KERNELS = ["lorentzian", "gaussian_kernel", "sinc_kernel", "box_kernel"]


def lorentzian_formula(x, eps):
    return eps / (np.pi * (x**2 + eps**2))


def gaussian_formula(x, eps):
    return np.exp(-(x**2) / (2 * eps**2)) / (np.sqrt(2 * np.pi) * eps)


def sinc_formula(x, eps):
    # sin(x/eps)/(pi x) = sinc(x/(pi eps))/(pi eps) with numpy's normalized sinc; finite at 0
    return np.sinc(x / (np.pi * eps)) / (np.pi * eps)


@question("lorentzian", weight=3)
@pytest.mark.parametrize("eps", EPS)
def test_lorentzian_matches_formula(impl, eps):
    assert_close(
        impl.lorentzian(X, eps),
        lorentzian_formula(X, eps),
        rtol=1e-12,
        what="lorentzian(x, eps)",
        hint="expected (1/pi) eps/(x^2 + eps^2): is 1/pi missing?",
    )


@question("lorentzian")
def test_lorentzian_accepts_lists_and_broadcasts(impl):
    x, eps = [[0.0], [1.0], [2.0]], [0.5, 1.0]
    assert_close(
        impl.lorentzian(x, eps),
        lorentzian_formula(np.array(x), np.array(eps)),
        what="lorentzian with list arguments of shapes (3, 1) and (2,)",
        hint="use np.asarray and let numpy broadcast to shape (3, 2)",
    )


@question("gaussian_kernel", weight=3)
@pytest.mark.parametrize("eps", EPS)
def test_gaussian_kernel_matches_formula(impl, eps):
    assert_close(
        impl.gaussian_kernel(X, eps),
        gaussian_formula(X, eps),
        rtol=1e-12,
        what="gaussian_kernel(x, eps)",
        hint="expected exp(-x^2/(2 eps^2))/(sqrt(2 pi) eps): check the 2 in the exponent",
    )


@question("sinc_kernel", weight=3)
@pytest.mark.parametrize("eps", EPS)
def test_sinc_kernel_matches_formula(impl, eps):
    assert_close(
        impl.sinc_kernel(X, eps),
        sinc_formula(X, eps),
        rtol=1e-10,
        atol=1e-14,
        what="sinc_kernel(x, eps)",
        hint="expected sin(x/eps)/(pi x), with 1/(pi eps) at x = 0",
    )


@question("sinc_kernel", weight=2)
@pytest.mark.parametrize("eps", [0.1, 3.0])
def test_sinc_kernel_is_finite_at_zero(impl, eps):
    assert_close(
        impl.sinc_kernel(np.array([-0.0, 0.0, 1e-300]), eps),
        np.full(3, 1 / (np.pi * eps)),
        rtol=1e-12,
        what="sinc_kernel at x = 0 (and x = 1e-300)",
        hint="the limit at 0 is 1/(pi eps); 0/0 gives nan",
    )


@question("box_kernel", weight=3)
@pytest.mark.parametrize("eps", EPS)
def test_box_kernel_matches_formula(impl, eps):
    x = np.concatenate([X, eps * np.array([-1.5, -0.999, -0.5, 0.5, 0.999, 1.5])])
    expected = np.where(np.abs(x) < eps, 1 / (2 * eps), 0.0)
    assert_close(
        impl.box_kernel(x, eps),
        expected,
        rtol=1e-12,
        what="box_kernel(x, eps)",
        hint="expected 1/(2 eps) inside (-eps, eps) and 0 outside",
    )


@pytest.mark.parametrize("name", [pytest.param(k, marks=question(k), id=k) for k in KERNELS])
@pytest.mark.parametrize("eps", BAD_EPS)
def test_kernels_reject_bad_eps(impl, name, eps):
    assert_raises_value_error(impl, name, 0.5, eps, argument="eps")


@question("lorentzian_mass", weight=3)
@pytest.mark.parametrize(
    ("a", "b", "eps"),
    [(-1.0, 1.0, 0.1), (0.0, 1.0, 1.0), (-2.0, 0.5, 1e-3), (0.3, 0.3, 0.2), (2.0, 7.0, 0.5)],
)
def test_lorentzian_mass_matches_arctan(impl, a, b, eps):
    expected = (np.arctan(b / eps) - np.arctan(a / eps)) / np.pi
    assert_close(
        impl.lorentzian_mass(a, b, eps),
        expected,
        rtol=1e-10,
        atol=1e-14,
        what="lorentzian_mass(a, b, eps)",
        hint="the antiderivative of lorentzian is arctan(x/eps)/pi",
    )


@question("lorentzian_mass", weight=2)
@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [(-np.inf, np.inf, 1.0), (0.0, np.inf, 0.5), (-np.inf, 0.0, 0.5), (-np.inf, -np.inf, 0.0)],
)
def test_lorentzian_mass_with_infinite_limits(impl, a, b, expected):
    assert_close(
        impl.lorentzian_mass(a, b, 0.7),
        expected,
        atol=1e-12,
        what="lorentzian_mass with infinite limits",
        hint="arctan(+-inf) = +-pi/2",
    )


@question("lorentzian_mass")
def test_lorentzian_mass_rejects_reversed_limits(impl):
    assert_raises_value_error(impl, "lorentzian_mass", 1.0, -1.0, 0.5, argument="a")


@question("lorentzian_mass")
@pytest.mark.parametrize("eps", BAD_EPS)
def test_lorentzian_mass_rejects_bad_eps(impl, eps):
    assert_raises_value_error(impl, "lorentzian_mass", -1.0, 1.0, eps, argument="eps")
