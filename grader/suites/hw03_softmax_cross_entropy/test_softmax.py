"""Softmax, log-softmax, cross-entropy and its gradient; the scaled one-hot loss.

Expected values come from scipy.special.softmax / log_softmax (float64, which subtract the max)
and from closed forms; l_CE(lam e_y, y) = log1p((k - 1) e^{-lam}), which numpy evaluates to full
relative precision for lam in [-50, 700].
"""

import numpy as np
import pytest
from scipy.special import log_softmax, softmax

from grader.checks import assert_close, assert_raises_value_error, numeric, question

RNG = np.random.default_rng(20261123)
LOGITS = RNG.normal(scale=3.0, size=(6, 5))
LABELS = np.array([0, 4, 2, 2, 1, 3])
HUGE = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4 + 1.0], [5e3, 5e3, 0.0]])


def ce(logits, y):
    return -log_softmax(logits, axis=1)[np.arange(len(y)), y].mean()


@question("softmax", weight=2)
@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_matches_the_definition(impl, axis):
    assert_close(
        impl.softmax(LOGITS, axis),
        softmax(LOGITS, axis=axis),
        rtol=1e-12,
        atol=1e-15,
        what=f"softmax(z, axis={axis})",
        hint="exp(z - max) / sum exp(z - max) along `axis`",
    )


@question("softmax", weight=3)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax_is_finite_for_huge_logits_and_keeps_dtype(impl, dtype):
    p = impl.softmax(HUGE.astype(dtype))
    arr = numeric(p, "softmax")
    assert np.all(np.isfinite(arr)), "softmax overflowed: subtract the row maximum before exp"
    assert isinstance(p, np.ndarray) and p.dtype == np.dtype(dtype), (
        f"softmax of {dtype} logits should return {dtype}"
    )
    expected = softmax(HUGE, axis=1)
    assert_close(
        arr,
        expected,
        atol=1e-6 if dtype == "float32" else 1e-12,
        rtol=0,
        what=f"softmax of {dtype} logits up to 1e4",
    )


@question("softmax")
def test_softmax_accepts_a_list(impl):
    assert_close(
        impl.softmax([1.0, 2.0, 3.0]),
        softmax([1.0, 2.0, 3.0]),
        rtol=1e-12,
        what="softmax of a list",
    )


@question("log_softmax", weight=3)
@pytest.mark.parametrize(
    ("z", "expected"),
    [
        ([0.0, -200.0], [0.0, -200.0]),
        ([1000.0, 0.0], [0.0, -1000.0]),
        ([-1000.0, -1000.0], [-np.log(2), -np.log(2)]),
    ],
)
def test_log_softmax_is_stable(impl, z, expected):
    assert_close(
        impl.log_softmax(np.array(z)),
        np.array(expected),
        rtol=1e-12,
        atol=1e-12,
        what="log_softmax of extreme logits",
        hint="log(softmax(z)) underflows to -inf: use z - max - log(sum exp(z - max))",
    )


@question("log_softmax", weight=2)
@pytest.mark.parametrize("axis", [-1, 0])
def test_log_softmax_matches_the_definition(impl, axis):
    assert_close(
        impl.log_softmax(LOGITS, axis),
        log_softmax(LOGITS, axis=axis),
        rtol=1e-12,
        atol=1e-13,
        what=f"log_softmax(z, axis={axis})",
    )


@question("log_softmax")
def test_log_softmax_keeps_float32(impl):
    out = impl.log_softmax(HUGE.astype("float32"))
    assert isinstance(out, np.ndarray) and out.dtype == np.float32, "keep the float32 dtype"
    assert_close(
        out,
        log_softmax(HUGE, axis=1),
        rtol=1e-6,
        atol=1e-3,
        what="log_softmax of float32 logits up to 1e4",
    )


@question("cross_entropy", weight=3)
def test_cross_entropy_is_the_mean_negative_log_likelihood(impl):
    value = impl.cross_entropy(LOGITS, LABELS)
    assert isinstance(value, float), "cross_entropy should return a Python float"
    assert_close(
        value,
        ce(LOGITS, LABELS),
        rtol=1e-12,
        what="cross_entropy(logits, y)",
        hint="the MEAN over the batch of -log softmax(logits)[i, y_i]",
    )


