"""The homework's functions, judged from data: the trusted side evaluates returned weights with
its own numpy forward pass and recomputes full-batch gradient steps with its own backprop.

Reshuffling and fresh noise are judged without knowing the submission's random streams: two
epochs from P0 must differ from one epoch from P0 followed by one epoch from the result with the
same seed (identical if the same order, or the same noise, is reused every epoch).
"""

from itertools import pairwise

import numpy as np
import pytest

from grader.checks import assert_close, numeric, question

RNG = np.random.default_rng(5)


def f(x):
    return (x - 2.0) * np.cos(4.0 * x)


def sigmoid(u):
    return 0.5 * (1.0 + np.tanh(0.5 * u))


def as_params(params):
    return [(np.asarray(W, dtype=float), np.asarray(b, dtype=float)) for W, b in params]


def forward(params, x):
    """Activations of every layer for inputs x (N,); the last one is the output (N, 1)."""
    acts = [np.asarray(x, dtype=float)[:, None]]
    for k, (W, b) in enumerate(params):
        z = acts[-1] @ W.T + b
        acts.append(sigmoid(z) if k < len(params) - 1 else z)
    return acts


def full_batch_step(params, x, y, lr):
    """One gradient step on mean((f(x) - y)^2), by hand."""
    acts = forward(params, x)
    delta = 2.0 * (acts[-1][:, 0] - y)[:, None] / len(y)
    new = []
    for k in range(len(params) - 1, -1, -1):
        W, b = params[k]
        new.append((W - lr * delta.T @ acts[k], b - lr * delta.sum(0)))
        if k:
            delta = (delta @ W) * acts[k] * (1.0 - acts[k])
    return new[::-1]


