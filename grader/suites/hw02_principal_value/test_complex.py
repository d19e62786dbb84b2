"""Sokhotski-Plemelj, ln(x + i0) and the Hilbert transform.

Closed forms: int e^{-(x-a)^2}/(x + i eta) dx = i pi w(-a + i|eta|) for eta < 0 and its complex
conjugate for eta > 0 (w is Faddeeva's function, scipy.special.wofz; a = 0, eta = 0.1 gives
COURSE.md's -2.8163026625303 i); H[1/(1+x^2)](y) = y/(1+y^2) and H[e^{-x^2}](y) =
(2/sqrt(pi)) F(y) with the convention H f(y) = (1/pi) PV int f(x)/(y - x) dx.
"""

import numpy as np
import pytest
from scipy.special import dawsn, wofz

from grader.checks import assert_close, assert_raises_value_error, question
from grader.harness.testfns import Fn

ATOL = 1e-8


def plemelj_gauss(a, eta):
    value = 1j * np.pi * wofz(-a + 1j * abs(eta))
    return np.conj(value) if eta > 0 else value


@question("plemelj_pairing", weight=4)
@pytest.mark.parametrize("a", [0.0, 1.0])
@pytest.mark.parametrize("eta", [1.0, 0.1, 1e-3, -0.1, -1e-3])
def test_plemelj_pairing_matches_faddeeva(impl, a, eta):
    value = impl.plemelj_pairing(Fn("gauss", a=a), eta)
    assert isinstance(value, complex), "plemelj_pairing should return a Python complex"
    assert_close(
        value,
        plemelj_gauss(a, eta),
        atol=ATOL,
        rtol=0,
        what="plemelj_pairing(exp(-(x - a)^2), eta)",
        hint="1/(x + i eta) = (x - i eta)/(x^2 + eta^2); as eta -> 0+ it tends to PV - i pi delta",
    )


@question("plemelj_pairing")
@pytest.mark.parametrize("eta", [0.0, np.inf])
def test_plemelj_pairing_rejects_bad_eta(impl, eta):
    assert_raises_value_error(impl, "plemelj_pairing", Fn("gauss"), eta, argument="eta")


@question("log_x_plus_i0", weight=3)
def test_log_x_plus_i0_has_the_jump_on_the_negative_axis(impl):
    x = np.array([-7.5, -2.0, -1e-3, 1e-3, 0.5, 4.0])
    expected = np.log(np.abs(x)) + 1j * np.pi * (x < 0)
    assert_close(
        impl.log_x_plus_i0(x),
        expected,
        rtol=1e-12,
        atol=1e-15,
        what="log_x_plus_i0(x)",
        hint="the imaginary part is +pi for every x < 0: beware np.log of a complex with -0.0",
    )


@question("log_x_plus_i0")
def test_log_x_plus_i0_accepts_a_list_and_keeps_shape(impl):
    x = [[-1.0, 2.0], [3.0, -4.0]]
    expected = np.log(np.abs(x)) + 1j * np.pi * (np.array(x) < 0)
    assert_close(impl.log_x_plus_i0(x), expected, rtol=1e-12, what="log_x_plus_i0 of a 2x2 list")


@question("hilbert_transform", weight=3)
def test_hilbert_transform_of_the_cauchy_function(impl):
    y = np.linspace(-5.0, 5.0, 11)
    assert_close(
        impl.hilbert_transform(Fn("cauchy"), y),
        y / (1 + y**2),
        atol=ATOL,
        rtol=0,
        what="hilbert_transform(1/(1 + x^2), y)",
        hint="the convention is (1/pi) PV int f(x)/(y - x) dx: check the sign",
    )


@question("hilbert_transform", weight=2)
def test_hilbert_transform_of_a_gaussian(impl):
    y = np.array([-3.0, -0.7, 0.0, 0.25, 1.0, 4.0])
    assert_close(
        impl.hilbert_transform(Fn("gauss"), y),
        2 / np.sqrt(np.pi) * dawsn(y),
        atol=ATOL,
        rtol=0,
        what="hilbert_transform(exp(-x^2), y)",
    )
