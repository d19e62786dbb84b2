"""Tests for course_lib.interpolation_sgd (hw07_interpolation_sgd): one test per property.

Reference routes, named in each test: full-batch gradient descent and single SGD steps written
out here with the documented random draw (``rng.choice(n, m, replace=False)``), the
least-squares solution from ``numpy.linalg.lstsq``, double loops over the examples for the
gradient noise, ``numpy.linalg.eigvalsh`` for the top eigenvalue, and the lecture's 3-equation
example from COURSE.md. Stochastic claims are checked through medians over seeds and window
averages, with the measured margins stated beside each threshold.
"""

import re
import warnings

import numpy as np
import pytest

from course_lib.interpolation_sgd import (
    critical_batch_size,
    gradient_noise,
    optimal_lr,
    sgd_least_squares,
)

# The lecture's example: three equations in two unknowns with no exact solution.
X3 = np.array([[1.0, 2.0], [-2.0, 1.0], [1.0, -4.0]])
Y3 = np.array([4.0, 2.0, 4.0])
W3_LS = np.linalg.lstsq(X3, Y3, rcond=None)[0]  # (6/11, -2/11)
L3_MIN = 0.5 * np.mean((X3 @ W3_LS - Y3) ** 2)  # 60/11 = 5.4545...


def loss(X, y, w):
    return 0.5 * np.mean((X @ w - y) ** 2)