def random_params(widths, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return [
        (rng.normal(scale=scale, size=(o, i)), rng.normal(scale=0.1, size=o))
        for i, o in pairwise(widths)
    ]


def layers_differ(a, b):
    return max(
        float(np.max(np.abs(np.asarray(p) - np.asarray(q))))
        for (Wa, ba), (Wb, bb) in zip(as_params(a), as_params(b), strict=True)
        for p, q in ((Wa, Wb), (ba, bb))
    )


@question("f_true")
def test_f_true_matches_formula(impl):
    x = np.linspace(-4, 4, 33)
    assert_close(
        impl.f_true(x), f(x), rtol=1e-13, atol=1e-14, what="f_true(x)", hint="(x - 2) cos(4 x)"
    )


@question("init_mlp", weight=2)
def test_init_mlp_shapes_and_biases(impl):
    params = as_params(impl.init_mlp((1, 7, 5, 1), 1.0, 0.25, 3))
    assert [W.shape for W, _ in params] == [(7, 1), (5, 7), (1, 5)], "W has shape (out, in)"
    assert all(np.all(b == 0.25) and b.shape == (W.shape[0],) for W, b in params), (
        "every bias entry should equal `bias`"
    )


@question("init_mlp", weight=2)
def test_init_mlp_weights_have_the_given_spread(impl):
    params = as_params(impl.init_mlp((1, 200, 200, 1), 0.5, 0.0, 1))
    W = params[1][0]
    assert abs(W.std() - 0.5) < 0.02 and abs(W.mean()) < 0.02, (
        "weights should be N(0, weight_std^2): check you multiply by weight_std"
    )


@question("init_mlp")
def test_init_mlp_is_seeded(impl):
    a, b, c = (as_params(impl.init_mlp((1, 6, 1), 1.0, 0.03, s)) for s in (4, 4, 5))
    assert layers_differ(a, b) == 0.0, "the same seed should give the same weights"
    assert layers_differ(a, c) > 0.0, "different seeds should give different weights"


@question("mlp_forward", weight=3)
@pytest.mark.parametrize("widths", [(1, 1), (1, 6, 1), (1, 9, 4, 1)])
def test_mlp_forward_matches_the_definition(impl, widths):
    params = random_params(widths, seed=len(widths))
    x = RNG.normal(size=20)
    assert_close(
        impl.mlp_forward(params, x),
        forward(params, x)[-1][:, 0],
        rtol=1e-10,
        atol=1e-12,
        what="mlp_forward(params, x)",
        hint="sigmoid on hidden layers only, a linear output, shape (N,)",
    )


@question("evaluate", weight=2)
def test_evaluate_returns_mse_and_accuracy(impl):
    params = random_params((1, 5, 1), seed=2)
    x = RNG.normal(size=50)
    pred = forward(params, x)[-1][:, 0]
    y = pred + np.linspace(-1.0, 1.0, 50)
    mse, acc = impl.evaluate(params, x, y, 0.5)
    assert_close(mse, np.mean((pred - y) ** 2), rtol=1e-10, what="evaluate's mse")
    assert_close(
        acc,
        np.mean(np.abs(pred - y) < 0.5),
        rtol=1e-12,
        what="evaluate's accuracy",
        hint="the fraction of points with |prediction - y| < tol (strictly)",
    )


@question("train_mlp", weight=3)
@pytest.mark.parametrize("widths", [(1, 8, 1), (1, 6, 5, 1)])
def test_one_full_batch_epoch_is_one_gradient_step(impl, widths):
    params = random_params(widths, seed=11)
    x = RNG.normal(size=40)
    y = f(x)
    out = impl.train_mlp(x, y, params, epochs=1, batch_size=40, lr=0.1)
    want = full_batch_step(params, x, y, 0.1)
    for k, ((W, b), (W0, b0), (Wt, bt)) in enumerate(
        zip(as_params(out["params"]), params, want, strict=True)
    ):
        for got, old, ref, name in ((W, W0, Wt, "W"), (b, b0, bt, "b")):
            step, ref_step = got - old, ref - old
            assert np.linalg.norm(step - ref_step) <= 1e-4 * np.linalg.norm(ref_step) + 1e-12, (
                f"layer {k + 1}'s {name} after one full-batch epoch is not one gradient step of "
                "the MEAN squared error (check the mean, the factor 2 and sigmoid')"
            )


@question("train_mlp", weight=2)
def test_train_loss_is_the_clean_loss_of_the_weights(impl):
    params = random_params((1, 6, 1), seed=3)
    x = RNG.normal(size=64)
    y = f(x)
    out = impl.train_mlp(
        x, y, params, epochs=4, batch_size=16, lr=0.05, label_noise_std=0.3, seed=1
    )
    loss = numeric(out["train_loss"], "train_mlp's train_loss")
    assert loss.shape == (4,), "train_loss should hold one value per epoch"
    mse = np.mean((forward(as_params(out["params"]), x)[-1][:, 0] - y) ** 2)
    assert_close(
        loss[-1],
        mse,
        rtol=1e-5,
        what="the last train_loss",
        hint="record the CLEAN full-data loss at the end of each epoch",
    )


def two_ways(impl, x, y, params, **options):
    """(two epochs from P0, one epoch from P0 then one from the result), same seed."""
    both = impl.train_mlp(x, y, params, epochs=2, seed=7, **options)["params"]
    first = impl.train_mlp(x, y, params, epochs=1, seed=7, **options)["params"]
    again = impl.train_mlp(x, y, first, epochs=1, seed=7, **options)["params"]
    return both, again


@question("train_mlp")
def test_data_is_reshuffled_every_epoch(impl):
    params = random_params((1, 6, 1), seed=4)
    x = RNG.normal(size=32)
    both, again = two_ways(impl, x, f(x), params, batch_size=8, lr=0.1)
    assert layers_differ(both, again) > 1e-6, (
        "epoch 2 replayed epoch 1's batches: draw a new permutation every epoch"
    )


@question("train_mlp")
@pytest.mark.parametrize("noise", ["label_noise_std", "input_noise_std"])
def test_noise_is_fresh_every_time_a_batch_is_drawn(impl, noise):
    params = random_params((1, 6, 1), seed=5)
    x = RNG.normal(size=32)
    both, again = two_ways(impl, x, f(x), params, batch_size=32, lr=0.1, **{noise: 0.5})
    assert layers_differ(both, again) > 1e-6, (
        f"epoch 2 reused epoch 1's noise: draw fresh noise ({noise}) for every batch"
    )


@question("train_mlp")
def test_training_is_reproducible(impl):
    params = random_params((1, 5, 1), seed=6)
    x = RNG.normal(size=24)
    a, b = (
        impl.train_mlp(
            x, f(x), params, epochs=3, batch_size=8, lr=0.1, label_noise_std=0.2, seed=2
        )["params"]
        for _ in range(2)
    )
    assert layers_differ(a, b) < 1e-12, "the same seed should give the same weights"


@question("train_mlp", weight=3)
def test_homework_size_training_learns_f_true_in_time(impl):
    """512 points, 1-64-64-1, batch 128, lr 0.1, 1000 epochs, three training seeds; must fit the
    calibrated time limit, which a loop over single samples misses by far. The test MSE of one
    correct run ranged from 0.02 to 0.64 Var f_true over seeds when this was written, so the
    median of three is compared with 0.5 Var f_true."""
    rng = np.random.default_rng(2026)
    x, x_test = rng.normal(size=512), rng.normal(size=2000)
    params = [(rng.normal(size=(o, i)), np.full(o, 0.03)) for i, o in ((1, 64), (64, 64), (64, 1))]
    errors = []
    for seed in range(3):
        out = impl.train_mlp(x, f(x), params, epochs=1000, batch_size=128, lr=0.1, seed=seed)
        pred = forward(as_params(out["params"]), x_test)[-1][:, 0]
        errors.append(np.mean((pred - f(x_test)) ** 2))
    assert np.median(errors) < 0.5 * np.var(f(x_test)), (
        f"after training, the median test MSE ({np.median(errors):.3g}) is not well below "
        "Var f_true"
    )