@question("cross_entropy", weight=2)
def test_cross_entropy_is_finite_for_huge_logits(impl):
    y = np.array([1, 0, 2])
    assert_close(
        impl.cross_entropy(HUGE, y),
        ce(HUGE, y),
        rtol=1e-12,
        what="cross_entropy with logits up to 1e4",
        hint="compute it from a stable log_softmax, not from log(softmax)",
    )


@question("cross_entropy")
def test_cross_entropy_accepts_lists(impl):
    assert_close(
        impl.cross_entropy([[0.0, 1.0], [2.0, 0.0]], [1, 0]),
        ce(np.array([[0.0, 1.0], [2.0, 0.0]]), np.array([1, 0])),
        rtol=1e-12,
        what="cross_entropy of lists",
    )


@question("cross_entropy")
@pytest.mark.parametrize(
    ("logits", "y", "argument"),
    [
        (np.zeros((2, 3)), [0, 3], "y"),
        (np.zeros((2, 3)), [0, -1], "y"),
        (np.zeros((2, 3)), [0, 1, 2], "y"),
        (np.zeros(3), [0], "logits"),
    ],
    ids=["label-too-big", "label-negative", "wrong-length", "logits-1d"],
)
def test_cross_entropy_rejects_bad_shapes_and_labels(impl, logits, y, argument):
    assert_raises_value_error(impl, "cross_entropy", logits, y, argument=argument)


@question("cross_entropy_grad", weight=3)
def test_cross_entropy_grad_is_softmax_minus_onehot_over_batch(impl):
    expected = (softmax(LOGITS, axis=1) - np.eye(5)[LABELS]) / len(LABELS)
    assert_close(
        impl.cross_entropy_grad(LOGITS, LABELS),
        expected,
        rtol=1e-10,
        atol=1e-15,
        what="cross_entropy_grad(logits, y)",
        hint="d/dlogits of the MEAN loss: (softmax - onehot) / B",
    )


@question("cross_entropy_grad")
def test_cross_entropy_grad_is_finite_for_huge_logits(impl):
    y = np.array([1, 0, 2])
    expected = (softmax(HUGE, axis=1) - np.eye(3)[y]) / 3
    assert_close(
        impl.cross_entropy_grad(HUGE, y),
        expected,
        atol=1e-12,
        rtol=0,
        what="cross_entropy_grad with logits up to 1e4",
    )


def scaled(lam, k):
    return np.log1p((k - 1) * np.exp(-lam))


@question("scaled_onehot_ce", weight=4)
@pytest.mark.parametrize("k", [2, 10, 1000])
def test_scaled_onehot_ce_to_full_relative_precision(impl, k):
    lams = [-50.0, -3.0, 0.0, 1.0, 10.0, 36.0, 50.0, 200.0, 700.0]
    got = [impl.scaled_onehot_ce(lam, 0, k) for lam in lams]
    assert_close(
        got,
        [scaled(lam, k) for lam in lams],
        rtol=1e-10,
        atol=0,
        what=f"scaled_onehot_ce(lam, y, k={k}) for lam in [-50, 700]",
        hint="log((k-1) + e^lam) - lam cancels to 0 for large lam: use log1p",
    )


@question("scaled_onehot_ce")
def test_scaled_onehot_ce_reference_value(impl):
    assert_close(
        impl.scaled_onehot_ce(50.0, 3, 10),
        1.735874863167526e-21,
        rtol=1e-10,
        what="scaled_onehot_ce(50, 3, 10)",
    )


@question("scaled_onehot_ce")
@pytest.mark.parametrize(("y", "k", "argument"), [(0, 1, "k"), (5, 3, "y"), (-1, 3, "y")])
def test_scaled_onehot_ce_rejects_bad_arguments(impl, y, k, argument):
    assert_raises_value_error(impl, "scaled_onehot_ce", 1.0, y, k, argument=argument)
