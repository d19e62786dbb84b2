"""Tests for course_lib.double_descent (hw06_double_descent): one test per property.

Reference routes, named in each test: Gauss-Legendre quadrature (``leggauss``, exact for
polynomials of degree < 2 * nodes), ``scipy.special.eval_legendre``, ``numpy.linalg.pinv``, the
closed-form Gaussian-design risks quoted in COURSE.md (1.020, 1.510, 1.084 for n = 100,
r2 = sigma2 = 1) and the safe assertions listed there for the Legendre curve. Monte Carlo
tolerances are stated with the standard error they cover.
"""

import math
import re

import numpy as np
import pytest
import scipy.special

from course_lib.double_descent import (
    gaussian_design_risk,
    legendre_features,
    legendre_risk_curve,
    min_norm_solution,
    simulate_gaussian_risk,
)

N_TRAIN = 16


def train_mse(Phi, y):
    return float(np.mean((Phi @ min_norm_solution(Phi, y) - y) ** 2))


@pytest.fixture(scope="module")
def legendre_curve():
    """The homework's curve: p = 1..64, n = 16, 200 trials, noise 0.1, seed 0 (about 3 s)."""
    p_values = np.arange(1, 4 * N_TRAIN + 1)
    return p_values, legendre_risk_curve(p_values, n=N_TRAIN, trials=200, noise_std=0.1, seed=0)


# ---------------------------------------------------------------------------------------------
# legendre_features
# ---------------------------------------------------------------------------------------------


def test_legendre_features_are_orthonormal_for_the_uniform_measure():
    # (1/2) int_{-1}^{1} phi_j phi_k dx = delta_jk. Products have degree <= 2 * 29 = 58 < 2 * 40,
    # so the 40-node Gauss-Legendre rule is exact up to rounding (tolerance 1e-12).
    nodes, weights = np.polynomial.legendre.leggauss(40)
    Phi = legendre_features(nodes, 30)
    gram = 0.5 * Phi.T @ (weights[:, None] * Phi)
    np.testing.assert_allclose(gram, np.eye(30), rtol=0, atol=1e-12)


def test_legendre_features_match_scipy_eval_legendre():
    # scipy.special.eval_legendre is accurate to a few ulps; compare up to degree 63.
    x = np.concatenate([np.linspace(-1.0, 1.0, 201), [-0.999999, 1e-12, 0.7071067811865476]])
    degrees = np.arange(64)
    expected = scipy.special.eval_legendre(degrees[None, :], x[:, None]) * np.sqrt(2 * degrees + 1)
    np.testing.assert_allclose(legendre_features(x, 64), expected, rtol=1e-12, atol=1e-12)


def test_legendre_features_at_the_endpoints_are_plus_minus_sqrt_2k_plus_1():
    # P_k(1) = 1 and P_k(-1) = (-1)^k exactly; the recurrence reproduces them to rounding.
    k = np.arange(40)
    Phi = legendre_features([-1.0, 1.0], 40)
    np.testing.assert_allclose(Phi[1], np.sqrt(2 * k + 1), rtol=1e-13)
    np.testing.assert_allclose(Phi[0], (-1.0) ** k * np.sqrt(2 * k + 1), rtol=1e-13)


def test_legendre_features_shapes_and_dtype():
    assert legendre_features([0.1, -0.2, 0.3], 5).shape == (3, 5)
    assert legendre_features(0.5, 4).shape == (1, 4)  # a scalar is one point
    single = legendre_features(np.linspace(-1, 1, 7), 1)
    assert single.dtype == np.float64
    np.testing.assert_array_equal(single, np.ones((7, 1)))


# ---------------------------------------------------------------------------------------------
# min_norm_solution
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(20, 7), (7, 20), (12, 12)])
def test_min_norm_solution_equals_pinv_for_full_rank_matrices(shape):
    # numpy.linalg.pinv uses the same SVD cutoff; well-conditioned Gaussian matrices (cond < 1e3
    # here), so both agree to 1e-10 relative.
    rng = np.random.default_rng(sum(shape))
    Phi, y = rng.standard_normal(shape), rng.standard_normal(shape[0])
    w = min_norm_solution(Phi, y)
    np.testing.assert_allclose(w, np.linalg.pinv(Phi) @ y, rtol=1e-10, atol=1e-12)


