"""The two-layer network, its gradient and Hessian, the width exponent, the linearization gap and
the Hessian with a softplus output.

The trusted side differentiates the network itself with ``torch.func`` (gradients, and dense
Hessians for small widths judged by ``numpy.linalg.eigvalsh``), so a closed form, a Lanczos or a
power iteration are all accepted if they are accurate. At large widths it compares against its
own closed form; the limit 1.24080648 of sqrt(m) ||H|| is recomputed by maximizing over w.
Random quantities (the width exponent, the gap over random directions) are judged by medians
over seeds, with margins measured on the reference and stated beside each threshold.
"""

import numpy as np
import pytest
import scipy.optimize
import scipy.stats
import torch

from grader.checks import assert_close, question

TORCH_ACTS = {
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softplus": torch.nn.functional.softplus,
}
NUMPY_ACTS = {
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2)),
    "softplus": lambda z: np.logaddexp(0.0, z),
}
ACTS = list(TORCH_ACTS)


def weights(m, seed, rademacher=False):
    rng = np.random.default_rng(seed)
    v = rng.choice([-1.0, 1.0], m) if rademacher else 1.5 * rng.standard_normal(m)
    return v, rng.standard_normal(m)


def torch_net(x, m, activation, softplus_output=False):
    def f(theta):
        out = torch.dot(theta[:m], TORCH_ACTS[activation](theta[m:] * x)) / m**0.5
        return torch.nn.functional.softplus(out) if softplus_output else out

    return f


def theta_of(v, w):
    return torch.as_tensor(np.concatenate([v, w]), dtype=torch.float64)


def dense_norm(x, v, w, activation, softplus_output=False):
    f = torch_net(x, len(v), activation, softplus_output)
    hessian = torch.func.hessian(f)(theta_of(v, w)).numpy()
    return float(np.max(np.abs(np.linalg.eigvalsh(hessian))))


def block_norms(x, v, w, activation="tanh"):
    """The closed form of the 2 x 2 block norms (trusted, for large widths): the block of
    neuron i is [[0, a], [a, b]] with a = s'(w x) x / sqrt(m), b = v s''(w x) x^2 / sqrt(m)."""
    if activation == "tanh":
        t = np.tanh(w * x)
        d1, d2 = 1 - t**2, -2 * t * (1 - t**2)
    else:
        s = NUMPY_ACTS["sigmoid"](w * x)
        d1, d2 = s * (1 - s), s * (1 - s) * (1 - 2 * s)
    a, b = d1 * x / np.sqrt(len(v)), v * d2 * x * x / np.sqrt(len(v))
    return 0.5 * (np.abs(b) + np.hypot(b, 2 * a))


# -- two_layer_net ------------------------------------------------------------------------------


@question("two_layer_net")
@pytest.mark.parametrize("activation", ACTS)
def test_two_layer_net_values(impl, activation):
    v, w = weights(11, 1)
    for x in (1.0, -2.5, 0.0, 7.0):
        expected = float(np.sum(v * NUMPY_ACTS[activation](w * x)) / np.sqrt(11))
        assert_close(
            impl.two_layer_net(x, v, w, activation),
            expected,
            rtol=1e-12,
            atol=1e-14,
            what=f'two_layer_net(x, v, w, "{activation}") at a scalar x',
            hint="f(x) = m^(-1/2) sum_i v_i act(w_i x)",
        )


@question("two_layer_net")
def test_two_layer_net_on_arrays_keeps_the_shape(impl):
    v, w = weights(6, 2)
    x = np.linspace(-3, 3, 12).reshape(3, 4)
    expected = (np.tanh(x[..., None] * w) @ v) / np.sqrt(6)
    assert_close(
        impl.two_layer_net(x, v, w), expected, rtol=1e-12, atol=1e-14, what="two_layer_net(X, v, w)"
    )


@question("two_layer_net")
def test_two_layer_net_at_a_million_neurons(impl):
    v, w = weights(10**6, 3, rademacher=True)
    x = np.linspace(-2, 2, 40)
    expected = [np.tanh(w * xi) @ v / 1000.0 for xi in x]
    assert_close(impl.two_layer_net(x, v, w), expected, rtol=1e-9, atol=1e-12,
                 what="two_layer_net at m = 10^6")  # fmt: skip


# -- param_gradient -----------------------------------------------------------------------------


