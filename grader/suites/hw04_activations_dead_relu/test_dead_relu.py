"""Dead units, and gradient descent on a two-layer leaky-ReLU net judged against a trajectory
that the trusted side recomputes from the same data (its own gradient, written out here)."""

import numpy as np
import pytest

from grader.checks import assert_close, question


@question("dead_relu_units", weight=2)
def test_dead_relu_units_uses_less_or_equal(impl):
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -3.0]])
    W = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, -1.0], [-1.0, -1.0], [1e-9, 0.0]])
    b = np.array([0.0, -1.0, -3.0, -4.0, 0.0])
    # unit 0 is exactly 0 everywhere (dead); unit 1 reaches 0 at best (dead); unit 2 reaches 0
    # at x = (0, -3) (dead); unit 3 is negative everywhere (dead); unit 4 is barely alive
    got = impl.dead_relu_units(W, b, X)
    assert isinstance(got, np.ndarray) and got.dtype == bool, "return a boolean numpy array"
    assert got.tolist() == [True, True, True, True, False], (
        "a unit is dead when W[h] @ x + b[h] <= 0 for EVERY row x (<=, not <)"
    )


@question("dead_relu_units")
def test_dead_relu_units_on_random_data(impl):
    rng = np.random.default_rng(3)
    X, W, b = rng.normal(size=(40, 3)), rng.normal(size=(30, 3)), rng.normal(size=30) - 2.5
    expected = np.all(X @ W.T + b <= 0, axis=0)
    assert expected.any() and not expected.all()
    assert np.array_equal(impl.dead_relu_units(W, b, X), expected), (
        "dead_relu_units disagrees with all(X @ W.T + b <= 0) on random data"
    )


def gd_reference(X, y, W, b, v, c, lr, steps, slope):
    """Full-batch GD on (1/(2N)) sum (v . act(W x + b) + c - y)^2, act'(0) = slope."""
    n = len(y)
    for _ in range(steps):
        z = X @ W.T + b
        a = np.where(z > 0, z, slope * z)
        r = a @ v + c - y
        dz = np.outer(r, v) * np.where(z > 0, 1.0, slope) / n
        W, b, v, c = W - lr * dz.T @ X, b - lr * dz.sum(0), v - lr * a.T @ r / n, c - lr * r.mean()
    return {"W": W, "b": b, "v": v, "c": c}


def problem(seed, ties=False):
    rng = np.random.default_rng(seed)
    X = rng.integers(-3, 4, size=(12, 2)).astype(float)
    W = rng.integers(-2, 3, size=(6, 2)).astype(float)
    b = rng.normal(size=6) - 1.0
    if ties:
        b = -(W @ X[0])  # every unit is exactly at 0 on the first point: act'(0) matters
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1]
    return X, y, W, b, rng.normal(size=6), 0.3


@question("gd_two_layer", weight=3)
@pytest.mark.parametrize("slope", [0.0, 0.1])
@pytest.mark.parametrize("steps", [1, 5])
def test_gd_two_layer_follows_the_exact_trajectory(impl, slope, steps):
    X, y, W, b, v, c = problem(11)
    got = impl.gd_two_layer(X, y, W, b, v, c, 0.05, steps, slope)
    want = gd_reference(X, y, W, b, v, c, 0.05, steps, slope)
    assert isinstance(got, dict) and set(got) >= {"W", "b", "v", "c"}, "return dict W, b, v, c"
    for key in ("W", "b", "v", "c"):
        assert_close(
            got[key],
            want[key],
            rtol=1e-10,
            atol=1e-12,
            what=f"gd_two_layer's {key} after {steps} step(s)",
            hint="L = (1/(2N)) sum of squares: the gradient carries 1/N; update all "
            "parameters from the same iterate",
        )


@question("gd_two_layer", weight=2)
@pytest.mark.parametrize("slope", [0.0, 0.2])
def test_gd_two_layer_uses_the_given_derivative_at_zero(impl, slope):
    X, y, W, b, v, c = problem(5, ties=True)
    got = impl.gd_two_layer(X, y, W, b, v, c, 0.05, 1, slope)
    want = gd_reference(X, y, W, b, v, c, 0.05, 1, slope)
    assert_close(
        got["W"],
        want["W"],
        rtol=1e-10,
        atol=1e-12,
        what="gd_two_layer's W with pre-activations exactly 0",
        hint="act'(0) = negative_slope (0 for ReLU), not 1",
    )


@question("gd_two_layer")
def test_a_dead_unit_stays_dead_under_relu(impl):
    X, y, W, b, v, c = problem(2)
    b = b.copy()
    b[0] = -100.0  # unit 0 is dead on all data
    got = impl.gd_two_layer(X, y, W, b, v, c, 0.05, 30, 0.0)
    assert np.array_equal(np.asarray(got["W"])[0], W[0]) and got["b"][0] == b[0], (
        "a ReLU unit that is dead on all data gets zero gradient: its row must not change"
    )