def test_min_norm_solution_equals_pinv_for_a_rank_deficient_matrix():
    # Rank 3 in a 10 x 8 matrix (a product of 10 x 3 and 3 x 8 factors): neither interpolation
    # nor a unique least-squares solution; the pseudo-inverse picks the shortest minimizer.
    rng = np.random.default_rng(3)
    Phi = rng.standard_normal((10, 3)) @ rng.standard_normal((3, 8))
    y = rng.standard_normal(10)
    w = min_norm_solution(Phi, y)
    np.testing.assert_allclose(w, np.linalg.pinv(Phi) @ y, rtol=1e-9, atol=1e-12)


def test_min_norm_solution_is_orthogonal_to_the_null_space():
    # Every other solution is w + z with Phi z = 0; minimum norm means w is orthogonal to all
    # such z. The null space is spanned by the last p - n right singular vectors.
    rng = np.random.default_rng(4)
    Phi, y = rng.standard_normal((6, 15)), rng.standard_normal(6)
    w = min_norm_solution(Phi, y)
    null_space = np.linalg.svd(Phi)[2][6:]
    np.testing.assert_allclose(null_space @ w, 0.0, atol=1e-13)
    z = null_space.T @ rng.standard_normal(9)
    assert np.linalg.norm(w + z) > np.linalg.norm(w)


def test_min_norm_solution_interpolates_at_the_threshold_on_chebyshev_nodes():
    # Chebyshev nodes keep the Legendre matrix well conditioned (cond about 4 at p = n = 16), so
    # the fit passes through every point to rounding: train MSE < 1e-20.
    x = np.cos(np.pi * (np.arange(N_TRAIN) + 0.5) / N_TRAIN)
    y = np.sin(np.pi * x) + 0.1 * np.random.default_rng(0).standard_normal(N_TRAIN)
    for p in range(N_TRAIN, N_TRAIN + 4):
        assert train_mse(legendre_features(x, p), y) < 1e-20, p


def test_min_norm_solution_interpolates_random_draws_for_p_at_least_n():
    # COURSE.md: train MSE < 1e-10 for p >= n. At p = n = 16 with uniform points the condition
    # number reaches 1e12 to 1e15 in about 1 draw in 100; float64 then cannot represent an
    # interpolant to 1e-10 (residual >= eps * norm(Phi) * norm(w)). Measured on 2000 draws:
    # 0.5 % above 1e-10 at p = n, none for p >= n + 4. Here 200 draws: at most 2 % at p = n and
    # n + 1, none from n + 4 on, and the median always below 1e-16.
    rng = np.random.default_rng(2024)
    p_values = [N_TRAIN, N_TRAIN + 1, N_TRAIN + 4, 2 * N_TRAIN, 4 * N_TRAIN]
    mse = np.empty((200, len(p_values)))
    for trial in range(200):
        x = rng.uniform(-1.0, 1.0, N_TRAIN)
        y = np.sin(np.pi * x) + 0.1 * rng.standard_normal(N_TRAIN)
        Phi = legendre_features(x, 4 * N_TRAIN)
        mse[trial] = [train_mse(Phi[:, :p], y) for p in p_values]
    assert np.all(np.median(mse, axis=0) < 1e-16)
    assert np.all(np.mean(mse[:, :2] > 1e-10, axis=0) <= 0.02)
    assert np.all(mse[:, 2:] < 1e-10)


def test_a_large_singular_value_cutoff_would_not_interpolate_at_the_threshold():
    # The docstring's reason for the machine-precision cutoff: pinv with rcond=1e-3 drops the
    # small singular values that carry the data at p = n, leaving a train MSE far above 1e-10
    # in most draws; min_norm_solution interpolates the same draws.
    rng = np.random.default_rng(5)
    ours, truncated = [], []
    for _ in range(20):
        x = rng.uniform(-1.0, 1.0, N_TRAIN)
        y = np.sin(np.pi * x) + 0.1 * rng.standard_normal(N_TRAIN)
        Phi = legendre_features(x, N_TRAIN)
        ours.append(train_mse(Phi, y))
        truncated.append(np.mean((Phi @ (np.linalg.pinv(Phi, rcond=1e-3) @ y) - y) ** 2))
    assert np.median(ours) < 1e-16
    assert np.median(truncated) > 1e-6


