"""Softplus and its curvature, tanh as a rescaled sigmoid, and the tanh -> sigmoid MLP map.

Expected values: np.logaddexp(0, z) for softplus; e^{-|z|}/(1 + e^{-|z|})^2 for sigma(1 - sigma);
np.tanh. The MLP map is judged by what it computes: the trusted side runs both networks (its own
forward pass) on random inputs, so any exact construction passes, whatever its layout.
"""

from itertools import pairwise

import numpy as np
import pytest

from grader.checks import assert_close, numeric, question

Z = np.array([-1e4, -745.0, -40.0, -1.5, -1e-8, 0.0, 1e-8, 0.3, 2.0, 40.0, 745.0, 1e4])


@question("softplus", weight=3)
def test_softplus_is_stable(impl):
    assert_close(
        impl.softplus(Z),
        np.logaddexp(0.0, Z),
        rtol=1e-12,
        atol=1e-300,
        what="softplus(z) for |z| up to 1e4",
        hint="log(1 + e^z) overflows: use max(z, 0) + log1p(e^{-|z|})",
    )


@question("softplus_second_derivative", weight=3)
def test_softplus_second_derivative_is_stable(impl):
    t = np.exp(-np.abs(Z))
    assert_close(
        impl.softplus_second_derivative(Z),
        t / (1 + t) ** 2,
        rtol=1e-10,
        atol=1e-300,
        what="softplus_second_derivative(z)",
        hint="sigma(z)(1 - sigma(z)), the derivative of softplus' = sigma",
    )


@question("softplus_second_derivative")
def test_softplus_curvature_peaks_at_a_quarter(impl):
    z = np.linspace(-6, 6, 241)
    values = numeric(impl.softplus_second_derivative(z), "softplus_second_derivative")
    assert abs(values.max() - 0.25) < 1e-12 and z[values.argmax()] == 0.0, (
        "sigma(1 - sigma) should peak at z = 0 with value 1/4"
    )


@question("tanh_from_sigmoid", weight=3)
def test_tanh_from_sigmoid_is_tanh(impl):
    assert_close(
        impl.tanh_from_sigmoid(Z),
        np.tanh(Z),
        atol=1e-14,
        rtol=0,
        what="tanh_from_sigmoid(z)",
        hint="tanh(z) = 2 sigma(2z) - 1: check the 2 inside sigma, and a stable sigma",
    )


def forward(weights, biases, x, act):
    h = x
    for k, (W, b) in enumerate(zip(weights, biases, strict=True)):
        h = h @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)
        if k < len(weights) - 1:
            h = act(h)
    return h


def sigmoid(u):
    return 0.5 * (1.0 + np.tanh(0.5 * u))


def random_mlp(widths, seed):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(o, i)) for i, o in pairwise(widths)]
    biases = [rng.normal(size=o) for o in widths[1:]]
    return weights, biases


@question("tanh_to_sigmoid_mlp", weight=2)
@pytest.mark.parametrize("widths", [(3, 2), (3, 5, 2), (2, 6, 4, 1), (4, 3, 3, 3, 2)])
def test_sigmoid_net_computes_the_same_function(impl, widths):
    weights, biases = random_mlp(widths, seed=len(widths))
    out = impl.tanh_to_sigmoid_mlp(weights, biases)
    assert isinstance(out, tuple | list) and len(out) == 2, "return (weights2, biases2)"
    weights2, biases2 = out
    assert len(weights2) == len(weights) and len(biases2) == len(biases), (
        "the sigmoid network should have as many layers as the tanh network"
    )
    x = np.random.default_rng(7).normal(size=(25, widths[0]))
    assert_close(
        forward(weights2, biases2, x, sigmoid),
        forward(weights, biases, x, np.tanh),
        rtol=1e-10,
        atol=1e-10,
        what="the sigmoid network's outputs",
        hint="tanh(u) = 2 sigma(2u) - 1: rescale the weights AND shift the next biases",
    )
