"""Tests for course_lib.softmax (hw03_softmax_cross_entropy): one test per property of the contract.

Reference values come from closed forms (derived in the comment beside each one), from
``scipy.special.softmax`` / ``scipy.special.log_softmax`` (which the implementation does not use),
and from mpmath at 50 significant digits. Tolerances are stated per test; the one-hot loss is
checked to 1e-13 relative, tighter than the contract's 1e-10, so that the reference
implementation leaves room for the hidden suite's checks.
"""

import itertools
import math

import mpmath
import numpy as np
import pytest
import scipy.special

from course_lib.softmax import (
    cross_entropy,
    cross_entropy_grad,
    log_softmax,
    scaled_onehot_ce,
    softmax,
)

RNG_SEED = 20240603
FLOAT_DTYPES = [np.float32, np.float64]
# Contract range of lam for scaled_onehot_ce, plus a few points where the method changes.
LAM_GRID = [*np.linspace(-50.0, 700.0, 151), 0.0, 1e-12, -1e-12, 36.0, 37.0, 699.5]
K_VALUES = [2, 10, 1000]


def random_batch(seed, n_batch=5, n_classes=4, scale=3.0):
    """Random float64 logits of shape (B, K) with entries of size ~scale, and labels in [0, K)."""
    rng = np.random.default_rng(seed)
    return rng.normal(scale=scale, size=(n_batch, n_classes)), rng.integers(0, n_classes, n_batch)


def mp_onehot_ce(lam, k):
    """log(1 + (k-1) e^{-lam}) in mpmath at 50 digits (log1p keeps tiny arguments exact)."""
    with mpmath.workdps(50):
        return mpmath.log1p((k - 1) * mpmath.exp(-mpmath.mpf(float(lam))))


# ---------------------------------------------------------------------------------------------
# softmax and log_softmax
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_softmax_sums_to_one_along_axis(dtype, axis):
    # Probabilities along `axis` sum to 1 up to rounding: K = 4..6 terms, tolerance 1e-6 (float32)
    # or 1e-14 (float64); every entry lies in [0, 1].
    z = np.random.default_rng(RNG_SEED).normal(scale=5.0, size=(4, 5, 6)).astype(dtype)
    p = softmax(z, axis=axis)
    assert p.shape == z.shape
    assert np.all((p >= 0) & (p <= 1))
    atol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(np.sum(p, axis=axis), 1.0, rtol=0, atol=atol)


@pytest.mark.parametrize("func", [softmax, log_softmax])
def test_softmax_invariant_to_adding_a_constant_per_row(func):
    # mu(z + c) = mu(z) for a constant c per row (the e^{-c} cancels); log_softmax likewise.
    # Shifts up to 500 change the rounding of z + c by ~1e-13 absolute: atol 1e-12.
    z, _ = random_batch(RNG_SEED + 1)
    shifts = np.array([[0.0], [-500.0], [123.456], [500.0], [-7.0]])
    np.testing.assert_allclose(func(z + shifts), func(z), rtol=0, atol=1e-12)


@pytest.mark.parametrize("func", [softmax, log_softmax])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_softmax_finite_at_large_logits_and_keeps_dtype(func, dtype):
    # Logits of +-1e4 overflow a naive exp in both dtypes (float32 exp overflows past ~88).
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4]], dtype=dtype)
    out = func(z)
    assert out.dtype == dtype
    assert out.shape == z.shape
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_softmax_values_at_large_logits(dtype):
    # Closed forms: the max entry gets all the mass (e^{-1e4} underflows to 0, its true value to
    # working precision); equal entries share it. Exact in both dtypes.
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4]], dtype=dtype)
    expected = np.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0.0]])
    np.testing.assert_allclose(softmax(z), expected, rtol=1e-6 if dtype == np.float32 else 1e-15)


@pytest.mark.parametrize("z", [[1, 2, 3], [[0, 1], [2, 2]], [True, False]])
def test_softmax_of_ints_and_lists_is_float64(z):
    assert softmax(z).dtype == np.float64
    assert log_softmax(z).dtype == np.float64


def test_log_softmax_keeps_small_gap_exact():
    # log_softmax([0, -200]) = [-log(1 + e^{-200}), -200 - log(1 + e^{-200})]; e^{-200} = 1.4e-87,
    # so the values are [0, -200] to 1e-86 relative. log(softmax) would also work here, but
    # only the log-sum-exp form is exact for the next test. Tolerance 1e-15 relative, 1e-80 abs.
    np.testing.assert_allclose(log_softmax([0.0, -200.0]), [0.0, -200.0], rtol=1e-15, atol=1e-80)