@question("param_gradient", weight=2)
@pytest.mark.parametrize("activation", ACTS)
@pytest.mark.parametrize("x", [1.0, -0.7, 2.5])
def test_param_gradient_equals_autograd(impl, activation, x):
    v, w = weights(9, 4)
    expected = torch.func.grad(torch_net(x, 9, activation))(theta_of(v, w)).numpy()
    assert_close(
        impl.param_gradient(x, v, w, activation),
        expected,
        rtol=1e-11,
        atol=1e-14,
        what=f'param_gradient(x, v, w, "{activation}")',
        hint="(d f/d v_1..m, d f/d w_1..m) with d f/d w_i = v_i act'(w_i x) x / sqrt(m)",
    )


@question("param_gradient")
def test_param_gradient_at_a_million_neurons(impl):
    v, w = weights(10**6, 5, rademacher=True)
    expected = np.concatenate([np.tanh(-1.5 * w), v * (1 - np.tanh(-1.5 * w) ** 2) * -1.5]) / 1e3
    assert_close(impl.param_gradient(-1.5, v, w), expected, rtol=1e-10, atol=1e-15,
                 what="param_gradient at m = 10^6")  # fmt: skip


# -- hessian_spectral_norm ----------------------------------------------------------------------


@question("hessian_spectral_norm", weight=2)
@pytest.mark.parametrize("activation", ACTS)
@pytest.mark.parametrize(("m", "x", "seed"), [(1, 1.0, 6), (3, -2.0, 7), (25, 1.3, 8)])
def test_hessian_spectral_norm_equals_the_dense_hessian(impl, activation, m, x, seed):
    v, w = weights(m, seed)
    assert_close(
        impl.hessian_spectral_norm(x, v, w, activation),
        dense_norm(x, v, w, activation),
        rtol=1e-6,
        what=f'hessian_spectral_norm(x, v, w, "{activation}")',
        hint="the largest |eigenvalue| of the (2m x 2m) Hessian in theta = (v, w)",
    )


@question("hessian_spectral_norm")
def test_the_norm_does_not_depend_on_the_sign_of_the_eigenvalue(impl):
    v, w = weights(12, 9)
    for sign in (1.0, -1.0):  # H(-v) = -H(v): one of the two has a negative extreme eigenvalue
        assert_close(
            impl.hessian_spectral_norm(0.9, sign * v, w),
            dense_norm(0.9, sign * v, w, "tanh"),
            rtol=1e-6,
            what="hessian_spectral_norm when the eigenvalue of largest modulus is negative",
            hint="the Hessian is indefinite: the norm is |lambda|, not a signed Rayleigh quotient",
        )


@question("hessian_spectral_norm", weight=2)
def test_hessian_spectral_norm_at_a_million_neurons(impl):
    """m = 10^6: the dense Hessian would take 32 TB. sqrt(m) ||H|| is within 1e-6 of its limit
    sup_w (|tanh''| + sqrt(tanh''^2 + 4 tanh'^2)) / 2 = 1.24080648 (COURSE.md)."""
    v, w = weights(10**6, 10, rademacher=True)
    got = impl.hessian_spectral_norm(1.0, v, w)
    assert_close(got, np.max(block_norms(1.0, v, w)), rtol=1e-4,
                 what="hessian_spectral_norm at m = 10^6")  # fmt: skip
    sup = -scipy.optimize.minimize_scalar(
        lambda z: -block_norms(1.0, np.ones(1), np.array([z]))[0],
        bounds=(0.0, 2.0),
        method="bounded",
        options={"xatol": 1e-12},
    ).fun
    assert_close(np.sqrt(1e6) * got, sup, rtol=1e-4, what="sqrt(m) * hessian_spectral_norm")


# -- width_exponent -----------------------------------------------------------------------------


@question("width_exponent", weight=2)
@pytest.mark.parametrize(("x", "activation"), [(1.0, "tanh"), (2.0, "sigmoid")])
def test_width_exponent_is_minus_one_half(impl, rng, x, activation):
    slopes = [
        float(impl.width_exponent([10, 100, 1000, 10_000], x, activation, int(seed)))
        for seed in rng.integers(0, 2**31, size=5)
    ]
    median = np.median(slopes)
    assert -0.52 < median < -0.47, (  # reference over 20 seeds: -0.50 to -0.48
        f"the median slope over 5 seeds is {median:.3f}, expected about -1/2: check the 1/sqrt(m)"
        " scaling, and draw v = +-1 (Gaussian v flatten the slope on a finite range of widths)"
    )


