"""Tests for course_lib.noisy_mlp (hw05_noisy_label_mlp): one test per property.

Reference values come from independent routes, named in each test: the closed form of
``f_true``, a numpy forward pass with ``scipy.special.expit``, and a numpy SGD with hand-written
backpropagation (no autograd, no torch arithmetic). Where a test must reproduce the reference's
random stream, it draws it with its own ``torch.Generator`` in the order that ``train_mlp``
documents (per epoch: permutation, label normals, input normals) and does the arithmetic in
numpy. Everything is float64, so one step agrees to rounding (tolerance 1e-12); after several
steps the tolerances are stated per test. Nothing here is timed (timings live in
``benchmarks/bench_mlp.py``).
"""

import itertools

import numpy as np
import pytest
import scipy.special
import torch

from course_lib.noisy_mlp import (
    evaluate,
    f_true,
    init_mlp,
    mlp_forward,
    train_ensemble,
    train_mlp,
)


def random_params(widths, seed, scale=1.0):
    """Gaussian weights (std ``scale``) and Gaussian biases (std 0.1) as tuples (W, b)."""
    rng = np.random.default_rng(seed)
    return [
        (rng.normal(scale=scale, size=(n_out, n_in)), rng.normal(scale=0.1, size=n_out))
        for n_in, n_out in itertools.pairwise(widths)
    ]


def numpy_activations(params, x):
    """Activations a_0 = x[:, None], ..., a_L = output, of a sigmoid MLP (expit), linear output."""
    acts = [np.asarray(x, dtype=float)[:, None]]
    for k, (W, b) in enumerate(params):
        z = acts[-1] @ np.asarray(W).T + b
        acts.append(scipy.special.expit(z) if k < len(params) - 1 else z)
    return acts


def numpy_sgd_step(params, x, y, lr):
    """One step theta - lr * grad of mean((f(x) - y)^2), backpropagation written by hand.

    delta_L = 2 (f - y) / m; dW_l = delta_l^T a_{l-1}; db_l = column sums of delta_l;
    delta_{l-1} = (delta_l W_l) * a_{l-1} * (1 - a_{l-1}).
    """
    acts = numpy_activations(params, x)
    delta = 2.0 * (acts[-1] - np.asarray(y)[:, None]) / len(y)
    new = [None] * len(params)
    for k in range(len(params) - 1, -1, -1):
        W, b = (np.asarray(p, dtype=float) for p in params[k])
        new[k] = (W - lr * delta.T @ acts[k], b - lr * delta.sum(axis=0))
        if k > 0:
            delta = (delta @ W) * acts[k] * (1.0 - acts[k])
    return new


def numpy_minibatch_sgd(params, x, y, *, epochs, batch_size, lr, label_std, input_std, seed):
    """Minibatch SGD in numpy, fed by the random stream train_mlp documents; returns
    (params, clean loss after each epoch)."""
    gen = torch.Generator().manual_seed(seed)
    n = len(x)
    losses = []
    for _ in range(epochs):
        perm = torch.randperm(n, generator=gen).numpy()
        label_z = torch.randn(n, generator=gen, dtype=torch.float64).numpy()
        input_z = torch.randn(n, generator=gen, dtype=torch.float64).numpy()
        xs, ys = x[perm] + input_std * input_z, y[perm] + label_std * label_z
        for start in range(0, n, batch_size):
            batch = slice(start, start + batch_size)
            params = numpy_sgd_step(params, xs[batch], ys[batch], lr)
        losses.append(np.mean((numpy_activations(params, x)[-1][:, 0] - y) ** 2))
    return params, np.array(losses)


def assert_params_close(got, want, *, rtol, atol, what):
    assert len(got) == len(want), f"{what}: {len(got)} layers, expected {len(want)}"
    for k, ((W, b), (W_ref, b_ref)) in enumerate(zip(got, want, strict=True)):
        np.testing.assert_allclose(W, W_ref, rtol=rtol, atol=atol, err_msg=f"{what}: W_{k + 1}")
        np.testing.assert_allclose(b, b_ref, rtol=rtol, atol=atol, err_msg=f"{what}: b_{k + 1}")


def max_param_difference(a, b):
    return max(
        float(np.max(np.abs(np.asarray(p) - np.asarray(q))))
        for pair_a, pair_b in zip(a, b, strict=True)
        for p, q in zip(pair_a, pair_b, strict=True)
    )


@pytest.fixture(scope="module")
def data():
    """40 points x ~ N(0, 1) with clean targets f_true(x)."""
    x = np.random.default_rng(20240605).normal(size=40)
    return x, (x - 2.0) * np.cos(4.0 * x)