def test_log_softmax_does_not_underflow_to_minus_inf():
    # log_softmax([1000, 0]) = [-log(1 + e^{-1000}), -1000 - log(1 + e^{-1000})] = [0, -1000]
    # to 1e-434; log(softmax) would give log(0) = -inf in the second entry.
    out = log_softmax([1000.0, 0.0])
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, [0.0, -1000.0], rtol=1e-15, atol=1e-300)


@pytest.mark.parametrize("func", [softmax, log_softmax])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_agrees_with_scipy_special(func, axis):
    # scipy.special.softmax / log_softmax (the same shift, written independently): float64,
    # logits up to ~30 in size; tolerance 1e-13 relative (a few ulps of a few operations).
    z = np.random.default_rng(RNG_SEED + 2).normal(scale=10.0, size=(6, 7))
    reference = getattr(scipy.special, func.__name__)(z, axis=axis)
    np.testing.assert_allclose(func(z, axis=axis), reference, rtol=1e-13, atol=1e-15)


def test_log_softmax_is_log_of_softmax_where_both_are_safe():
    # For moderate logits log(softmax) is accurate, so the two must agree to ~1e-14 absolute.
    z, _ = random_batch(RNG_SEED + 3)
    np.testing.assert_allclose(log_softmax(z), np.log(softmax(z)), rtol=0, atol=1e-13)


# ---------------------------------------------------------------------------------------------
# cross_entropy and cross_entropy_grad
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_cross_entropy_matches_direct_formula(seed):
    # Direct formula -mean_i log(exp(z_{i y_i}) / sum_j exp(z_ij)), safe for logits of size ~3;
    # tolerance 1e-13 relative.
    z, y = random_batch(RNG_SEED + 10 + seed, n_batch=8, n_classes=5)
    direct = -np.mean(np.log(np.exp(z[np.arange(8), y]) / np.sum(np.exp(z), axis=1)))
    value = cross_entropy(z, y)
    assert isinstance(value, float)
    assert value == pytest.approx(direct, rel=1e-13)


def test_cross_entropy_of_uniform_logits_is_log_k():
    # Closed form: equal logits give mu = 1/K for every class, so the loss is log K.
    # Tolerance 1e-15 relative.
    assert cross_entropy(np.zeros((3, 7)), [0, 6, 2]) == pytest.approx(math.log(7), rel=1e-15)


def test_cross_entropy_positive_and_finite_for_finite_logits():
    # 0 < mu_y < 1 for K >= 2, so 0 < l_CE < inf (seed problem 3); with logits up to 1e4 the loss
    # stays finite (log_softmax form) and is exactly >= 0 in floating point, never -0.0.
    z, y = random_batch(RNG_SEED + 20, n_batch=16, n_classes=6)
    assert 0.0 < cross_entropy(z, y) < math.inf
    huge = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]])
    # Closed form: each row's loss is max - z_y = 1e4 - (-1e4) = 2e4 (the rest is e^{-1e4}).
    assert cross_entropy(huge, [1, 0]) == pytest.approx(2e4, rel=1e-15)
    assert math.copysign(1.0, cross_entropy(huge, [0, 1])) == 1.0  # mu_y = 1 to 1e-4343: 0.0


def test_cross_entropy_accepts_integer_valued_floats_and_float32():
    # Labels 2.0 and 0.0 are the integers 2 and 0; float32 logits give the float64 value to
    # float32 precision (rtol 1e-6).
    z, _ = random_batch(RNG_SEED + 21, n_batch=2, n_classes=3)
    assert cross_entropy(z, np.array([2.0, 0.0])) == cross_entropy(z, [2, 0])
    assert cross_entropy(z.astype(np.float32), [2, 0]) == pytest.approx(
        cross_entropy(z, [2, 0]), rel=1e-6
    )