# ---------------------------------------------------------------------------------------------
# gaussian_design_risk and simulate_gaussian_risk
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "p", "r2", "sigma2", "expected"),
    [
        (100, 50, 1.0, 1.0, 50 / 49),  # 1.020 in COURSE.md
        (100, 200, 1.0, 1.0, 0.5 + 100 / 99),  # 1.510
        (100, 400, 1.0, 1.0, 0.75 + 100 / 299),  # 1.084
        (100, 50, 7.0, 1.0, 50 / 49),  # unbiased side: r2 does not enter
        (100, 98, 1.0, 2.0, 2.0 * 98 / 1),  # last finite point below the threshold
        (100, 102, 3.0, 0.5, 3.0 * (1 - 100 / 102) + 0.5 * 100 / 1),  # first finite above
        (10, 1000, 2.0, 0.0, 2.0 * (1 - 10 / 1000)),  # noiseless: the bias alone
        (1, 5, 1.0, 1.0, (1 - 1 / 5) + 1 / 3),
    ],
)
def test_gaussian_design_risk_matches_the_closed_form(n, p, r2, sigma2, expected):
    assert gaussian_design_risk(n, p, r2, sigma2) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("p", [99, 100, 101])
def test_gaussian_design_risk_is_infinite_at_the_threshold(p):
    assert gaussian_design_risk(100, p, 1.0, 1.0) == math.inf


def test_gaussian_design_risk_returns_a_python_float():
    assert type(gaussian_design_risk(100, 200, 1.0, 1.0)) is float
    assert type(gaussian_design_risk(100, 100, 1.0, 1.0)) is float


@pytest.mark.parametrize("p", [50, 200, 400])
def test_simulated_risk_is_within_5_percent_of_the_formula(p):
    # COURSE.md safe assertion: n = 100, r2 = sigma2 = 1, 400 trials. The standard error of the
    # mean is about 1.4 % at p = 50 (measured over 30 seeds) and under 1 % at p = 200 and 400.
    expected = gaussian_design_risk(100, p, 1.0, 1.0)
    simulated = simulate_gaussian_risk(100, p, 1.0, 1.0, trials=400, seed=0)
    assert simulated == pytest.approx(expected, rel=0.05)


def test_simulated_noiseless_overparameterized_risk_is_the_bias_r2_times_one_minus_n_over_p():
    # sigma2 = 0, n = 10, p = 40: the risk is norm((I - P) beta)^2 with mean 0.75 r2 and standard
    # deviation 0.095 r2 (a Beta(15, 5) variable), so 400 trials give 0.75 +- 0.005; 3 se.
    simulated = simulate_gaussian_risk(10, 40, 2.0, 0.0, trials=400, seed=1)
    assert simulated == pytest.approx(2.0 * 0.75, abs=2.0 * 0.015)


def test_simulated_noiseless_underparameterized_risk_is_zero():
    # sigma2 = 0 and p < n: X has full column rank, so the least-squares fit recovers beta.
    assert simulate_gaussian_risk(30, 5, 4.0, 0.0, trials=20, seed=2) < 1e-20


def test_simulate_gaussian_risk_is_reproducible_and_depends_on_the_seed():
    first = simulate_gaussian_risk(20, 40, 1.0, 0.5, trials=10, seed=3)
    assert simulate_gaussian_risk(20, 40, 1.0, 0.5, trials=10, seed=3) == first
    assert simulate_gaussian_risk(20, 40, 1.0, 0.5, trials=10, seed=4) != first
    assert type(first) is float


# ---------------------------------------------------------------------------------------------
# legendre_risk_curve (COURSE.md safe assertions; never the height of the peak)
# ---------------------------------------------------------------------------------------------


def test_legendre_curve_peaks_at_the_interpolation_threshold(legendre_curve):
    p_values, medians = legendre_curve
    assert p_values[np.argmax(medians)] in {N_TRAIN - 1, N_TRAIN, N_TRAIN + 1}


def test_legendre_curve_descends_again_past_the_threshold(legendre_curve):
    # The median at p = n is at least 100 times the median at p = 4n.
    p_values, medians = legendre_curve
    at = dict(zip(p_values.tolist(), medians, strict=True))
    assert at[N_TRAIN] >= 100 * at[4 * N_TRAIN]