# --- f_true ------------------------------------------------------------------------------------


def test_f_true_is_the_closed_form():
    """f(0) = -2, f(2) = 0, f(pi/8) = (pi/8 - 2) cos(pi/2) ~ 0, and the formula on a grid
    (same expression in numpy, so equal to 1e-15)."""
    np.testing.assert_allclose(f_true([0.0, 2.0]), [-2.0, 0.0], rtol=0, atol=0)
    assert abs(f_true(np.pi / 8)) < 1e-15
    x = np.linspace(-4.0, 4.0, 81)
    np.testing.assert_allclose(f_true(x), (x - 2.0) * np.cos(4.0 * x), rtol=1e-15, atol=1e-15)


# --- init_mlp ----------------------------------------------------------------------------------


def test_init_mlp_shapes_are_out_by_in_and_biases_are_constant():
    params = init_mlp((1, 7, 5, 1), weight_std=1.0, bias=0.25, seed=3)
    assert isinstance(params, list) and all(isinstance(pair, list) for pair in params)
    assert [W.shape for W, _ in params] == [(7, 1), (5, 7), (1, 5)]
    assert [b.shape for _, b in params] == [(7,), (5,), (1,)]
    assert all(np.all(b == 0.25) for _, b in params)
    assert all(W.dtype == np.float64 and b.dtype == np.float64 for W, b in params)


def test_init_mlp_weights_have_mean_zero_and_the_given_std():
    """90000 iid N(0, 0.5^2) draws: the standard errors of the mean and of the std are
    0.5/300 = 0.0017 and 0.5/sqrt(2 * 90000) = 0.0012, so 0.01 is a 6-8 sigma margin."""
    W = init_mlp((1, 300, 300, 1), weight_std=0.5, bias=0.0, seed=1)[1][0]
    assert abs(W.mean()) < 0.01
    assert abs(W.std() - 0.5) < 0.01


def test_init_mlp_is_reproducible_and_depends_on_the_seed():
    a, b, c = (init_mlp((1, 6, 1), seed=s) for s in (4, 4, 5))
    assert max_param_difference(a, b) == 0.0
    assert max_param_difference(a, c) > 0.1


# --- mlp_forward -------------------------------------------------------------------------------


@pytest.mark.parametrize("widths", [(1, 1), (1, 6, 1), (1, 9, 4, 1)])
def test_mlp_forward_matches_a_numpy_forward_pass(widths):
    """Against numpy_activations (scipy.special.expit); the two sigmoids differ by rounding,
    so 1e-13 relative plus 1e-13 absolute."""
    params = random_params(widths, seed=len(widths))
    x = np.random.default_rng(0).normal(size=20)
    out = mlp_forward(params, x)
    assert out.shape == (20,) and out.dtype == np.float64
    np.testing.assert_allclose(out, numpy_activations(params, x)[-1][:, 0], rtol=1e-13, atol=1e-13)


# --- train_mlp ---------------------------------------------------------------------------------


@pytest.mark.parametrize("widths", [(1, 1), (1, 8, 1), (1, 6, 5, 1), (1, 16, 16, 1)])
def test_one_full_batch_epoch_is_one_gradient_step(data, widths):
    """epochs=1, batch_size=N, no noise: one step of the MEAN squared error (no factor 1/2),
    against numpy_sgd_step; only the summation order differs, so 1e-12. The step itself is
    checked to be far larger than that."""
    x, y = data
    params = random_params(widths, seed=11)
    out = train_mlp(x, y, params, epochs=1, batch_size=len(x), lr=0.1, seed=3, device="cpu")
    want = numpy_sgd_step(params, x, y, 0.1)
    assert_params_close(out["params"], want, rtol=1e-12, atol=1e-12, what="one full-batch epoch")
    assert max_param_difference(want, params) > 1e-3


def test_minibatch_sgd_matches_numpy_fed_the_same_stream(data):
    """N=40, batch 7 (last batch 5 points), label and input noise, 3 epochs (18 steps): the
    whole run against numpy_minibatch_sgd driven by the same documented torch stream. Rounding
    grows slowly over 18 steps: 1e-10 relative, 1e-11 absolute."""
    x, y = data
    params = random_params((1, 6, 5, 1), seed=12)
    settings = {"epochs": 3, "batch_size": 7, "lr": 0.05}
    out = train_mlp(
        x, y, params, **settings, label_noise_std=0.3, input_noise_std=0.2, seed=9, device="cpu"
    )
    want, losses = numpy_minibatch_sgd(
        params, x, y, **settings, label_std=0.3, input_std=0.2, seed=9
    )
    assert_params_close(out["params"], want, rtol=1e-10, atol=1e-11, what="minibatch SGD")
    np.testing.assert_allclose(out["train_loss"], losses, rtol=1e-10)