@pytest.mark.parametrize("seed", range(3))
def test_cross_entropy_grad_matches_central_differences(seed):
    # Central differences (L(z + h e_ij) - L(z - h e_ij)) / 2h, h = 1e-6, float64: truncation
    # error ~h^2 = 1e-12, rounding ~1e-16 / h = 1e-10. Tolerance rtol 1e-6, atol 1e-9.
    z, y = random_batch(RNG_SEED + 30 + seed, n_batch=4, n_classes=5, scale=2.0)
    h = 1e-6
    numeric = np.zeros_like(z)
    for index in np.ndindex(z.shape):
        step = np.zeros_like(z)
        step[index] = h
        numeric[index] = (cross_entropy(z + step, y) - cross_entropy(z - step, y)) / (2 * h)
    grad = cross_entropy_grad(z, y)
    assert grad.dtype == np.float64
    assert grad.shape == z.shape
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


def test_cross_entropy_grad_rows_sum_to_zero():
    # Row i is (mu(z_i) - e_{y_i}) / B and mu sums to 1: row sums are 0 to ~1e-16 (atol 1e-15).
    z, y = random_batch(RNG_SEED + 40, n_batch=6, n_classes=7)
    np.testing.assert_allclose(np.sum(cross_entropy_grad(z, y), axis=1), 0.0, rtol=0, atol=1e-15)


def test_cross_entropy_grad_is_softmax_minus_onehot_over_batch():
    # Closed form (softmax - onehot) / B, with softmax from scipy.special; tolerance 1e-14.
    z, y = random_batch(RNG_SEED + 41, n_batch=3, n_classes=4)
    expected = (scipy.special.softmax(z, axis=1) - np.eye(4)[y]) / 3
    np.testing.assert_allclose(cross_entropy_grad(z, y), expected, rtol=0, atol=1e-14)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_cross_entropy_grad_keeps_dtype_and_is_finite_at_large_logits(dtype):
    # At +-1e4 the softmax is one-hot (closed form): the gradient is exactly 0 or +-1/B.
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], dtype=dtype)
    grad = cross_entropy_grad(z, [1, 1])
    assert grad.dtype == dtype
    np.testing.assert_array_equal(grad, [[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]])


# ---------------------------------------------------------------------------------------------
# scaled_onehot_ce
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("k", K_VALUES)
def test_scaled_onehot_ce_matches_mpmath(k):
    # mpmath log1p((k-1) e^{-lam}) at 50 digits over lam in [-50, 700]; tolerance 1e-13 relative
    # (the contract asks for 1e-10; the implementation reaches a few ulps).
    for lam in LAM_GRID:
        value = scaled_onehot_ce(float(lam), 0, k)
        assert isinstance(value, float)
        reference = mp_onehot_ce(lam, k)
        assert abs(value - reference) <= 1e-13 * reference, f"lam={lam}, k={k}"


def test_scaled_onehot_ce_value_at_k10_lam50():
    # Contract value: 9 e^{-50} (1 - 4.5 e^{-50} + ...) = 1.735874863167526e-21, the double
    # nearest to mpmath's 1.7358748631675260047e-21. log(1 + t) would give 0.0 here.
    assert scaled_onehot_ce(50.0, 3, 10) == pytest.approx(1.735874863167526e-21, rel=1e-15)
    assert scaled_onehot_ce(50.0, 3, 10) == pytest.approx(float(mp_onehot_ce(50.0, 10)), rel=1e-15)


@pytest.mark.parametrize("k", K_VALUES)
def test_scaled_onehot_ce_at_zero_is_log_k(k):
    # Closed form: lam = 0 gives uniform logits, loss log k; tolerance 1e-15 relative.
    assert scaled_onehot_ce(0.0, k - 1, k) == pytest.approx(math.log(k), rel=1e-15)


@pytest.mark.parametrize("k", K_VALUES)
@pytest.mark.parametrize("lam", [-700.0, -750.0, -1000.0, -1e6, 705.0, 712.0])
def test_scaled_onehot_ce_exact_beyond_contract_range(k, lam):
    # Below -709, (k-1) e^{-lam} overflows; past 708, e^{-lam} is subnormal although the loss
    # (k-1) e^{-lam} may not be yet. mpmath at 50 digits, tolerance 1e-13 relative while the
    # loss is a normal double (>= 2.2e-308); a subnormal loss has fewer digits: rtol 1e-3 there.
    value = scaled_onehot_ce(lam, 1, k)
    reference = mp_onehot_ce(lam, k)
    assert math.isfinite(value)
    rtol = 1e-13 if reference >= np.finfo(np.float64).tiny else 1e-3
    assert abs(value - reference) <= rtol * reference


