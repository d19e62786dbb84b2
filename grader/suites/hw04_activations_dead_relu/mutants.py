"""Known-wrong hw04 implementations: each must lose points on its question."""

from grader.suites import Mutant

_GD = """\
import numpy as np


def gd_two_layer(X, y, W, b, v, c, lr, steps, negative_slope=0.0):
    X, y = np.asarray(X, float), np.asarray(y, float)
    W, b, v, c = np.array(W, float), np.array(b, float), np.array(v, float), float(c)
    n = NORM
    for _ in range(steps):
        z = X @ W.T + b
        a = np.where(z > 0, z, negative_slope * z)
        r = a @ v + c - y
        dz = np.outer(r, v) * np.where(z DERIV 0, 1.0, negative_slope) / n
        grads = dz.T @ X, dz.sum(0), a.T @ r / n, r.sum() / n
        W, b, v, c = (p - lr * g for p, g in zip((W, b, v, c), grads))
    return {"W": W, "b": b, "v": v, "c": c}
"""

MUTANTS = [
    Mutant(
        name="softplus_naive",
        question="softplus",
        why="log(1 + e^z): e^z overflows to inf for z above about 709",
        source="""\
import numpy as np


def softplus(z):
    with np.errstate(over="ignore"):
        return np.log(1.0 + np.exp(np.asarray(z, dtype=float)))
""",
    ),
    Mutant(
        name="curvature_is_sigma",
        question="softplus_second_derivative",
        why="returns sigma(z), the FIRST derivative of softplus",
        source="""\
import numpy as np


def softplus_second_derivative(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))
""",
    ),
    Mutant(
        name="tanh_without_inner_two",
        question="tanh_from_sigmoid",
        why="2 sigma(z) - 1 is tanh(z/2), not tanh(z)",
        source="""\
import numpy as np


def tanh_from_sigmoid(z):
    return 2.0 * (0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))) - 1.0
""",
    ),
    Mutant(
        name="mlp_without_bias_correction",
        question="tanh_to_sigmoid_mlp",
        why="doubles the weights but forgets that h = 2 s - 1 shifts the next layer's bias",
        source="""\
import numpy as np


def tanh_to_sigmoid_mlp(weights, biases):
    weights2 = [2.0 * np.asarray(W, float) for W in weights]
    biases2 = [2.0 * np.asarray(b, float) for b in biases[:-1]] + [np.asarray(biases[-1], float)]
    return weights2, biases2
""",
    ),
    Mutant(
        name="dead_mask_strict",
        question="dead_relu_units",
        why="uses < instead of <=: a unit that is exactly 0 everywhere counts as alive",
        source="""\
import numpy as np


def dead_relu_units(W, b, X):
    z = np.asarray(X, float) @ np.asarray(W, float).T + np.asarray(b, float)
    return np.all(z < 0, axis=0)
""",
    ),
    Mutant(
        name="gd_sum_not_mean",
        question="gd_two_layer",
        why="the gradient of the summed loss: every step is N times too large",
        source=_GD.replace("NORM", "1").replace("DERIV", ">"),
    ),
    Mutant(
        name="gd_relu_prime_at_zero_is_one",
        question="gd_two_layer",
        why="takes act'(0) = 1: units exactly at 0 get a gradient they should not",
        source=_GD.replace("NORM", "len(y)").replace("DERIV", ">="),
    ),
]
