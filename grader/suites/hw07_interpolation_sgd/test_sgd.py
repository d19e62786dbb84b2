"""SGD on least squares, the gradient noise, the critical batch size and the optimal step size
of Ma, Bassily and Belkin (2018).

With batch_size = n every step uses all the data, so SGD is deterministic gradient descent and
the trusted side recomputes the whole trajectory. The stochastic claims (the lecture's
3-equation example stalls at a noise floor under a constant step; an over-parameterized
consistent problem is solved to 1e-12) are checked as medians over several seeds.
"""

import numpy as np
import pytest

from grader.checks import assert_close, question

RNG = np.random.default_rng(8)
X_WIDE = RNG.normal(size=(10, 40))
Y_WIDE = X_WIDE @ RNG.normal(size=40)
X3 = np.array([[1.0, 2.0], [-2.0, 1.0], [1.0, -4.0]])
Y3 = np.array([4.0, 2.0, 4.0])


def loss(X, y, w):
    return 0.5 * np.mean((X @ w - y) ** 2)


def gd(X, y, lr, steps, schedule):
    w, losses = np.zeros(X.shape[1]), [loss(X, y, np.zeros(X.shape[1]))]
    for t in range(steps):
        eta = lr if schedule == "constant" else lr / (1 + t)
        w = w - eta * X.T @ (X @ w - y) / len(y)
        losses.append(loss(X, y, w))
    return w, np.array(losses)


@question("sgd_least_squares", weight=3)
@pytest.mark.parametrize("schedule", ["constant", "inverse_time"])
def test_full_batch_sgd_is_gradient_descent(impl, schedule):
    out = impl.sgd_least_squares(X3, Y3, lr=0.05, steps=25, batch_size=3, schedule=schedule)
    w, losses = gd(X3, Y3, 0.05, 25, schedule)
    assert_close(
        out["loss"],
        losses,
        rtol=1e-10,
        atol=1e-14,
        what=f'sgd_least_squares\'s loss with batch_size = n, schedule "{schedule}"',
        hint="loss[t] = (1/(2n)) ||X w_t - y||^2 for t = 0..steps; eta_t = lr/(1 + t)",
    )
    assert_close(out["w"], w, rtol=1e-10, atol=1e-12, what="sgd_least_squares's final w")


@question("sgd_least_squares")
def test_sgd_starts_from_w0(impl):
    w0 = np.array([1.0, -1.0])
    out = impl.sgd_least_squares(X3, Y3, lr=0.01, steps=0, w0=w0)
    assert_close(out["loss"], [loss(X3, Y3, w0)], rtol=1e-12, what="loss[0] from w0")


@question("sgd_least_squares", weight=2)
def test_constant_step_stalls_and_decaying_step_converges(impl):
    w_star = np.linalg.lstsq(X3, Y3, rcond=None)[0]
    floor = loss(X3, Y3, w_star)
    excess = {}
    for schedule, lr in (("constant", 0.05), ("inverse_time", 0.5)):
        finals = [
            impl.sgd_least_squares(X3, Y3, lr=lr, steps=3000, schedule=schedule, seed=s)["loss"][-1]
            for s in range(7)
        ]
        excess[schedule] = np.median(finals) - floor
    assert excess["constant"] > 1e-3, "a constant step should stall above the least-squares loss"
    assert excess["inverse_time"] < 0.2 * excess["constant"], (
        "with eta_t = lr/(1 + t) SGD should approach the least-squares solution"
    )


@question("sgd_least_squares", weight=2)
def test_interpolation_makes_constant_step_sgd_converge(impl):
    beta = np.max(np.sum(X_WIDE**2, axis=1))
    finals = [
        impl.sgd_least_squares(X_WIDE, Y_WIDE, lr=1 / beta, steps=4000, seed=s)["loss"][-1]
        for s in range(5)
    ]
    assert np.median(finals) < 1e-12, (
        "on an over-parameterized consistent problem constant-step SGD should drive the loss "
        "below 1e-12"
    )


@question("sgd_least_squares")
@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"schedule": "cosine"}, "schedule"),
        ({"batch_size": 4}, "batch_size"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_sgd_rejects_bad_options(impl, options, argument):
    err = impl.error_of("sgd_least_squares", X3, Y3, lr=0.1, steps=5, **options)
    assert err.value_error and argument in err.message, (
        f"sgd_least_squares should raise ValueError naming `{argument}`, got {err.describe()}"
    )


def noise(X, y, w):
    grads = X * (X @ w - y)[:, None]
    return np.mean(np.sum((grads - grads.mean(0)) ** 2, axis=1))


@question("gradient_noise", weight=3)
def test_gradient_noise_is_the_centred_second_moment(impl):
    w = RNG.normal(size=2)
    assert_close(
        impl.gradient_noise(X3, Y3, w),
        noise(X3, Y3, w),
        rtol=1e-12,
        what="gradient_noise(X, y, w)",
        hint="mean over i of ||grad l_i(w) - grad L(w)||^2: subtract the mean gradient",
    )


@question("gradient_noise")
def test_gradient_noise_vanishes_at_an_interpolating_solution(impl):
    w = np.linalg.pinv(X_WIDE) @ Y_WIDE  # residuals ~1e-14, so the noise is ~1e-27
    assert abs(impl.gradient_noise(X_WIDE, Y_WIDE, w)) < 1e-18, (
        "at a solution that fits every point, every per-sample gradient is 0: so is the noise"
    )


def lambdas(X):
    return np.max(np.sum(X**2, axis=1)), np.linalg.eigvalsh(X.T @ X / len(X))[-1]


@question("critical_batch_size", weight=3)
@pytest.mark.parametrize("which", ["wide", "three"])
def test_critical_batch_size(impl, which):
    X = X_WIDE if which == "wide" else X3
    beta, lam = lambdas(X)
    assert_close(
        impl.critical_batch_size(X),
        beta / lam + 1,
        rtol=1e-10,
        what="critical_batch_size(X)",
        hint="m* = beta/lambda_1 + 1 with the LARGEST eigenvalue of X^T X / n",
    )


@question("optimal_lr", weight=3)
@pytest.mark.parametrize("m", [1, 2, 5, 10])
def test_optimal_lr_on_both_sides_of_the_critical_batch(impl, m):
    beta, lam = lambdas(X_WIDE)
    expected = m / beta if m <= beta / lam + 1 else 2 * m / (beta + (m - 1) * lam)
    assert_close(
        impl.optimal_lr(X_WIDE, m),
        expected,
        rtol=1e-10,
        what=f"optimal_lr(X, {m})",
        hint="m/beta up to m*, then 2m/(beta + (m - 1) lambda_1)",
    )