def test_scaled_onehot_ce_decreases_to_zero():
    # The loss is strictly decreasing in lam and tends to 0 (seed problem 3): positive on the
    # grid (up to 700 it is >= e^{-700} > 0) and below 1e-300 at lam = 700 for k = 2.
    values = [scaled_onehot_ce(float(lam), 0, 10) for lam in np.linspace(-50.0, 700.0, 301)]
    assert all(a > b > 0 for a, b in itertools.pairwise(values))
    assert scaled_onehot_ce(700.0, 0, 2) < 1e-300


@pytest.mark.parametrize("k", [2, 10])
@pytest.mark.parametrize("lam", [-5.0, -1.0, 0.5, 2.0, 5.0])
def test_scaled_onehot_ce_equals_cross_entropy_of_scaled_onehot(k, lam):
    # The definition l_CE(lam e_y, y) through cross_entropy on one row. For lam <= 5 the
    # log-sum-exp form loses at most ~1e-16 / 6e-5 relative to cancellation: tolerance 1e-10.
    for y in range(k):
        logits = np.zeros((1, k))
        logits[0, y] = lam
        assert scaled_onehot_ce(lam, y, k) == pytest.approx(cross_entropy(logits, [y]), rel=1e-10)


# ---------------------------------------------------------------------------------------------
# argument validation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("func", [softmax, log_softmax])
@pytest.mark.parametrize(
    ("z", "axis", "match"),
    [
        ([1.0, 2.0], 1, "^axis must"),
        ([[1.0, 2.0]], -3, "^axis must"),
        ([1.0, 2.0], 0.5, "^axis must"),
        ([1.0, 2.0], True, "^axis must"),
        (np.zeros((2, 0)), -1, "^axis must"),
        (3.0, -1, "^z must"),
        (["a", "b"], -1, "^z must"),
        ([1 + 2j, 0], -1, "^z must"),
        ([0.0, np.nan], -1, "^z must"),
        ([0.0, np.inf], -1, "^z must"),
    ],
)
def test_softmax_rejects_invalid_arguments(func, z, axis, match):
    with pytest.raises(ValueError, match=match):
        func(z, axis=axis)


@pytest.mark.parametrize("func", [cross_entropy, cross_entropy_grad])
@pytest.mark.parametrize(
    ("logits", "y", "match"),
    [
        (np.zeros(3), [0], "^logits must"),
        (np.zeros((2, 3, 1)), [0, 1], "^logits must"),
        (np.zeros((0, 3)), [], "^logits must"),
        (np.zeros((2, 0)), [0, 0], "^logits must"),
        ([[0.0, np.inf], [0.0, 0.0]], [0, 1], "^logits must"),
        ([["a", "b"]], [0], "^logits must"),
        (np.zeros((2, 3)), [0.5, 1.0], "^y must"),
        (np.zeros((2, 3)), [0, np.nan], "^y must"),
        (np.zeros((2, 3)), ["0", "1"], "^y must"),
        (np.zeros((2, 3)), [True, False], "^y must"),
        (np.zeros((2, 3)), [0, 3], "^y must"),
        (np.zeros((2, 3)), [-1, 0], "^y must"),
        (np.zeros((2, 3)), [0, 1, 2], "^y must"),
        (np.zeros((2, 3)), [[0, 1]], "^y must"),
        (np.zeros((1, 3)), 0, "^y must"),
    ],
)
def test_cross_entropy_rejects_invalid_arguments(func, logits, y, match):
    with pytest.raises(ValueError, match=match):
        func(logits, y)


@pytest.mark.parametrize(
    ("lam", "y", "k", "match"),
    [
        (np.nan, 0, 10, "^lam must"),
        (np.inf, 0, 10, "^lam must"),
        ([1.0, 2.0], 0, 10, "^lam must"),
        ("1.0", 0, 10, "^lam must"),
        (1j, 0, 10, "^lam must"),
        (1.0, 0, 1, "^k must"),
        (1.0, 0, 0, "^k must"),
        (1.0, 0, 2.5, "^k must"),
        (1.0, 0, [10], "^k must"),
        (1.0, 10, 10, "^y must"),
        (1.0, -1, 10, "^y must"),
        (1.0, 0.5, 10, "^y must"),
        (1.0, [0], 10, "^y must"),
    ],
)
def test_scaled_onehot_ce_rejects_invalid_arguments(lam, y, k, match):
    with pytest.raises(ValueError, match=match):
        scaled_onehot_ce(lam, y, k)