def trusted_slopes(rng, widths, x, activation, count):
    """``count`` slopes over ``widths`` at random initializations drawn here (v = +-1,
    w ~ N(0, 1)), with the closed-form block norms."""
    logs = np.log(widths)
    slopes = []
    for _ in range(count):
        norms = [
            np.max(block_norms(x, rng.choice([-1.0, 1.0], m), rng.standard_normal(m), activation))
            for m in widths
        ]
        slopes.append(np.polyfit(logs, np.log(norms), 1)[0])
    return np.array(slopes)


def drawn_widths(rng):
    """Two or three distinct widths, log-uniform in 1..1000: sets with a small width, where the
    slope spreads widely, and sets of large ones, where it is about -1/2, look alike to the
    submission, so it cannot be honest on the first only."""
    while True:
        widths = np.unique(np.exp(rng.uniform(0, np.log(1e3), 3)).astype(int))
        if widths.size >= 2:
            return [int(m) for m in widths]


#: How many drawn (widths, x, activation, seed) the law of the slopes is judged on.
SETS = 128


@question("width_exponent", weight=2)
def test_width_exponent_is_measured_at_random_initializations(impl, rng):
    """For 128 drawn (widths, x, activation, seed), the student's slope is ranked among 49
    slopes drawn here for the same widths, x and activation (randomized ties): for a slope of
    the right law the ranks are uniform, checked by Kolmogorov-Smirnov (p > 1e-6). The
    contract fixes the laws of v and w, not how they are drawn, so slopes are compared in law,
    not seed by seed; a constant, or any law of its own, is far from uniform ranks."""
    ranks = []
    for _ in range(SETS):
        widths, x = drawn_widths(rng), rng.uniform(0.8, 2.0) * rng.choice([-1.0, 1.0])
        activation = str(rng.choice(["tanh", "sigmoid"]))
        seed = int(rng.integers(0, 2**31))
        slope = float(impl.width_exponent(widths, x, activation, seed))
        others = trusted_slopes(rng, widths, x, activation, 49)
        below, ties = np.sum(others < slope), np.sum(others == slope)
        ranks.append((below + rng.uniform(0, ties + 1)) / 50)
    # Uniform ranks: KS for their law, and their variance (1/12, standard error
    # sqrt((1/80 - 1/144) / SETS)) for a law too narrow or too wide (6 of them: 2e-9).
    spread = abs(np.var(ranks) - 1 / 12) / np.sqrt((1 / 80 - 1 / 144) / SETS)
    assert scipy.stats.kstest(ranks, "uniform").pvalue > 1e-6 and spread < 6, (
        "the fitted slopes are not distributed as the slopes of Hessian norms at random "
        "initializations (v = +-1, w ~ N(0, 1)) over these widths"
    )


# -- linearization_gap --------------------------------------------------------------------------


def exact_gap_m1(x, v, w, radius, activation):
    """m = 1: the max of |f - f_lin| over the circle of the given radius, on a fine grid."""
    t = np.linspace(0, 2 * np.pi, 200_001)
    act = NUMPY_ACTS[activation]
    f0 = v * act(w * x)
    grad = torch.func.grad(torch_net(x, 1, activation))(theta_of([v], [w])).numpy()
    dv, dw = radius * np.cos(t), radius * np.sin(t)
    return np.max(np.abs((v + dv) * act((w + dw) * x) - f0 - grad[0] * dv - grad[1] * dw))


@question("linearization_gap", weight=1.5)
@pytest.mark.parametrize(
    ("x", "v", "w", "radius", "activation"),
    [(1.0, 1.0, 0.3, 1.0, "tanh"), (-1.5, 0.7, -0.2, 2.0, "softplus")],
)
def test_linearization_gap_at_one_neuron_is_the_max_over_the_circle(
    impl, x, v, w, radius, activation
):
    exact = exact_gap_m1(x, v, w, radius, activation)
    gaps = [
        float(impl.linearization_gap(x, [v], [w], radius, 64, seed, activation))
        for seed in range(5)
    ]
    assert max(gaps) <= exact * (1 + 1e-6), (
        "the gap exceeds the largest |f - f_lin| on the sphere ||theta - theta0|| = radius: are "
        "the points on the sphere, and is f_lin = f(theta0) + grad f(theta0) . (theta - theta0)?"
    )
    assert np.median(gaps) >= 0.95 * exact, (  # reference: median within 0.3 % of the max
        "64 random points on the circle should come within 5 % of the largest gap: are the "
        "points on the sphere (not inside the ball)?"
    )