def test_train_loss_is_the_clean_loss_of_the_returned_params(data):
    """train_loss[-1] against mean((mlp_forward(params, x) - y)^2) on clean data, although the
    training used noise: same arithmetic in another library, so 1e-12 relative."""
    x, y = data
    out = train_mlp(
        x, y, random_params((1, 6, 1), 3), epochs=4, batch_size=16, lr=0.05,
        label_noise_std=0.3, input_noise_std=0.1, seed=1,
    )  # fmt: skip
    loss = out["train_loss"]
    assert isinstance(loss, np.ndarray) and loss.shape == (4,) and loss.dtype == np.float64
    np.testing.assert_allclose(
        loss[-1], np.mean((mlp_forward(out["params"], x) - y) ** 2), rtol=1e-12
    )


def test_the_first_epochs_of_a_longer_run_are_a_shorter_run(data):
    """The stream is drawn epoch by epoch, so the losses of a 3-epoch run are exactly the first
    three of a 5-epoch run with the same seed (bitwise: the same operations in the same order)."""
    x, y = data
    kwargs = {"batch_size": 8, "lr": 0.1, "label_noise_std": 0.5, "seed": 4}
    params = random_params((1, 5, 1), 4)
    short = train_mlp(x, y, params, epochs=3, **kwargs)["train_loss"]
    long = train_mlp(x, y, params, epochs=5, **kwargs)["train_loss"]
    np.testing.assert_array_equal(short, long[:3])


def test_same_seed_gives_identical_results_and_another_seed_differs(data):
    x, y = data
    params = random_params((1, 5, 1), seed=6)
    kwargs = {"epochs": 3, "batch_size": 8, "lr": 0.1, "label_noise_std": 0.2}
    a, b, c = (train_mlp(x, y, params, **kwargs, seed=s) for s in (2, 2, 3))
    assert max_param_difference(a["params"], b["params"]) == 0.0
    np.testing.assert_array_equal(a["train_loss"], b["train_loss"])
    assert max_param_difference(a["params"], c["params"]) > 1e-6


def test_inputs_are_not_modified_and_outputs_are_new_arrays(data):
    x, y = data
    params = [[np.array(W), np.array(b)] for W, b in random_params((1, 5, 1), seed=7)]
    copies = [[W.copy(), b.copy()] for W, b in params]
    x_copy, y_copy = x.copy(), y.copy()
    out = train_mlp(x, y, params, epochs=2, batch_size=8, lr=0.1, input_noise_std=0.3)
    assert max_param_difference(params, copies) == 0.0
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(y, y_copy)
    assert isinstance(out["params"], list)
    for (W, b), (W0, b0) in zip(out["params"], params, strict=True):
        assert isinstance(W, np.ndarray) and W.dtype == np.float64 and W.shape == W0.shape
        assert isinstance(b, np.ndarray) and b.dtype == np.float64 and b.shape == b0.shape
        assert not np.shares_memory(W, W0) and not np.shares_memory(b, b0)


def test_zero_epochs_returns_copies_and_an_empty_history(data):
    x, y = data
    params = random_params((1, 4, 1), seed=8)
    out = train_mlp(x, y, params, epochs=0, batch_size=8, lr=0.1)
    assert max_param_difference(out["params"], params) == 0.0
    assert out["train_loss"].shape == (0,)


def test_short_training_fits_much_better_than_a_constant():
    """256 points, the homework's 1-64-64-1 network and unscaled init, batch 32, lr 0.1, 200
    epochs, 5 seeds. Observed final loss / Var(y): 0.03, 0.16, 0.05, 0.64, 0.09 (median 0.09);
    asserted: the median is below 0.25 (Var(y) is the loss of the best constant), and every run
    ends below its loss at initialization (observed 2.2 to 73)."""
    ratios = []
    for seed in range(5):
        x = np.random.default_rng(100 + seed).normal(size=256)
        y = f_true(x)
        params = init_mlp(seed=seed)
        start = np.mean((mlp_forward(params, x) - y) ** 2)
        out = train_mlp(x, y, params, epochs=200, batch_size=32, lr=0.1, seed=seed, device="cpu")
        assert out["train_loss"][-1] < start
        ratios.append(out["train_loss"][-1] / np.var(y))
    assert np.median(ratios) < 0.25, ratios


