"""Tests for course_lib.activations (hw04_activations_dead_relu): one test per property.

Reference values come from independent routes, named in each test: ``np.logaddexp``,
``np.tanh`` and ``scipy.special.expit`` (all accurate to about 1 ulp), mpmath at 50 digits,
central finite differences (step 1e-5, error about 1e-10), explicit forward passes written here,
and torch autograd in float64 for the gradients. Tolerances are stated per test.
"""

import itertools
import re
import warnings

import mpmath
import numpy as np
import pytest
import scipy.special
import torch

from course_lib.activations import (
    dead_relu_units,
    gd_two_layer,
    softplus,
    softplus_second_derivative,
    tanh_from_sigmoid,
    tanh_to_sigmoid_mlp,
)

Z_GRID = np.concatenate([np.linspace(-40.0, 40.0, 801), [-1e-8, -1e-300, 0.0, 1e-300, 1e-8]])
EXTREMES = np.array([-1e4, -800.0, -710.0, 710.0, 800.0, 1e4])


def tanh_mlp(weights, biases, x):
    """Forward pass of a tanh MLP with a linear output layer, one input per row of x."""
    a = x
    for w, b in zip(weights[:-1], biases[:-1], strict=True):
        a = np.tanh(a @ np.asarray(w).T + b)
    return a @ np.asarray(weights[-1]).T + biases[-1]


def sigmoid_mlp(weights, biases, x):
    """Forward pass of a sigmoid MLP (scipy.special.expit) with a linear output layer."""
    a = x
    for w, b in zip(weights[:-1], biases[:-1], strict=True):
        a = scipy.special.expit(a @ np.asarray(w).T + b)
    return a @ np.asarray(weights[-1]).T + biases[-1]


