"""Legendre features, minimum-norm fits, the exact Gaussian-design risk and its simulation, and
the Legendre double-descent curve.

Expected values: sqrt(2k+1) P_k from scipy.special.eval_legendre; pinv(Phi) y; the risk formula of
COURSE.md (Hastie et al. 2019; Belkin, Hsu, Xu 2019); the simulation within 5 % of it at n = 100,
r2 = sigma2 = 1 with 400 trials (COURSE.md's safe sizes). The curve is judged only by COURSE.md's
safe assertions and, for the median, against the trusted side's own median curve.
"""

import functools

import numpy as np
import pytest
from scipy.special import eval_legendre

from grader import draws
from grader.checks import assert_close, assert_raises_value_error, numeric, question


def features(x, p):
    return np.stack([np.sqrt(2 * k + 1) * eval_legendre(k, x) for k in range(p)], axis=1)


def risk(n, p, r2, s2):
    if p < n - 1:
        return s2 * p / (n - p - 1)
    if p > n + 1:
        return r2 * (1 - n / p) + s2 * n / (p - n - 1)
    return np.inf


@question("legendre_features", weight=3)
@pytest.mark.parametrize("p", [1, 4, 25])
def test_legendre_features_are_normalized_legendre_polynomials(impl, p):
    x = np.linspace(-1, 1, 37)
    assert_close(
        impl.legendre_features(x, p),
        features(x, p),
        rtol=1e-10,
        atol=1e-11,
        what=f"legendre_features(x, {p})",
        hint="column k is sqrt(2k + 1) P_k(x), k = 0..p-1, shape (n, p)",
    )


@question("legendre_features")
def test_legendre_features_reject_points_outside_the_interval(impl):
    assert_raises_value_error(impl, "legendre_features", [0.0, 1.5], 3, argument="x")


@question("min_norm_solution", weight=2)
@pytest.mark.parametrize(("n", "p"), [(30, 5), (10, 40)])
def test_min_norm_solution_is_the_pseudoinverse(impl, n, p):
    rng = np.random.default_rng(n + p)
    Phi, y = rng.normal(size=(n, p)), rng.normal(size=n)
    assert_close(
        impl.min_norm_solution(Phi, y),
        np.linalg.pinv(Phi) @ y,
        rtol=1e-8,
        atol=1e-10,
        what=f"min_norm_solution for a {n} x {p} design",
    )


@question("min_norm_solution", weight=3)
@pytest.mark.parametrize("p", [16, 17, 24])
def test_min_norm_solution_interpolates_at_the_threshold(impl, p):
    x = np.random.default_rng(p).uniform(-1, 1, 16)
    Phi, y = features(x, p), np.sin(np.pi * x)
    w = numeric(impl.min_norm_solution(Phi, y), "min_norm_solution")
    assert np.max(np.abs(Phi @ w - y)) < 1e-8, (
        "the fit must interpolate when p >= n: a large rcond cutoff drops the small singular "
        "values that interpolation near p = n needs"
    )


@question("gaussian_design_risk", weight=3)
@pytest.mark.parametrize(
    ("n", "p", "r2", "s2"),
    [
        (100, 50, 1.0, 1.0),
        (100, 10, 2.0, 0.5),
        (100, 200, 1.0, 1.0),
        (100, 400, 3.0, 0.2),
        (40, 39, 1.0, 1.0),
        (40, 40, 1.0, 1.0),
        (40, 41, 1.0, 1.0),
        (40, 42, 1.0, 1.0),
    ],
)
def test_gaussian_design_risk_matches_the_formula(impl, n, p, r2, s2):
    value = impl.gaussian_design_risk(n, p, r2, s2)
    expected = risk(n, p, r2, s2)
    if np.isinf(expected):
        assert np.isinf(value) and value > 0, f"the risk at n = {n}, p = {p} is +inf"
    else:
        assert_close(
            value,
            expected,
            rtol=1e-12,
            what=f"gaussian_design_risk({n}, {p}, ...)",
            hint="sigma2 p/(n-p-1) below the threshold; r2 (1 - n/p) + sigma2 n/(p-n-1) above it",
        )


@question("simulate_gaussian_risk", weight=3)
@pytest.mark.parametrize("p", [50, 200, 400])
def test_simulation_agrees_with_the_formula(impl, p):
    value = impl.simulate_gaussian_risk(100, p, 1.0, 1.0, 400, 0)
    assert_close(
        value,
        risk(100, p, 1.0, 1.0),
        rtol=0.05,
        what=f"simulate_gaussian_risk(100, {p}, 1, 1, 400 trials)",
        hint="excess risk ||beta_hat - beta||^2 with ||beta||^2 = r2, averaged",
    )