def test_legendre_curve_shape_and_values(legendre_curve):
    p_values, medians = legendre_curve
    assert medians.shape == p_values.shape
    assert medians.dtype == np.float64
    assert np.all(np.isfinite(medians) & (medians > 0))


def test_legendre_curve_is_reproducible_and_keeps_the_order_of_p_values():
    forward = legendre_risk_curve([3, 16, 40], n=N_TRAIN, trials=5, seed=7)
    np.testing.assert_array_equal(forward, legendre_risk_curve([3, 16, 40], trials=5, seed=7))
    backward = legendre_risk_curve([40, 16, 3], n=N_TRAIN, trials=5, seed=7)
    np.testing.assert_allclose(backward, forward[::-1], rtol=1e-9)


def test_legendre_curve_without_noise_fits_the_sine_well_at_moderate_p():
    # sin(pi x) is entire: its degree-9 Legendre truncation error is below 1e-4 in sup norm, so
    # with n = 16 exact samples and p = 10 the test MSE is tiny (here < 1e-6).
    assert legendre_risk_curve([10], n=N_TRAIN, trials=10, noise_std=0.0, seed=0)[0] < 1e-6


# ---------------------------------------------------------------------------------------------
# Argument validation: every ValueError names the argument.
# ---------------------------------------------------------------------------------------------


INVALID_CALLS = {
    "x_outside": (legendre_features, ([0.0, 1.5], 3), "x"),
    "x_nan": (legendre_features, ([np.nan], 3), "x"),
    "x_matrix": (legendre_features, (np.zeros((2, 2)), 3), "x"),
    "x_text": (legendre_features, ("a", 3), "x"),
    "p_zero": (legendre_features, ([0.0], 0), "p"),
    "p_float": (legendre_features, ([0.0], 2.0), "p"),
    "p_bool": (legendre_features, ([0.0], True), "p"),
    "Phi_vector": (min_norm_solution, (np.ones(3), np.ones(3)), "Phi"),
    "Phi_empty": (min_norm_solution, (np.ones((0, 3)), np.ones(0)), "Phi"),
    "Phi_inf": (min_norm_solution, ([[np.inf, 1.0]], [1.0]), "Phi"),
    "y_wrong_length": (min_norm_solution, (np.ones((3, 2)), np.ones(2)), "y"),
    "y_matrix": (min_norm_solution, (np.ones((3, 2)), np.ones((3, 1))), "y"),
    "risk_n_zero": (gaussian_design_risk, (0, 5, 1.0, 1.0), "n"),
    "risk_p_float": (gaussian_design_risk, (10, 5.5, 1.0, 1.0), "p"),
    "risk_r2_negative": (gaussian_design_risk, (10, 5, -1.0, 1.0), "r2"),
    "risk_sigma2_nan": (gaussian_design_risk, (10, 5, 1.0, np.nan), "sigma2"),
    "sim_trials_zero": (simulate_gaussian_risk, (10, 5, 1.0, 1.0, 0, 0), "trials"),
    "sim_seed_negative": (simulate_gaussian_risk, (10, 5, 1.0, 1.0, 3, -1), "seed"),
    "sim_sigma2_negative": (simulate_gaussian_risk, (10, 5, 1.0, -0.1, 3, 0), "sigma2"),
    "sim_p_zero": (simulate_gaussian_risk, (10, 0, 1.0, 1.0, 3, 0), "p"),
    "curve_p_values_empty": (legendre_risk_curve, ([],), "p_values"),
    "curve_p_values_zero": (legendre_risk_curve, ([0, 4],), "p_values"),
    "curve_p_values_float": (legendre_risk_curve, ([2.5],), "p_values"),
    "curve_p_values_matrix": (legendre_risk_curve, ([[1, 2]],), "p_values"),
    "curve_n_zero": (legendre_risk_curve, ([4], 0), "n"),
    "curve_trials_zero": (legendre_risk_curve, ([4], 16, 0), "trials"),
    "curve_noise_negative": (legendre_risk_curve, ([4], 16, 2, -0.1), "noise_std"),
    "curve_seed_float": (legendre_risk_curve, ([4], 16, 2, 0.1, 1.5), "seed"),
}


@pytest.mark.parametrize("case", INVALID_CALLS)
def test_invalid_arguments_raise_value_error_naming_them(case):
    func, args, name = INVALID_CALLS[case]
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}\b"):
        func(*args)
