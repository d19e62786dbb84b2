"""Tests for course_lib.linearity (hw08_transition_to_linearity).

Reference routes, named in each test: autograd through ``torch.func`` (the gradient and the dense
Hessian of the network, with a softplus output for the last function), ``numpy.linalg.eigvalsh``
of that dense Hessian, the sup over w of the block norm by ``scipy.optimize`` for the limit
1.24080648 of COURSE.md, a fine grid on the circle for the exact linearization gap at m = 1, and
the Lanczos iteration on Hessian-vector products against the closed form at large m.
"""

import numpy as np
import pytest
import scipy.optimize
import torch

from course_lib.linearity import (
    hessian_spectral_norm,
    hessian_spectral_norm_hvp,
    lanczos_extremes,
    linearization_gap,
    output_nonlinearity_hessian_norm,
    param_gradient,
    two_layer_net,
    width_exponent,
)

TORCH_ACTS = {
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softplus": torch.nn.functional.softplus,
}
ACTS = list(TORCH_ACTS)


def torch_net(x, m, activation, softplus_output=False):
    """f(theta) (or softplus(f(theta))) at scalar x, as a torch function of theta = (v, w)."""

    def f(theta):
        out = torch.dot(theta[:m], TORCH_ACTS[activation](theta[m:] * x)) / m**0.5
        return torch.nn.functional.softplus(out) if softplus_output else out

    return f


def dense_hessian(x, v, w, activation, softplus_output=False):
    theta = torch.as_tensor(np.concatenate([v, w]), dtype=torch.float64)
    return torch.func.hessian(torch_net(x, len(v), activation, softplus_output))(theta).numpy()


def weights(m, seed, rademacher=False):
    rng = np.random.default_rng(seed)
    v = rng.choice([-1.0, 1.0], m) if rademacher else 1.5 * rng.standard_normal(m)
    return v, rng.standard_normal(m)


@pytest.mark.parametrize("activation", ACTS)
def test_two_layer_net_matches_a_double_loop_and_keeps_the_shape_of_x(activation):
    v, w = weights(7, 0)
    x = np.array([[-1.5, 0.0], [0.3, 2.0]])
    act = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
           "softplus": lambda z: np.log1p(np.exp(z))}[activation]  # fmt: skip
    loop = [
        [sum(vi * act(wi * xx) for vi, wi in zip(v, w, strict=True)) / np.sqrt(7) for xx in row]
        for row in x
    ]
    out = two_layer_net(x, v, w, activation)
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out, loop, rtol=1e-13, atol=1e-15)
    assert isinstance(two_layer_net(0.3, v, w, activation), float)