@pytest.mark.parametrize("noise", ["label_noise_std", "input_noise_std"])
def test_noise_is_drawn_afresh_every_epoch(data, noise):
    """Full batch, so the order of the points does not matter. Two epochs from P0 against one
    epoch from P0 then one from its result with the same seed (which replays epoch 1's noise):
    with noise they must differ; without noise (the control) they agree to rounding, 1e-12."""
    x, y = data
    params = random_params((1, 6, 1), seed=5)
    kwargs = {"batch_size": len(x), "lr": 0.1, "seed": 7, "device": "cpu"}
    for std, should_differ in ((0.5, True), (0.0, False)):
        both = train_mlp(x, y, params, epochs=2, **kwargs, **{noise: std})["params"]
        first = train_mlp(x, y, params, epochs=1, **kwargs, **{noise: std})["params"]
        again = train_mlp(x, y, first, epochs=1, **kwargs, **{noise: std})["params"]
        if should_differ:
            assert max_param_difference(both, again) > 1e-6
        else:
            assert max_param_difference(both, again) < 1e-12


def test_clean_and_noisy_runs_share_their_permutations(data):
    """The normals are drawn whatever the noise level, so a noise of 1e-30 (which rounds away
    against targets of order 1e-2 and more) reproduces the clean run bitwise."""
    x, y = data
    assert np.min(np.abs(y)) > 1e-6
    kwargs = {"epochs": 2, "batch_size": 8, "lr": 0.1, "seed": 3}
    params = random_params((1, 5, 1), seed=9)
    clean = train_mlp(x, y, params, **kwargs)
    tiny = train_mlp(x, y, params, **kwargs, label_noise_std=1e-30)
    assert max_param_difference(clean["params"], tiny["params"]) == 0.0


def test_device_auto_restores_the_thread_count(data):
    x, y = data
    threads = torch.get_num_threads()
    train_mlp(x, y, random_params((1, 4, 1), seed=1), epochs=1, batch_size=8, lr=0.1)
    assert torch.get_num_threads() == threads


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_one_full_batch_epoch_on_cuda_is_one_gradient_step(data):
    x, y = data
    params = random_params((1, 16, 16, 1), seed=11)
    out = train_mlp(x, y, params, epochs=1, batch_size=len(x), lr=0.1, device="cuda")
    want = numpy_sgd_step(params, x, y, 0.1)
    assert_params_close(out["params"], want, rtol=1e-12, atol=1e-12, what="CUDA full batch")


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
def test_device_cuda_without_cuda_is_a_value_error(data):
    x, y = data
    with pytest.raises(ValueError, match=r"^device\b"):
        train_mlp(x, y, init_mlp((1, 2, 1)), epochs=1, batch_size=4, lr=0.1, device="cuda")


# --- evaluate ----------------------------------------------------------------------------------


def test_evaluate_returns_the_mse_and_the_strict_hit_rate():
    """The zero network predicts 0; residuals |0 - y| = 0.5, 0.25, 0.5, 1: MSE = 1.5625/4 and
    only 0.25 < 0.5 counts (the inequality is strict), so accuracy 1/4. Exact in binary."""
    zero_net = [[np.zeros((1, 1)), np.zeros(1)]]
    mse, acc = evaluate(zero_net, np.zeros(4), np.array([0.5, 0.25, -0.5, 1.0]))
    assert type(mse) is float and type(acc) is float
    assert (mse, acc) == (1.5625 / 4, 0.25)


def test_evaluate_matches_mlp_forward(data):
    x, y = data
    params = random_params((1, 5, 1), seed=2)
    pred = numpy_activations(params, x)[-1][:, 0]
    mse, acc = evaluate(params, x, y, tol=1.0)
    np.testing.assert_allclose(mse, np.mean((pred - y) ** 2), rtol=1e-12)
    assert acc == np.mean(np.abs(pred - y) < 1.0)


# --- train_ensemble ----------------------------------------------------------------------------


def test_train_ensemble_equals_train_mlp_seed_by_seed(data):
    """The streams are the same by construction (model s: init_mlp(widths, seed=s) and the
    generator of train_mlp(seed=s)); only the batched products' summation order may differ, so
    the match is exact up to rounding: 1e-10 relative, 1e-12 absolute after 5 noisy epochs."""
    x, y = data
    kwargs = {"epochs": 5, "batch_size": 12, "lr": 0.05, "label_noise_std": 0.3,
              "input_noise_std": 0.1, "device": "cpu"}  # fmt: skip
    runs = train_ensemble(x, y, [0, 5, 2], widths=(1, 8, 8, 1), **kwargs)
    assert len(runs) == 3
    for seed, run in zip([0, 5, 2], runs, strict=True):
        single = train_mlp(x, y, init_mlp((1, 8, 8, 1), seed=seed), seed=seed, **kwargs)
        assert_params_close(
            run["params"], single["params"], rtol=1e-10, atol=1e-12, what=f"seed {seed}"
        )
        np.testing.assert_allclose(run["train_loss"], single["train_loss"], rtol=1e-10)