@question("linearization_gap", weight=0.5)
def test_linearization_gap_vanishes_where_f_is_linear(impl):
    v, w = weights(30, 11)
    gap = float(impl.linearization_gap(0.0, v, w, 2.0, 64, 0, "sigmoid"))
    assert abs(gap) < 1e-12, (
        "at x = 0, f = m^(-1/2) sum_i v_i sigmoid(0) is linear in theta: the gap must be 0 "
        "(is the gradient term f_lin complete?)"
    )


@question("linearization_gap")
def test_linearization_gap_shrinks_with_width_within_the_taylor_bound(impl):
    medians = []
    for m in (100, 10_000):
        v, w = weights(m, 12, rademacher=True)
        gaps = [float(impl.linearization_gap(1.0, v, w, 1.0, 64, s)) for s in range(5)]
        medians.append(np.median(gaps))
        # |R| <= R^2/2 max_i ||H_i(xi)|| with |v| <= 1 + R, |tanh'| <= 1, |tanh''| <= 4/(3 sqrt 3)
        a, b = 1 / np.sqrt(m), 2 * 4 / (3 * np.sqrt(3)) / np.sqrt(m)
        bound = 0.5 * (b + np.hypot(b, 2 * a)) / 2
        assert max(gaps) <= bound, f"the gap at m = {m} exceeds the Taylor bound R^2 sup||H|| / 2"
    assert 30 < medians[0] / medians[1] < 300, (  # reference: about 100
        "from m = 100 to m = 10^4 the gap in random directions should shrink about 100-fold"
    )


# -- output_nonlinearity_hessian_norm -----------------------------------------------------------


@question("output_nonlinearity_hessian_norm", weight=2)
@pytest.mark.parametrize("activation", ACTS)
@pytest.mark.parametrize(("m", "x", "seed"), [(1, 1.0, 13), (4, -1.5, 14), (30, 2.0, 15)])
def test_output_hessian_norm_equals_the_dense_hessian(impl, activation, m, x, seed):
    v, w = weights(m, seed)
    assert_close(
        impl.output_nonlinearity_hessian_norm(x, v, w, activation),
        dense_norm(x, v, w, activation, softplus_output=True),
        rtol=1e-6,
        what=f'output_nonlinearity_hessian_norm(x, v, w, "{activation}")',
        hint="Hessian of softplus(f) = s(f) H + s(f)(1 - s(f)) grad f grad f^T",
    )


@question("output_nonlinearity_hessian_norm")
def test_output_hessian_norm_stays_of_order_one_at_large_width(impl):
    """Weyl: | ||s H + c g g^T|| - c ||g||^2 | <= s ||H||, with c ||g||^2 of order 1."""
    v, w = weights(10_000, 16, rademacher=True)
    f = np.tanh(w) @ v / 100.0
    s = 0.5 * (1 + np.tanh(f / 2))
    grad = np.concatenate([np.tanh(w), v * (1 - np.tanh(w) ** 2)]) / 100.0
    rank_one = s * (1 - s) * grad @ grad
    got = float(impl.output_nonlinearity_hessian_norm(1.0, v, w))
    assert abs(got - rank_one) <= s * np.max(block_norms(1.0, v, w)) * (1 + 1e-9), (
        "at m = 10^4 the norm should be s(1 - s) ||grad f||^2 (order 1) up to s ||H|| (order "
        "m^(-1/2)): the rank-one term does not vanish with width"
    )


# -- invalid arguments --------------------------------------------------------------------------

INVALID = [
    ("two_layer_net", 0.5, (1.0, [1.0], [1.0], "relu"), "activation"),
    ("two_layer_net", 0.5, (np.nan, [1.0], [1.0]), "x"),
    ("width_exponent", 0.5, ([10, 10],), "widths"),
    ("width_exponent", 0.5, ([10, 100], 0.0), "x"),
    ("linearization_gap", 0.5, (1.0, [1.0], [1.0], -1.0), "radius"),
]


@pytest.mark.parametrize(
    ("function", "args", "argument"),
    [
        pytest.param(f, args, argument, marks=question(f, weight=weight), id=f"{f}-{argument}")
        for f, weight, args, argument in INVALID
    ],
)
def test_invalid_arguments_raise_value_error_naming_them(impl, function, args, argument):
    err = impl.error_of(function, *args)
    assert err.value_error and argument in err.message, (
        f"{function} should raise ValueError naming `{argument}`, got {err.describe()}"
    )