def consistent_problem(n, p, seed, unit_rows=False):
    """Gaussian X (rows normalized if asked) and y = X w_true: the system Xw = y is solvable."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    if unit_rows:
        X /= np.linalg.norm(X, axis=1, keepdims=True)
    w_true = rng.standard_normal(p)
    return X, X @ w_true, w_true


def beta_and_lambda(X):
    """The two smoothness constants, computed directly."""
    beta = max(float(row @ row) for row in X)
    lambda_1 = float(np.linalg.eigvalsh(X.T @ X / X.shape[0])[-1])
    return beta, lambda_1


# ---------------------------------------------------------------------------------------------
# sgd_least_squares: bookkeeping
# ---------------------------------------------------------------------------------------------


def test_sgd_loss_has_one_entry_per_iterate_starting_at_w0():
    X, y, _ = consistent_problem(6, 4, seed=0)
    w0 = np.array([0.5, -1.0, 2.0, 0.0])
    result = sgd_least_squares(X, y, lr=0.01, steps=25, w0=w0)
    assert result["loss"].shape == (26,)
    assert result["loss"][0] == pytest.approx(loss(X, y, w0), rel=1e-14)
    assert result["loss"][-1] == pytest.approx(loss(X, y, result["w"]), rel=1e-14)
    assert result["w"].shape == (4,) and result["w"].dtype == np.float64


def test_sgd_starts_from_zeros_by_default_and_zero_steps_returns_w0():
    X, y, _ = consistent_problem(6, 4, seed=1)
    result = sgd_least_squares(X, y, lr=0.01, steps=0)
    np.testing.assert_array_equal(result["w"], np.zeros(4))
    np.testing.assert_allclose(result["loss"], [0.5 * np.mean(y**2)], rtol=1e-14)


def test_sgd_is_reproducible_and_depends_on_the_seed():
    X, y, _ = consistent_problem(8, 3, seed=2)
    first = sgd_least_squares(X, y, lr=0.02, steps=50, seed=11)
    again = sgd_least_squares(X, y, lr=0.02, steps=50, seed=11)
    other = sgd_least_squares(X, y, lr=0.02, steps=50, seed=12)
    np.testing.assert_array_equal(first["w"], again["w"])
    np.testing.assert_array_equal(first["loss"], again["loss"])
    assert not np.array_equal(first["w"], other["w"])


@pytest.mark.parametrize("schedule", ["constant", "inverse_time"])
def test_sgd_shorter_run_is_a_prefix_of_a_longer_one(schedule):
    # One batch draw per step from one generator: the first k steps do not depend on how many
    # steps follow.
    X, y, _ = consistent_problem(9, 5, seed=3)
    long = sgd_least_squares(X, y, lr=0.05, steps=40, batch_size=2, schedule=schedule, seed=4)
    short = sgd_least_squares(X, y, lr=0.05, steps=15, batch_size=2, schedule=schedule, seed=4)
    np.testing.assert_array_equal(short["loss"], long["loss"][:16])


@pytest.mark.parametrize("schedule", ["constant", "inverse_time"])
def test_sgd_steps_follow_the_documented_batch_draw_and_step_size(schedule):
    # Written out here: B_t = rng.choice(n, m, replace=False), w -= eta_t mean_i x_i (x_i.w - y_i)
    # with eta_t = lr or lr / (1 + t). Summation order differs: rtol 1e-12.
    X, y, _ = consistent_problem(8, 3, seed=5)
    lr, m, steps = 0.03, 3, 6
    rng = np.random.default_rng(9)
    w = np.array([1.0, -2.0, 0.5])
    w0 = w.copy()
    for t in range(steps):
        rows = rng.choice(8, m, replace=False)
        eta = lr if schedule == "constant" else lr / (1 + t)
        w = w - eta * sum(X[i] * (X[i] @ w - y[i]) for i in rows) / m
    result = sgd_least_squares(
        X, y, lr=lr, steps=steps, batch_size=m, schedule=schedule, seed=9, w0=w0
    )
    np.testing.assert_allclose(result["w"], w, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("schedule", ["constant", "inverse_time"])
def test_sgd_with_the_full_batch_is_gradient_descent(schedule):
    # batch_size = n draws every row (in some order): the step is the full gradient.
    X, y = X3, Y3
    w = np.zeros(2)
    for t in range(20):
        eta = 0.02 if schedule == "constant" else 0.02 / (1 + t)
        w = w - eta * X.T @ (X @ w - y) / 3
    result = sgd_least_squares(X, y, lr=0.02, steps=20, batch_size=3, schedule=schedule)
    np.testing.assert_allclose(result["w"], w, rtol=1e-12)


def test_sgd_leaves_its_inputs_alone():
    X, y, _ = consistent_problem(5, 3, seed=6)
    w0 = np.ones(3)
    copies = (X.copy(), y.copy(), w0.copy())
    sgd_least_squares(X, y, lr=0.05, steps=10, w0=w0)
    for before, after in zip(copies, (X, y, w0), strict=True):
        np.testing.assert_array_equal(before, after)


def test_sgd_beyond_the_stability_limit_diverges_without_warnings():
    # lr = 50 / beta: each step multiplies the error along x_i by about 1 - 50, so the loss
    # overflows within ~200 steps; it must end non-finite or astronomically large, silently.
    X, y, _ = consistent_problem(5, 3, seed=7)
    beta, _ = beta_and_lambda(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        final = sgd_least_squares(X, y, lr=50.0 / beta, steps=400)["loss"][-1]
    assert not np.isfinite(final) or final > 1e100


# ---------------------------------------------------------------------------------------------
# sgd_least_squares: the lecture's facts
# ---------------------------------------------------------------------------------------------


def _window_excess(schedule, lr, seeds, steps=2000):
    """Medians over seeds of the mean excess loss L - L_min on steps [100, 300) and [1500, 2000]."""
    early, late = [], []
    for seed in seeds:
        excess = sgd_least_squares(X3, Y3, lr=lr, steps=steps, schedule=schedule, seed=seed)
        excess = excess["loss"] - L3_MIN
        early.append(np.mean(excess[100:300]))
        late.append(np.mean(excess[1500:]))
    return float(np.median(early)), float(np.median(late))


def test_three_equation_example_has_no_exact_solution():
    np.testing.assert_allclose(L3_MIN, 60.0 / 11.0, rtol=1e-12)
    np.testing.assert_allclose(W3_LS, [6.0 / 11.0, -2.0 / 11.0], rtol=1e-12)


def test_constant_step_sgd_stalls_at_a_noise_floor_on_the_three_equation_example():
    # lr = 0.05, batch 1, seeds 0-4. Measured on 4 groups of 5 seeds: the windowed excess loss
    # is 1.4 to 1.7 early and about 1.5 late (late/early 0.84 to 1.09). Thresholds: floor > 0.5,
    # late/early in [0.5, 2].
    early, late = _window_excess("constant", 0.05, range(5))
    assert late > 0.5
    assert 0.5 < late / early < 2.0


def test_inverse_time_sgd_approaches_the_least_squares_solution_on_the_three_equation_example():
    # lr = 0.5 / (1 + t), batch 1, seeds 0-4. Measured on 4 groups of 5 seeds: early 0.08 to
    # 0.16, late 0.006 to 0.018 (early/late 9 to 20), against a floor of ~1.5 at constant lr.
    # Thresholds: late < 0.03, early/late > 5.
    early, late = _window_excess("inverse_time", 0.5, range(5))
    assert late < 0.03
    assert early / late > 5.0


def test_constant_step_sgd_converges_linearly_when_over_parameterized():
    # n = 10 < p = 40, consistent, lr = 1/beta, batch 1. Measured: L falls by e^{-0.05} per step,
    # below 1e-12 by step ~600. Linear rate: every block of 100 steps divides L by > 10 (1/150
    # expected), so the decay does not slow down; and L < 1e-12 after 800 steps.
    for seed in range(3):
        X, y, _ = consistent_problem(10, 40, seed=seed)
        beta, _ = beta_and_lambda(X)
        history = sgd_least_squares(X, y, lr=1.0 / beta, steps=800, seed=seed)["loss"]
        assert history[-1] < 1e-12
        block_ratios = history[100::100] / history[:-100:100]
        assert np.all(block_ratios < 0.1), block_ratios


@pytest.mark.parametrize(("n", "p"), [(30, 10), (10, 30)])
def test_randomized_kaczmarz_error_never_grows(n, p):
    # Unit rows, lr = 1/beta = 1, batch 1: each step projects w onto {x_i . w = y_i}, a convex
    # set containing every solution, so the distance to a solution is nonincreasing (up to 1e-12
    # relative rounding). Single steps are chained through w0, with a new seed each. The solution
    # is the minimum-norm one, the limit from w = 0 (it equals w_true when n > p).
    X, y, _ = consistent_problem(n, p, seed=n + p, unit_rows=True)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    beta, _ = beta_and_lambda(X)
    assert beta == pytest.approx(1.0, rel=1e-14)
    w, errors = np.zeros(p), [np.linalg.norm(w_star)]
    for step in range(300):
        w = sgd_least_squares(X, y, lr=1.0 / beta, steps=1, seed=step, w0=w)["w"]
        errors.append(np.linalg.norm(w - w_star))
    errors = np.array(errors)
    assert np.all(errors[1:] <= errors[:-1] * (1 + 1e-12))
    assert errors[-1] < 0.5 * errors[0]


# ---------------------------------------------------------------------------------------------
# gradient_noise
# ---------------------------------------------------------------------------------------------


def test_gradient_noise_matches_a_direct_double_loop():
    rng = np.random.default_rng(8)
    X, y, w = rng.standard_normal((7, 4)), rng.standard_normal(7), rng.standard_normal(4)
    grads = [X[i] * (X[i] @ w - y[i]) for i in range(7)]
    mean = sum(grads) / 7
    expected = sum(float((g - mean) @ (g - mean)) for g in grads) / 7
    value = gradient_noise(X, y, w)
    assert type(value) is float
    assert value == pytest.approx(expected, rel=1e-12)


def test_gradient_noise_vanishes_at_an_interpolating_solution():
    # p > n, consistent: at the least-squares (here exact) solution every residual is ~1e-15,
    # so the noise is ~1e-29; away from it the noise is of order 1 or more.
    X, y, w_true = consistent_problem(10, 40, seed=9)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    assert gradient_noise(X, y, w_star) < 1e-20
    assert gradient_noise(X, y, w_true) < 1e-20
    assert gradient_noise(X, y, np.zeros(40)) > 1.0


def test_gradient_noise_is_positive_at_the_least_squares_solution_without_interpolation():
    # The 3-equation example: grad L(w_LS) = 0 but the residuals are not, so the noise is
    # (1/3) sum r_i^2 norm(x_i)^2 > 0 (about 100 here).
    residuals = X3 @ W3_LS - Y3
    np.testing.assert_allclose(X3.T @ residuals / 3, 0.0, atol=1e-13)
    expected = np.mean(residuals**2 * np.sum(X3**2, axis=1))
    assert gradient_noise(X3, Y3, W3_LS) == pytest.approx(expected, rel=1e-12)
    assert expected > 1.0


def test_gradient_noise_is_bounded_by_two_beta_times_the_loss():
    # Automatic variance reduction: noise <= (1/n) sum r_i^2 norm(x_i)^2 <= 2 beta L(w).
    rng = np.random.default_rng(10)
    for _ in range(20):
        X, y, w = rng.standard_normal((12, 5)), rng.standard_normal(12), rng.standard_normal(5)
        beta, _ = beta_and_lambda(X)
        assert gradient_noise(X, y, w) <= 2 * beta * loss(X, y, w) * (1 + 1e-12)


# ---------------------------------------------------------------------------------------------
# critical_batch_size and optimal_lr
# ---------------------------------------------------------------------------------------------


def test_critical_batch_size_matches_the_direct_formula():
    rng = np.random.default_rng(11)
    for shape in [(20, 5), (5, 20), (50, 50)]:
        X = rng.standard_normal(shape) * rng.uniform(0.1, 3.0, size=(shape[0], 1))
        beta, lambda_1 = beta_and_lambda(X)
        value = critical_batch_size(X)
        assert type(value) is float
        assert value == pytest.approx(beta / lambda_1 + 1, rel=1e-12)
        assert 2.0 - 1e-12 <= value <= shape[0] + 1 + 1e-12


def test_critical_batch_size_extremes_are_two_and_n_plus_one():
    # Equal rows: lambda_1 = beta, m* = 2. Orthogonal rows of equal norm: lambda_1 = beta / n.
    assert critical_batch_size(np.tile([[1.0, -2.0, 0.5]], (6, 1))) == pytest.approx(2.0)
    assert critical_batch_size(3.0 * np.eye(7)) == pytest.approx(8.0)


def test_optimal_lr_matches_the_direct_piecewise_formula():
    rng = np.random.default_rng(12)
    X = rng.standard_normal((40, 10))
    beta, lambda_1 = beta_and_lambda(X)
    m_star = beta / lambda_1 + 1
    for m in range(1, 41):
        expected = m / beta if m <= m_star else 2 * m / (beta + (m - 1) * lambda_1)
        value = optimal_lr(X, m)
        assert type(value) is float
        assert value == pytest.approx(expected, rel=1e-12), m


def test_optimal_lr_is_one_over_beta_at_batch_one_and_continuous_at_m_star():
    # At m = m* both branches equal m*/beta, since beta + (m* - 1) lambda_1 = 2 beta. Rows of
    # norms 1, 2, 3 in orthogonal directions: beta = 9, lambda_1 = 3, m* = 4 (an integer).
    X = np.diag([1.0, 2.0, 3.0])
    beta, lambda_1 = 9.0, 3.0
    assert critical_batch_size(X) == pytest.approx(4.0)
    assert optimal_lr(X, 1) == pytest.approx(1.0 / beta)
    assert optimal_lr(X, 4) == pytest.approx(4.0 / beta)
    assert optimal_lr(X, 5) == pytest.approx(10.0 / (beta + 4 * lambda_1))


def test_optimal_lr_grows_with_the_batch_and_saturates_below_two_over_lambda_1():
    rng = np.random.default_rng(13)
    X = rng.standard_normal((30, 8))
    _, lambda_1 = beta_and_lambda(X)
    rates = np.array([optimal_lr(X, m) for m in range(1, 31)])
    assert np.all(np.diff(rates) > 0)
    assert rates[-1] < 2.0 / lambda_1


# ---------------------------------------------------------------------------------------------
# Argument validation: every ValueError names the argument.
# ---------------------------------------------------------------------------------------------


def _sgd_args(**changes):
    args = {"X": np.ones((4, 2)), "y": np.zeros(4), "lr": 0.1, "steps": 3}
    return args | changes


INVALID_SGD = {
    "X_vector": (_sgd_args(X=np.ones(4)), "X"),
    "X_no_rows": (_sgd_args(X=np.ones((0, 2)), y=np.zeros(0)), "X"),
    "X_nan": (_sgd_args(X=np.full((4, 2), np.nan)), "X"),
    "y_wrong_length": (_sgd_args(y=np.zeros(3)), "y"),
    "lr_zero": (_sgd_args(lr=0.0), "lr"),
    "lr_negative": (_sgd_args(lr=-1.0), "lr"),
    "lr_inf": (_sgd_args(lr=np.inf), "lr"),
    "steps_negative": (_sgd_args(steps=-1), "steps"),
    "steps_float": (_sgd_args(steps=2.0), "steps"),
    "batch_size_zero": (_sgd_args(batch_size=0), "batch_size"),
    "batch_size_above_n": (_sgd_args(batch_size=5), "batch_size"),
    "schedule_unknown": (_sgd_args(schedule="cosine"), "schedule"),
    "seed_negative": (_sgd_args(seed=-3), "seed"),
    "w0_wrong_length": (_sgd_args(w0=np.zeros(3)), "w0"),
    "w0_nan": (_sgd_args(w0=[np.nan, 0.0]), "w0"),
}


@pytest.mark.parametrize("case", INVALID_SGD)
def test_sgd_invalid_arguments_raise_value_error_naming_them(case):
    args, name = INVALID_SGD[case]
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}\b"):
        sgd_least_squares(**args)


INVALID_CALLS = {
    "noise_X_vector": (gradient_noise, (np.ones(3), np.ones(3), np.ones(1)), "X"),
    "noise_y_wrong_length": (gradient_noise, (np.ones((3, 2)), np.ones(2), np.ones(2)), "y"),
    "noise_w_wrong_length": (gradient_noise, (np.ones((3, 2)), np.ones(3), np.ones(3)), "w"),
    "noise_w_inf": (gradient_noise, (np.ones((3, 2)), np.ones(3), [np.inf, 0.0]), "w"),
    "critical_X_zero": (critical_batch_size, (np.zeros((3, 2)),), "X"),
    "critical_X_empty": (critical_batch_size, (np.ones((0, 2)),), "X"),
    "critical_X_text": (critical_batch_size, ("abc",), "X"),
    "lr_X_vector": (optimal_lr, (np.ones(3), 1), "X"),
    "lr_m_zero": (optimal_lr, (np.eye(3), 0), "m"),
    "lr_m_float": (optimal_lr, (np.eye(3), 1.5), "m"),
    "lr_m_bool": (optimal_lr, (np.eye(3), True), "m"),
}


@pytest.mark.parametrize("case", INVALID_CALLS)
def test_invalid_arguments_raise_value_error_naming_them(case):
    func, args, name = INVALID_CALLS[case]
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}\b"):
        func(*args)