# --- argument validation -----------------------------------------------------------------------

X4, Y4, NET = np.zeros(4), np.zeros(4), [[np.ones((2, 1)), np.zeros(2)], [np.ones((1, 2)), [0.0]]]
TRAIN = {"epochs": 1, "batch_size": 2, "lr": 0.1}

BAD_CALLS = [
    ("x", lambda: f_true("abc")),
    ("widths", lambda: init_mlp((1,))),
    ("widths", lambda: init_mlp((1, 0, 1))),
    ("widths", lambda: init_mlp((1, 2.5, 1))),
    ("weight_std", lambda: init_mlp(weight_std=-1.0)),
    ("bias", lambda: init_mlp(bias=float("nan"))),
    ("seed", lambda: init_mlp(seed=-1)),
    ("params", lambda: mlp_forward([], X4)),
    ("params", lambda: mlp_forward([[np.ones((2, 1))]], X4)),
    ("params", lambda: mlp_forward([[np.ones((2, 2)), np.zeros(2)]], X4)),
    ("params", lambda: mlp_forward([[np.ones((2, 1)), np.zeros(3)]], X4)),
    ("params", lambda: mlp_forward([[np.ones((2, 1)), np.zeros(2)]], X4)),
    ("params", lambda: mlp_forward([NET[0], [np.ones((1, 3)), [0.0]]], X4)),
    ("params", lambda: mlp_forward([[[[np.inf]], [0.0]]], X4)),
    ("x", lambda: mlp_forward(NET, np.zeros((2, 2)))),
    ("x", lambda: train_mlp(np.zeros((4, 1)), Y4, NET, **TRAIN)),
    ("x", lambda: train_mlp([], [], NET, **TRAIN)),
    ("y", lambda: train_mlp(X4, np.zeros(3), NET, **TRAIN)),
    ("y", lambda: train_mlp(X4, [0.0, 0.0, 0.0, np.nan], NET, **TRAIN)),
    ("params", lambda: train_mlp(X4, Y4, NET[:1], **TRAIN)),
    ("epochs", lambda: train_mlp(X4, Y4, NET, **{**TRAIN, "epochs": -1})),
    ("epochs", lambda: train_mlp(X4, Y4, NET, **{**TRAIN, "epochs": 1.5})),
    ("epochs", lambda: train_mlp(X4, Y4, NET, **{**TRAIN, "epochs": True})),
    ("batch_size", lambda: train_mlp(X4, Y4, NET, **{**TRAIN, "batch_size": 0})),
    ("lr", lambda: train_mlp(X4, Y4, NET, **{**TRAIN, "lr": 0.0})),
    ("lr", lambda: train_mlp(X4, Y4, NET, **{**TRAIN, "lr": float("inf")})),
    ("lr", lambda: train_mlp(X4, Y4, NET, **{**TRAIN, "lr": float("nan")})),
    ("label_noise_std", lambda: train_mlp(X4, Y4, NET, **TRAIN, label_noise_std=-0.1)),
    ("input_noise_std", lambda: train_mlp(X4, Y4, NET, **TRAIN, input_noise_std=np.nan)),
    ("seed", lambda: train_mlp(X4, Y4, NET, **TRAIN, seed=-2)),
    ("device", lambda: train_mlp(X4, Y4, NET, **TRAIN, device="tpu")),
    ("y", lambda: evaluate(NET, X4, np.zeros(5))),
    ("tol", lambda: evaluate(NET, X4, Y4, tol=-0.5)),
    ("tol", lambda: evaluate(NET, X4, Y4, tol=np.nan)),
    ("seeds", lambda: train_ensemble(X4, Y4, [], **TRAIN)),
    ("seeds", lambda: train_ensemble(X4, Y4, [0, -1], **TRAIN)),
    ("widths", lambda: train_ensemble(X4, Y4, [0], widths=(2, 3, 1), **TRAIN)),
    ("lr", lambda: train_ensemble(X4, Y4, [0], widths=(1, 3, 1), **{**TRAIN, "lr": -1.0})),
]


@pytest.mark.parametrize(
    ("name", "call"), BAD_CALLS, ids=[f"{i}-{name}" for i, (name, _) in enumerate(BAD_CALLS)]
)
def test_invalid_arguments_raise_value_error_naming_the_argument(name, call):
    """Every message starts with the name of the offending argument."""
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()