@question("simulate_gaussian_risk", weight=3)
def test_simulation_varies_with_the_seed_and_converges_in_the_trials(impl, rng):
    """A Monte Carlo estimate spreads over seeds and tightens like 1/sqrt(trials): over 20
    drawn seeds the mean distance to the formula at 40 trials is about 0.3x (sqrt(4/40)) the
    one at 4 trials; a closed form or any deterministic answer has no spread at all."""
    n = int(rng.integers(40, 81))
    p, r2, s2 = int(rng.integers(5, n // 3)), rng.uniform(0.5, 2.0), rng.uniform(0.5, 2.0)
    seeds = [int(s) for s in rng.integers(0, 2**31, size=20)]
    exact = risk(n, p, r2, s2)
    few, many = (
        np.array([impl.simulate_gaussian_risk(n, p, r2, s2, trials, s) for s in seeds])
        for trials in (4, 40)
    )
    assert np.std(few) > 0.01 * exact, (
        "the estimate does not change with the seed: it must be a simulation (a mean over "
        "random designs), not the formula"
    )
    assert np.mean(np.abs(many - exact)) < 0.8 * np.mean(np.abs(few - exact)), (
        "the estimate should get closer to the formula as the number of trials grows"
    )


def replayed_simulation(n, p, r2, s2, trials, seed):
    """The contract's simulation, draw for draw: per trial X, then u, then the noise."""
    rng = np.random.default_rng(seed)
    risks = []
    for _ in range(trials):
        X = rng.standard_normal((n, p))
        u = rng.standard_normal(p)
        beta = np.sqrt(r2) * u / np.linalg.norm(u)
        y = X @ beta + np.sqrt(s2) * rng.standard_normal(n)
        risks.append(np.sum((np.linalg.pinv(X) @ y - beta) ** 2))
    return np.mean(risks)


def drawn_size(rng, n):
    """A number of features at least 4 away from the threshold n (where the mean is unstable)."""
    return int(rng.choice([rng.integers(2, n - 4), rng.integers(n + 5, 3 * n)]))


@question("simulate_gaussian_risk", weight=3)
@pytest.mark.parametrize("case", range(3))
def test_simulation_replays_the_contracts_draws(impl, rng, case):
    """The contract fixes what each trial draws from the generator and in which order, so the
    estimate for a drawn seed is one number, whatever solver is used (a model of the answer
    plus seeded noise is not it)."""
    n = int(rng.integers(20, 111))  # covering the sizes other checks use, 100 and 400 trials
    p, trials = drawn_size(rng, n), int(np.exp(rng.uniform(np.log(2), np.log(400))))
    r2, s2, seed = rng.uniform(0.2, 3.0), rng.uniform(0.0, 2.0), int(rng.integers(0, 2**31))
    assert_close(
        impl.simulate_gaussian_risk(n, p, r2, s2, trials, seed),
        replayed_simulation(n, p, r2, s2, trials, seed),
        rtol=1e-6,
        what="simulate_gaussian_risk for a drawn seed",
        hint="each trial draws X (n x p), then u (p), then the noise (n), from one "
        "numpy.random.default_rng(seed)",
    )


@question("simulate_gaussian_risk")
def test_simulation_is_seeded(impl):
    a, b = (impl.simulate_gaussian_risk(30, 10, 1.0, 0.5, 20, 3) for _ in range(2))
    assert a == b, "the same seed should give the same estimate"


def replayed_curve(sizes, n, trials, noise_std, seed):
    """The contract's curve, draw for draw: per trial x, then the noise, then 1000 test points."""
    rng = np.random.default_rng(seed)
    errors = np.empty((trials, len(sizes)))
    for t in range(trials):
        x = rng.uniform(-1, 1, n)
        y = np.sin(np.pi * x) + noise_std * rng.standard_normal(n)
        x_test = rng.uniform(-1, 1, 1000)
        train, test = features(x, max(sizes)), features(x_test, max(sizes))
        for j, p in enumerate(sizes):
            w = np.linalg.pinv(train[:, :p]) @ y
            errors[t, j] = np.mean((test[:, :p] @ w - np.sin(np.pi * x_test)) ** 2)
    return np.median(errors, axis=0)


@question("legendre_risk_curve", weight=2)
def test_legendre_curve_replays_the_contracts_draws(impl, rng):
    """For a drawn seed, noise and n, the median curve away from the threshold (where the fits
    are well conditioned, so every solver agrees) is the contract's, draw for draw."""
    n = int(rng.integers(8, 21))
    sizes = [1, 2, n // 2, 2 * n, 3 * n]
    trials, noise, seed = int(rng.integers(5, 16)), rng.uniform(0.05, 0.3), int(rng.integers(2**31))
    assert_close(
        impl.legendre_risk_curve(sizes, n, trials, noise, seed),
        replayed_curve(sizes, n, trials, noise, seed),
        rtol=1e-6,
        what="legendre_risk_curve for a drawn seed",
        hint="each trial draws the n training inputs, then their noise, then 1000 test inputs, "
        "from one numpy.random.default_rng(seed), and the MSE is against the noiseless target",
    )


@functools.cache
def trusted_curve() -> np.ndarray:
    """The trusted side's own median curve (p = 1..64, n = 16, 200 trials), once per process."""
    rng = np.random.default_rng(123)
    x_test = np.linspace(-1, 1, 1001)
    test_features, target = features(x_test, 64), np.sin(np.pi * x_test)
    errors = np.empty((200, 64))
    for t in range(200):
        x = rng.uniform(-1, 1, 16)
        y = np.sin(np.pi * x) + 0.1 * rng.normal(size=16)
        train_features = features(x, 64)
        for p in range(1, 65):
            w = np.linalg.pinv(train_features[:, :p]) @ y
            errors[t, p - 1] = np.mean((test_features[:, :p] @ w - target) ** 2)
    return np.median(errors, axis=0)


def curve_seed(seed):
    """The seed of the student's full curve, drawn at grading time."""
    return int(draws.rng_for(seed, "legendre_risk_curve").integers(0, 2**31))


@pytest.fixture(scope="module")
def student_curve(impl, seed):
    """The student's median curve (p = 1..64, n = 16, 200 trials) for a drawn seed."""
    return numeric(
        impl.legendre_risk_curve(list(range(1, 65)), 16, 200, 0.1, curve_seed(seed)),
        "legendre_risk_curve",
    )


#: Sizes of the full curve away from the threshold, where every solver agrees.
AWAY = [1, 2, 4, 8, 32, 48, 64]


@question("legendre_risk_curve", weight=2)
def test_the_judged_curve_is_the_contracts_experiment(student_curve, seed):
    """The curve the other checks judge is itself replayed, draw for draw, away from p = n."""
    assert_close(
        student_curve[np.array(AWAY) - 1],
        replayed_curve(AWAY, 16, 200, 0.1, curve_seed(seed)),
        rtol=1e-6,
        what="legendre_risk_curve(range(1, 65), 16, 200 trials) away from p = 16",
        hint="each trial draws the n training inputs, then their noise, then 1000 test inputs",
    )


@question("legendre_risk_curve")
def test_legendre_curve_is_positive_and_varies_with_the_seed(impl, student_curve, rng):
    assert np.all(np.isfinite(student_curve)) and np.all(student_curve > 0), (
        "a median test MSE is a finite positive number for every p"
    )
    seeds = [int(s) for s in rng.integers(0, 2**31, size=2)]
    small = [
        numeric(impl.legendre_risk_curve([2, 8, 16], 16, 20, 0.1, s), "legendre_risk_curve")
        for s in seeds
    ]
    assert not np.allclose(*small, rtol=1e-9, atol=0), (
        "two seeds gave the same curve: each trial must draw its own training set"
    )


@question("legendre_risk_curve", weight=2)
def test_legendre_curve_peaks_at_the_interpolation_threshold(student_curve):
    peak = int(np.argmax(student_curve)) + 1
    assert peak in (15, 16, 17), f"the curve should peak at p in {{15, 16, 17}}, not at p = {peak}"
    assert student_curve[15] >= 100 * student_curve[63], (
        "the median test MSE at p = n should be at least 100x the one at p = 4n"
    )


@question("legendre_risk_curve", weight=2)
def test_legendre_curve_is_a_median(student_curve):
    # The mean exceeds the median by 200x to 1e16x for p in 6..40.
    # Over seeds 0-3 the ratio to the trusted curve ranged from 0.10 to 3.2.
    ratio = student_curve / trusted_curve()
    assert np.all((ratio > 0.02) & (ratio < 30)), (
        "the curve is far from the median test MSE over trials: a mean is dominated by the "
        "rare ill-conditioned fits near p = n"
    )