def test_two_layer_net_in_chunks_equals_one_product():
    v, w = weights(50_000, 1)
    x = np.linspace(-2, 2, 301)  # 301 * 50_000 > one chunk of 2**22 entries
    expected = np.tanh(np.outer(x, w)) @ v / np.sqrt(50_000)
    np.testing.assert_allclose(two_layer_net(x, v, w), expected, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("activation", ACTS)
@pytest.mark.parametrize("x", [1.0, -0.7, 2.5])
def test_param_gradient_equals_autograd(activation, x):
    v, w = weights(9, 2)
    theta = torch.as_tensor(np.concatenate([v, w]), dtype=torch.float64)
    expected = torch.func.grad(torch_net(x, 9, activation))(theta).numpy()
    np.testing.assert_allclose(
        param_gradient(x, v, w, activation), expected, rtol=1e-13, atol=1e-15
    )


@pytest.mark.parametrize("activation", ACTS)
@pytest.mark.parametrize(
    ("m", "x", "seed"), [(1, 1.0, 0), (2, -2.0, 1), (13, 0.8, 2), (40, 3.0, 3)]
)
def test_closed_form_norms_equal_the_dense_hessian(activation, m, x, seed):
    v, w = weights(m, seed)
    for output, function in (
        (False, hessian_spectral_norm),
        (True, output_nonlinearity_hessian_norm),
    ):
        dense = np.max(np.abs(np.linalg.eigvalsh(dense_hessian(x, v, w, activation, output))))
        assert function(x, v, w, activation) == pytest.approx(dense, rel=1e-12, abs=1e-15)


def test_the_spectral_norm_is_the_largest_absolute_eigenvalue_whatever_its_sign():
    v, w = weights(20, 4)
    h = dense_hessian(1.0, v, w, "tanh")
    eig = np.linalg.eigvalsh(h)
    flipped = np.linalg.eigvalsh(-h)
    assert hessian_spectral_norm(1.0, -v, w) == pytest.approx(max(-flipped[0], flipped[-1]))
    assert hessian_spectral_norm(1.0, v, w) == hessian_spectral_norm(1.0, -v, w)
    assert max(abs(eig)) == pytest.approx(hessian_spectral_norm(1.0, v, w), rel=1e-12)


def test_the_frobenius_norm_does_not_shrink_but_the_spectral_norm_does():
    frobenius, spectral = [], []
    for m in (10, 40):
        v, w = weights(m, 5, rademacher=True)
        h = dense_hessian(1.0, v, w, "tanh")
        frobenius.append(np.linalg.norm(h))
        spectral.append(hessian_spectral_norm(1.0, v, w))
    assert 0.5 < frobenius[1] / frobenius[0] < 2.0
    assert spectral[1] / spectral[0] < 0.75  # 1/sqrt(4) = 0.5 up to the max over neurons


def test_sqrt_m_times_the_norm_tends_to_the_sup_of_the_block_norm():
    """COURSE.md: tanh, x = 1, v = +-1: sqrt(m) ||H|| -> sup_w (|tanh''| + sqrt(tanh''^2 +
    4 tanh'^2)) / 2 = 1.24080648, computed here by maximizing over w."""

    def block(z):
        d1 = 1 - np.tanh(z) ** 2
        d2 = -2 * np.tanh(z) * d1
        return -(abs(d2) + np.hypot(d2, 2 * d1)) / 2

    sup = -scipy.optimize.minimize_scalar(block, bounds=(0, 2), method="bounded",
                                          options={"xatol": 1e-12}).fun  # fmt: skip
    assert sup == pytest.approx(1.24080648, abs=1e-8)
    v, w = weights(10**6, 6, rademacher=True)
    assert np.sqrt(10**6) * hessian_spectral_norm(1.0, v, w) == pytest.approx(sup, rel=1e-6)
    v, w = weights(1000, 7, rademacher=True)
    assert np.sqrt(1000) * hessian_spectral_norm(1.0, v, w) == pytest.approx(sup, abs=1e-3)


@pytest.mark.parametrize("activation", ACTS)
def test_hvp_lanczos_agrees_with_the_closed_form(activation):
    v, w = weights(30, 8)
    exact = hessian_spectral_norm(-1.3, v, w, activation)
    assert hessian_spectral_norm_hvp(-1.3, v, w, activation, device="cpu") == pytest.approx(
        exact, rel=1e-10
    )


def test_hvp_lanczos_agrees_with_the_closed_form_at_large_width():
    v, w = weights(10**5, 9, rademacher=True)
    exact = hessian_spectral_norm(1.0, v, w)
    estimate = hessian_spectral_norm_hvp(1.0, v, w, device="cpu")
    assert estimate <= exact * (1 + 1e-12)  # Ritz values lie inside the spectrum
    assert estimate == pytest.approx(exact, rel=1e-4)  # measured: 7e-6 after 400 steps


def test_lanczos_finds_both_ends_of_a_known_spectrum():
    diagonal = torch.linspace(-3.0, 2.0, 500, dtype=torch.float64)
    start = torch.ones(500, dtype=torch.float64)
    low, high = lanczos_extremes(lambda q: diagonal * q, start, max_steps=200, rtol=1e-12)
    assert low == pytest.approx(-3.0, rel=1e-9) and high == pytest.approx(2.0, rel=1e-9)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA (the GPU machine)")
def test_hvp_lanczos_runs_on_cuda():
    v, w = weights(10**4, 10, rademacher=True)
    exact = hessian_spectral_norm(1.0, v, w)
    assert hessian_spectral_norm_hvp(1.0, v, w, device="cuda") == pytest.approx(exact, rel=1e-4)


@pytest.mark.parametrize(("x", "activation"), [(1.0, "tanh"), (2.0, "sigmoid")])
def test_width_exponent_is_minus_one_half(x, activation):
    slopes = [width_exponent([10, 100, 1000, 10_000], x, activation, seed=s) for s in range(5)]
    assert -0.52 < np.median(slopes) < -0.47  # measured over 20 seeds: -0.50 to -0.48


def test_width_exponent_draws_rademacher_v_with_one_generator_in_order():
    rng = np.random.default_rng(3)
    norms = []
    for m in (5, 50, 500):
        v, w = rng.choice([-1.0, 1.0], size=m), rng.standard_normal(m)
        norms.append(hessian_spectral_norm(0.5, v, w, "softplus"))
    slope = np.polyfit(np.log([5, 50, 500]), np.log(norms), 1)[0]
    assert width_exponent([5, 50, 500], 0.5, "softplus", seed=3) == pytest.approx(slope, rel=1e-12)


def exact_gap_m1(x, v, w, radius, activation):
    """max over the circle |theta - theta0| = radius of |f - f_lin|, on a fine grid (m = 1)."""
    t = np.linspace(0, 2 * np.pi, 200_001)
    f0, g = two_layer_net(x, v, w, activation), param_gradient(x, v, w, activation)
    dv, dw = radius * np.cos(t), radius * np.sin(t)
    f = two_layer_net(x * (w[0] + dw), [1.0], [1.0], activation) * (v[0] + dv)
    return np.max(np.abs(f - f0 - g[0] * dv - g[1] * dw))


@pytest.mark.parametrize(
    ("x", "v", "w", "radius", "activation"),
    [
        (1.0, 1.0, 0.3, 1.0, "tanh"),
        (2.0, -1.0, 0.5, 0.5, "sigmoid"),
        (-1.5, 0.7, -0.2, 2.0, "softplus"),
    ],
)
def test_linearization_gap_at_m1_is_the_max_over_the_circle(x, v, w, radius, activation):
    exact = exact_gap_m1(x, [v], [w], radius, activation)
    gaps = [linearization_gap(x, [v], [w], radius, seed=s, activation=activation) for s in range(5)]
    assert max(gaps) <= exact * (1 + 1e-6)
    assert np.median(gaps) >= 0.95 * exact  # measured: median within 0.3 % of the max


def test_linearization_gap_vanishes_where_f_is_linear_and_at_radius_zero():
    v, w = weights(30, 11)
    assert linearization_gap(0.0, v, w, 2.0, activation="sigmoid") < 1e-14  # f linear in v
    assert linearization_gap(1.0, v, w, 0.0) == 0.0


def test_linearization_gap_shrinks_like_one_over_m_for_random_directions():
    medians = []
    for m in (100, 10_000):
        v, w = weights(m, 12, rademacher=True)
        medians.append(np.median([linearization_gap(1.0, v, w, 1.0, seed=s) for s in range(5)]))
    assert 30 < medians[0] / medians[1] < 300  # measured: about 100 = 10_000 / 100


def test_a_softplus_output_keeps_the_hessian_of_order_one():
    ratios = []
    for m in (100, 10_000):
        v, w = weights(m, 13, rademacher=True)
        ratios.append(
            output_nonlinearity_hessian_norm(1.0, v, w) / hessian_spectral_norm(1.0, v, w)
        )
    assert ratios[1] > 5 * ratios[0]


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: two_layer_net(1.0, [1.0, 2.0], [1.0]), "v and w"),
        (lambda: two_layer_net(1.0, [], []), "v and w"),
        (lambda: two_layer_net(np.nan, [1.0], [1.0]), "x"),
        (lambda: two_layer_net(1.0, [1.0], [1.0], "relu"), "activation"),
        (lambda: param_gradient([1.0, 2.0], [1.0], [1.0]), "x"),
        (lambda: hessian_spectral_norm(1.0, [[1.0]], [[1.0]]), "v"),
        (lambda: width_exponent([10, 10]), "widths"),
        (lambda: width_exponent([10, 2.5]), "widths"),
        (lambda: width_exponent([10, 100], x=0.0), "x"),
        (lambda: width_exponent([10, 100], seed=-1), "seed"),
        (lambda: linearization_gap(1.0, [1.0], [1.0], -1.0), "radius"),
        (lambda: linearization_gap(1.0, [1.0], [1.0], 1.0, n_samples=0), "n_samples"),
        (lambda: output_nonlinearity_hessian_norm(1.0, [1.0], [np.inf]), "w"),
        (lambda: hessian_spectral_norm_hvp(1.0, [1.0], [1.0], device="tpu"), "device"),
    ],
)
def test_invalid_arguments_raise_value_error_naming_them(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