def random_mlp(widths, seed):
    """Gaussian weights and biases for layer widths (n_0, n_1, ..., n_L)."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(n_out, n_in)) for n_in, n_out in itertools.pairwise(widths)]
    biases = [rng.normal(size=n_out) for n_out in widths[1:]]
    return weights, biases


def two_layer_loss(X, y, params, negative_slope=0.0):
    """L = (1/(2N)) sum (v . act(W x + b) + c - y)^2, written out directly."""
    Z = X @ params["W"].T + params["b"]
    hidden = np.where(Z > 0, Z, negative_slope * Z)
    return 0.5 * np.mean((hidden @ params["v"] + params["c"] - y) ** 2)


def random_two_layer_problem(seed, n=20, d=3, h=6):
    rng = np.random.default_rng(seed)
    return {
        "X": rng.normal(size=(n, d)),
        "y": rng.normal(size=n),
        "W": rng.normal(size=(h, d)),
        "b": rng.normal(size=h),
        "v": rng.normal(size=h),
        "c": float(rng.normal()),
    }


def torch_gd(problem, lr, steps, negative_slope):
    """Gradient descent with gradients from torch autograd (float64), independent of the module."""
    X = torch.tensor(problem["X"], dtype=torch.float64)
    y = torch.tensor(problem["y"], dtype=torch.float64)
    params = {
        name: torch.tensor(problem[name], dtype=torch.float64, requires_grad=True)
        for name in ("W", "b", "v", "c")
    }
    for _ in range(steps):
        Z = X @ params["W"].T + params["b"]
        assert float(Z.detach().abs().min()) > 1e-6, "test data must avoid the kink"
        hidden = torch.nn.functional.leaky_relu(Z, negative_slope)
        loss = 0.5 * torch.mean((hidden @ params["v"] + params["c"] - y) ** 2)
        grads = torch.autograd.grad(loss, list(params.values()))
        with torch.no_grad():
            params = {
                name: (p - lr * g).requires_grad_(True)
                for (name, p), g in zip(params.items(), grads, strict=True)
            }
    return {name: p.detach().numpy() for name, p in params.items()}


# ---------------------------------------------------------------------------------------------
# softplus
# ---------------------------------------------------------------------------------------------


def test_softplus_matches_logaddexp():
    # np.logaddexp(0, z) = log(e^0 + e^z); both are correctly rounded to a few ulp: rtol 1e-15.
    rng = np.random.default_rng(0)
    z = np.concatenate([Z_GRID, EXTREMES, rng.normal(scale=300.0, size=200)])
    np.testing.assert_allclose(softplus(z), np.logaddexp(0.0, z), rtol=1e-15, atol=0)


@pytest.mark.parametrize("z", [-700.0, -30.0, -1.0, -1e-10, 0.0, 1e-10, 0.5, 3.0, 36.0, 700.0])
def test_softplus_matches_mpmath(z):
    # Reference: log1p(exp(z)) in mpmath at 50 significant digits (log1p, so that e^-700 is not
    # lost against 1); relative tolerance 2e-16.
    with mpmath.workdps(50):
        expected = float(mpmath.log1p(mpmath.exp(mpmath.mpf(z))))
    assert float(softplus(z)) == pytest.approx(expected, rel=2e-16, abs=0)


def test_softplus_is_finite_and_warning_free_at_large_abs_z():
    # exp(1e4) overflows; the stable form must not. softplus(1e4) = 1e4 + log1p(e^-1e4) = 1e4
    # exactly in float64, and softplus(-1e4) ~ e^-1e4 underflows to 0.
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        values = softplus(EXTREMES)
    assert np.all(np.isfinite(values))
    assert softplus(1e4) == 1e4
    assert softplus(-1e4) == 0.0
    assert np.all(values >= np.maximum(EXTREMES, 0.0))


def test_softplus_keeps_shape_and_returns_float64():
    z = np.arange(6, dtype=np.int64).reshape(2, 3)
    values = softplus(z)
    assert isinstance(values, np.ndarray)
    assert values.dtype == np.float64
    assert values.shape == (2, 3)
    scalar = softplus(0)
    assert isinstance(scalar, np.ndarray)
    assert scalar.shape == ()
    assert float(scalar) == pytest.approx(np.log(2.0), rel=1e-16)


def test_softplus_derivative_is_sigmoid():
    # Central difference (softplus(z+h) - softplus(z-h))/(2h), h = 1e-5: truncation error
    # h^2 |sigma''|/6 < 2e-12, rounding about 1e-16 * |softplus| / h < 5e-10 on [-20, 20].
    z, step = np.linspace(-20.0, 20.0, 81), 1e-5
    slope = (softplus(z + step) - softplus(z - step)) / (2.0 * step)
    np.testing.assert_allclose(slope, scipy.special.expit(z), rtol=0, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# softplus_second_derivative
# ---------------------------------------------------------------------------------------------


def test_softplus_second_derivative_max_is_one_quarter_at_zero():
    # s (1 - s) <= 1/4 with equality only at s = 1/2, i.e. z = 0: the Lipschitz constant of
    # softplus' = sigma. At z = 0 the value is exactly 1/(1 + 1)^2 = 0.25.
    values = softplus_second_derivative(Z_GRID)
    assert softplus_second_derivative(0.0) == 0.25
    assert np.max(values) == 0.25
    assert np.all(np.abs(Z_GRID[values == 0.25]) <= 1e-8)  # 0.25 - z^2/16 rounds to 0.25
    assert np.all(values[np.abs(Z_GRID) >= 0.1] < 0.25)
    # Hence |sigma(x) - sigma(y)| <= |x - y| / 4 (mean value theorem), and 1/4 is attained in the
    # limit at 0: checked on random pairs with expit, tolerance 1e-16 for rounding.
    rng = np.random.default_rng(1)
    x, y = rng.normal(scale=3.0, size=(2, 1000))
    gap = np.abs(scipy.special.expit(x) - scipy.special.expit(y))
    assert np.all(gap <= 0.25 * np.abs(x - y) + 1e-16)
    assert (scipy.special.expit(1e-4) - scipy.special.expit(-1e-4)) / 2e-4 == pytest.approx(
        0.25, rel=1e-8
    )


def test_softplus_second_derivative_matches_finite_difference_of_sigmoid():
    # (expit(z+h) - expit(z-h))/(2h), h = 1e-5: truncation h^2 |sigma'''|/6 < 2e-12, rounding
    # about 1e-16 / h = 1e-11; tolerance 1e-10 absolute.
    z, step = np.linspace(-30.0, 30.0, 121), 1e-5
    slope = (scipy.special.expit(z + step) - scipy.special.expit(z - step)) / (2.0 * step)
    np.testing.assert_allclose(softplus_second_derivative(z), slope, rtol=0, atol=1e-10)


def test_softplus_second_derivative_equals_sigma_times_one_minus_sigma():
    # Closed form with expit, using 1 - sigma(z) = sigma(-z) so that the reference keeps full
    # relative accuracy in both tails (1 - expit(z) would lose it for large z): rtol 1e-14.
    z = np.linspace(-40.0, 40.0, 801)
    expected = scipy.special.expit(z) * scipy.special.expit(-z)
    np.testing.assert_allclose(softplus_second_derivative(z), expected, rtol=1e-14, atol=0)


def test_softplus_second_derivative_is_warning_free_at_large_abs_z():
    # e^-|z| / (1 + e^-|z|)^2 never overflows; the true value e^-1e4 underflows to 0.
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        values = softplus_second_derivative(EXTREMES)
    assert np.all(np.isfinite(values))
    assert np.all(values >= 0.0)
    assert softplus_second_derivative(1e4) == 0.0


# ---------------------------------------------------------------------------------------------
# tanh_from_sigmoid
# ---------------------------------------------------------------------------------------------


def test_tanh_from_sigmoid_matches_numpy_tanh():
    # tanh = 2 sigma(2z) - 1 exactly; in float64 the difference is a few ulp of 1: atol 1e-15.
    z = np.concatenate([Z_GRID, EXTREMES, np.linspace(-3.0, 3.0, 1001)])
    np.testing.assert_allclose(tanh_from_sigmoid(z), np.tanh(z), rtol=0, atol=1e-15)


def test_tanh_from_sigmoid_is_warning_free_and_saturates():
    z = np.array([-1e308, -1e4, 1e4, 1e308, -np.inf, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = tanh_from_sigmoid(z)
    np.testing.assert_array_equal(values, np.sign(z))


# ---------------------------------------------------------------------------------------------
# tanh_to_sigmoid_mlp
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("widths", [(3, 2), (3, 5, 2), (3, 5, 4, 2), (2, 6, 6, 6, 1)])
def test_tanh_to_sigmoid_mlp_computes_the_same_function(widths):
    # Both forward passes are written in this file (np.tanh and scipy.special.expit); outputs are
    # of order 1-10, so an absolute tolerance of 1e-12 leaves room only for rounding.
    weights, biases = random_mlp(widths, seed=len(widths))
    x = np.random.default_rng(7).normal(scale=2.0, size=(50, widths[0]))
    weights2, biases2 = tanh_to_sigmoid_mlp(weights, biases)
    np.testing.assert_allclose(
        sigmoid_mlp(weights2, biases2, x), tanh_mlp(weights, biases, x), rtol=0, atol=1e-12
    )


def test_tanh_to_sigmoid_mlp_matches_the_closed_form():
    # W1' = 2 W1, b1' = 2 b1; hidden W' = 4 W, b' = 2 (b - W 1); output W' = 2 W, b' = b - W 1.
    weights, biases = random_mlp((3, 5, 4, 2), seed=11)
    weights2, biases2 = tanh_to_sigmoid_mlp(weights, biases)
    expected_w = [2.0 * weights[0], 4.0 * weights[1], 2.0 * weights[2]]
    expected_b = [
        2.0 * biases[0],
        2.0 * (biases[1] - weights[1].sum(axis=1)),
        biases[2] - weights[2].sum(axis=1),
    ]
    for got, want in zip(weights2 + biases2, expected_w + expected_b, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-15, atol=1e-15)


def test_tanh_to_sigmoid_mlp_single_layer_returns_unchanged_copies():
    # No hidden layer: the network is affine and needs no change.
    weights = [[[1.0, 2.0], [3.0, 4.0]]]
    biases = [np.array([0.5, -0.5])]
    weights2, biases2 = tanh_to_sigmoid_mlp(weights, biases)
    np.testing.assert_array_equal(weights2[0], np.array(weights[0]))
    np.testing.assert_array_equal(biases2[0], biases[0])
    assert biases2[0] is not biases[0]
    assert not np.shares_memory(biases2[0], biases[0])


def test_tanh_to_sigmoid_mlp_does_not_modify_inputs():
    weights, biases = random_mlp((3, 5, 4, 2), seed=3)
    saved = [p.copy() for p in weights + biases]
    weights2, biases2 = tanh_to_sigmoid_mlp(weights, biases)
    for p in weights2 + biases2:
        p += 1.0  # the outputs must not alias the inputs either
    for p, q in zip(weights + biases, saved, strict=True):
        np.testing.assert_array_equal(p, q)


def test_tanh_to_sigmoid_mlp_returns_lists_of_float64_arrays():
    weights = [[[1, 2], [3, 4], [5, 6]], [[1, 0, -1]]]
    biases = [[0, 1, 2], [3]]
    weights2, biases2 = tanh_to_sigmoid_mlp(weights, biases)
    assert isinstance(weights2, list)
    assert isinstance(biases2, list)
    assert [w.shape for w in weights2] == [(3, 2), (1, 3)]
    assert [b.shape for b in biases2] == [(3,), (1,)]
    assert all(p.dtype == np.float64 for p in weights2 + biases2)


# ---------------------------------------------------------------------------------------------
# dead_relu_units
# ---------------------------------------------------------------------------------------------


def test_dead_relu_units_on_a_hand_built_example():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    W = np.array(
        [
            [1.0, 1.0],  # pre-activations 1, 1, 2: alive
            [-1.0, -1.0],  # -1, -1, -2: dead
            [0.0, 0.0],  # 0 on every point: dead (the contract uses <=)
            [1.0, -1.0],  # 1, -1, 0 (with b = 0): alive at the first point only
            [1.0, -1.0],  # with b = -1: 0, -2, -1: dead, touching 0
            [-1.0, -1.0],  # with b = 2 + 1e-12: -1 + ..., ..., 1e-12 at (1, 1): barely alive
        ]
    )
    b = np.array([0.0, 0.0, 0.0, 0.0, -1.0, 2.0 + 1e-12])
    expected = np.array([False, True, True, False, True, False])
    mask = dead_relu_units(W, b, X)
    assert mask.dtype == np.bool_
    np.testing.assert_array_equal(mask, expected)


def test_dead_relu_units_agrees_with_the_definition_point_by_point():
    # Definition checked with a Python loop over units and points on random data where negative
    # biases kill some units.
    rng = np.random.default_rng(5)
    W, X = rng.normal(size=(30, 4)), rng.normal(size=(25, 4))
    b = rng.normal(loc=-2.0, scale=2.0, size=30)
    expected = [all(W[h] @ x + b[h] <= 0 for x in X) for h in range(30)]
    mask = dead_relu_units(W, b, X)
    np.testing.assert_array_equal(mask, expected)
    assert 0 < mask.sum() < 30  # the example exercises both outcomes


# ---------------------------------------------------------------------------------------------
# gd_two_layer
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("negative_slope", [0.0, 0.1])
@pytest.mark.parametrize("steps", [1, 3])
def test_gd_two_layer_matches_torch_autograd(negative_slope, steps):
    # Gradients from torch autograd in float64 (torch_gd asserts no pre-activation within 1e-6
    # of the kink); the update is the same arithmetic, so agreement to 1e-12 absolute.
    problem = random_two_layer_problem(seed=2)
    got = gd_two_layer(**problem, lr=0.05, steps=steps, negative_slope=negative_slope)
    want = torch_gd(problem, lr=0.05, steps=steps, negative_slope=negative_slope)
    for name in ("W", "b", "v"):
        np.testing.assert_allclose(got[name], want[name], rtol=0, atol=1e-12, err_msg=name)
    assert got["c"] == pytest.approx(float(want["c"]), abs=1e-12)


@pytest.mark.parametrize("negative_slope", [0.0, 0.2])
def test_gd_two_layer_loss_is_nonincreasing_for_small_lr(negative_slope):
    # lr = 0.01 is far below 2 / (Lipschitz constant of the gradient) for this problem; each of
    # 100 single steps may not raise the loss by more than rounding (1e-14 relative).
    problem = random_two_layer_problem(seed=4, n=40)
    X, y = problem["X"], problem["y"]
    params = {name: problem[name] for name in ("W", "b", "v", "c")}
    losses = [two_layer_loss(X, y, params, negative_slope)]
    for _ in range(100):
        params = gd_two_layer(X, y, **params, lr=0.01, steps=1, negative_slope=negative_slope)
        losses.append(two_layer_loss(X, y, params, negative_slope))
    losses = np.array(losses)
    assert np.all(np.diff(losses) <= 1e-14 * losses[:-1])
    assert losses[-1] < 0.9 * losses[0]  # and it does decrease


def test_gd_two_layer_steps_compose():
    # 20 steps at once equal 20 calls of one step (same arithmetic: exact up to 1e-14).
    problem = random_two_layer_problem(seed=6)
    at_once = gd_two_layer(**problem, lr=0.03, steps=20)
    params = {name: problem[name] for name in ("W", "b", "v", "c")}
    for _ in range(20):
        params = gd_two_layer(problem["X"], problem["y"], **params, lr=0.03, steps=1)
    for name in ("W", "b", "v"):
        np.testing.assert_allclose(at_once[name], params[name], rtol=1e-14, atol=1e-14)
    assert at_once["c"] == pytest.approx(params["c"], rel=1e-14, abs=1e-14)


def test_gd_two_layer_derivative_at_zero_is_negative_slope():
    # One point with W x + b = 0 exactly, f(x) = 0 (act(0) = 0, c = 0), y = 1, so r = -1.
    # dL/dW = r v act'(0) x = -2 act'(0): zero for ReLU, -0.2 for slope 0.1, step lr = 0.5.
    args = {"X": [[1.0]], "y": [1.0], "W": [[1.0]], "b": [-1.0], "v": [2.0], "c": 0.0}
    relu = gd_two_layer(**args, lr=0.5, steps=1)
    leaky = gd_two_layer(**args, lr=0.5, steps=1, negative_slope=0.1)
    np.testing.assert_array_equal(relu["W"], [[1.0]])
    np.testing.assert_array_equal(relu["b"], [-1.0])
    np.testing.assert_allclose(leaky["W"], [[1.1]], rtol=1e-15)
    np.testing.assert_allclose(leaky["b"], [-0.9], rtol=1e-15)
    np.testing.assert_array_equal(relu["v"], [2.0])  # act(0) = 0: dL/dv = 0 in both cases
    np.testing.assert_array_equal(leaky["v"], [2.0])


def test_gd_two_layer_dead_unit_is_frozen_under_relu():
    # Unit 0 has b = -50 on standard normal data: dead on every point (checked), so its row of W,
    # its bias and its output weight get exactly zero gradient for all 50 steps.
    problem = random_two_layer_problem(seed=8)
    problem["b"][0] = -50.0
    assert dead_relu_units(problem["W"], problem["b"], problem["X"])[0]
    out = gd_two_layer(**problem, lr=0.05, steps=50)
    np.testing.assert_array_equal(out["W"][0], problem["W"][0])
    assert out["b"][0] == problem["b"][0]
    assert out["v"][0] == problem["v"][0]
    assert not np.array_equal(out["W"][1:], problem["W"][1:])  # the live units do move
    assert dead_relu_units(out["W"], out["b"], problem["X"])[0]


def test_gd_two_layer_dead_unit_moves_and_revives_under_leaky_relu():
    # Hand-built: data x = 1, 2, 3 with y = 3x and one unit w = -0.1, b = -0.05 (dead on all
    # points). Under ReLU only c can learn, and the unit stays frozen; with slope 0.1 the
    # gradient alpha v mean(r x) < 0 pushes w up, and the unit is alive after 50 steps.
    args = {"X": [[1.0], [2.0], [3.0]], "y": [3.0, 6.0, 9.0], "W": [[-0.1]], "b": [-0.05]}
    args |= {"v": [3.0], "c": 0.0, "lr": 0.02, "steps": 50}
    assert dead_relu_units(args["W"], args["b"], args["X"])[0]
    relu = gd_two_layer(**args)
    np.testing.assert_array_equal(relu["W"], args["W"])
    np.testing.assert_array_equal(relu["b"], args["b"])
    leaky = gd_two_layer(**args, negative_slope=0.1)
    assert leaky["W"][0, 0] != -0.1
    assert leaky["b"][0] != -0.05
    assert not dead_relu_units(leaky["W"], leaky["b"], args["X"])[0]


def test_gd_two_layer_returns_new_float64_arrays_and_leaves_inputs_alone():
    problem = random_two_layer_problem(seed=9)
    saved = {name: np.copy(value) for name, value in problem.items()}
    out = gd_two_layer(**problem, lr=0.05, steps=0)
    assert set(out) == {"W", "b", "v", "c"}
    assert isinstance(out["c"], float)
    for name in ("W", "b", "v"):
        assert out[name].dtype == np.float64
        np.testing.assert_array_equal(out[name], problem[name])  # zero steps: unchanged values
        assert not np.shares_memory(out[name], problem[name])
    gd_two_layer(**problem, lr=0.05, steps=5)
    for name, value in saved.items():
        np.testing.assert_array_equal(problem[name], value)


# ---------------------------------------------------------------------------------------------
# The fact (1 - 2^-n)^L: probability that a ReLU net with zero biases is alive at one input.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "depth"), [(1, 1), (1, 3), (2, 3), (3, 4)])
def test_relu_net_alive_probability_is_one_minus_two_to_minus_n_to_the_depth(width, depth):
    # Monte Carlo with 20000 Gaussian networks (zero biases) at a fixed Gaussian input, seed 0.
    # The standard error is at most 0.0036, so the tolerance 0.02 is over 5 standard errors,
    # and still separates e.g. (1 - 2^-n)^(L-1) or 1 - 2^-(nL) for these (n, L).
    trials, dim = 20_000, 4
    rng = np.random.default_rng(0)
    x = rng.normal(size=dim)
    hidden = np.broadcast_to(x, (trials, dim))
    fan_in = dim
    for layer in range(depth):
        weights = rng.normal(size=(trials, width, fan_in))
        hidden = np.maximum(np.einsum("tij,tj->ti", weights, hidden), 0.0)
        fan_in = width
        if layer == 0:  # layer 1 through the module: dead units at this one input
            mask = np.array([dead_relu_units(w, np.zeros(width), [x]) for w in weights[:200]])
            np.testing.assert_array_equal(mask, hidden[:200] == 0.0)
    alive = np.mean(np.any(hidden > 0.0, axis=1))  # alive: some unit of the last layer is on
    assert alive == pytest.approx((1.0 - 2.0**-width) ** depth, abs=0.02)


# ---------------------------------------------------------------------------------------------
# Argument validation: every ValueError names the argument.
# ---------------------------------------------------------------------------------------------


def _mlp_ok():
    return [np.ones((4, 3)), np.ones((2, 4))], [np.zeros(4), np.zeros(2)]


INVALID_CALLS = {
    "softplus_not_real": (softplus, ("abc",), "z"),
    "softplus_complex": (softplus, (1j,), "z"),
    "second_derivative_not_real": (softplus_second_derivative, ([1.0, "a"],), "z"),
    "tanh_from_sigmoid_complex": (tanh_from_sigmoid, ([1j, 2.0],), "z"),
    "mlp_weights_empty": (tanh_to_sigmoid_mlp, ([], []), "weights"),
    "mlp_weights_not_list": (tanh_to_sigmoid_mlp, (np.ones((1, 2, 2)), [np.zeros(2)]), "weights"),
    "mlp_biases_not_list": (tanh_to_sigmoid_mlp, ([np.ones((2, 2))], np.zeros(2)), "biases"),
    "mlp_lengths_differ": (tanh_to_sigmoid_mlp, (_mlp_ok()[0], _mlp_ok()[1][:1]), "biases"),
    "mlp_weight_not_matrix": (tanh_to_sigmoid_mlp, ([np.ones(3)], [np.zeros(1)]), "weights"),
    "mlp_weight_nan": (tanh_to_sigmoid_mlp, ([[[np.nan]]], [[0.0]]), "weights"),
    "mlp_widths_do_not_chain": (
        tanh_to_sigmoid_mlp,
        ([np.ones((4, 3)), np.ones((2, 5))], [np.zeros(4), np.zeros(2)]),
        "weights",
    ),
    "mlp_bias_wrong_length": (
        tanh_to_sigmoid_mlp,
        (_mlp_ok()[0], [np.zeros(4), np.zeros(3)]),
        "biases",
    ),
    "mlp_bias_not_vector": (tanh_to_sigmoid_mlp, ([np.ones((1, 1))], [[[0.0]]]), "biases"),
    "dead_W_not_matrix": (dead_relu_units, (np.ones(3), np.zeros(3), np.ones((2, 3))), "W"),
    "dead_b_wrong_length": (dead_relu_units, (np.ones((2, 3)), np.zeros(3), np.ones((2, 3))), "b"),
    "dead_X_wrong_columns": (
        dead_relu_units,
        (np.ones((2, 3)), np.zeros(2), np.ones((5, 4))),
        "X",
    ),
    "dead_X_nan": (dead_relu_units, (np.ones((2, 1)), np.zeros(2), [[np.nan]]), "X"),
}


def _gd_args(**changes):
    args = {
        "X": np.ones((4, 2)),
        "y": np.zeros(4),
        "W": np.ones((3, 2)),
        "b": np.zeros(3),
        "v": np.ones(3),
        "c": 0.0,
        "lr": 0.1,
        "steps": 2,
        "negative_slope": 0.0,
    }
    return args | changes


INVALID_GD = {
    "X_not_matrix": (_gd_args(X=np.ones(4)), "X"),
    "X_no_rows": (_gd_args(X=np.ones((0, 2)), y=np.zeros(0)), "X"),
    "X_inf": (_gd_args(X=np.full((4, 2), np.inf)), "X"),
    "y_wrong_length": (_gd_args(y=np.zeros(3)), "y"),
    "W_wrong_columns": (_gd_args(W=np.ones((3, 3))), "W"),
    "b_wrong_length": (_gd_args(b=np.zeros(2)), "b"),
    "v_wrong_length": (_gd_args(v=np.ones(4)), "v"),
    "c_not_scalar": (_gd_args(c=[0.0, 1.0]), "c"),
    "c_nan": (_gd_args(c=np.nan), "c"),
    "lr_zero": (_gd_args(lr=0.0), "lr"),
    "lr_negative": (_gd_args(lr=-0.1), "lr"),
    "steps_negative": (_gd_args(steps=-1), "steps"),
    "steps_not_integer": (_gd_args(steps=2.5), "steps"),
    "steps_bool": (_gd_args(steps=True), "steps"),
    "negative_slope_negative": (_gd_args(negative_slope=-0.1), "negative_slope"),
}


@pytest.mark.parametrize("case", INVALID_CALLS)
def test_invalid_arguments_raise_value_error_naming_them(case):
    func, args, name = INVALID_CALLS[case]
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}\b"):
        func(*args)


@pytest.mark.parametrize("case", INVALID_GD)
def test_gd_two_layer_invalid_arguments_raise_value_error_naming_them(case):
    args, name = INVALID_GD[case]
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}\b"):
        gd_two_layer(**args)
