"""Known-wrong hw03 implementations: each must lose points on its question."""

from grader.suites import Mutant

MUTANTS = [
    Mutant(
        name="softmax_naive",
        question="softmax",
        why="exp(z) / sum exp(z) without subtracting the max: overflows to inf/inf = nan",
        source="""\
import numpy as np


def softmax(z, axis=-1):
    z = np.asarray(z)
    z = z if np.issubdtype(z.dtype, np.floating) else z.astype(float)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum(axis=axis, keepdims=True)
""",
    ),
    Mutant(
        name="log_of_softmax",
        question="log_softmax",
        why="log(softmax(z)): the softmax underflows to 0 and its log to -inf",
        source="""\
import numpy as np


def log_softmax(z, axis=-1):
    with np.errstate(divide="ignore"):
        return np.log(softmax(z, axis))
""",
    ),
    Mutant(
        name="ce_sum_not_mean",
        question="cross_entropy",
        why="sums the batch's losses instead of averaging them",
        source="""\
import numpy as np


def cross_entropy(logits, y):
    logits = np.asarray(logits, dtype=float)
    y = np.asarray(y)
    if logits.ndim != 2:
        raise ValueError(f"logits must be 2-D, got shape {logits.shape}")
    if y.shape != (logits.shape[0],) or np.any((y < 0) | (y >= logits.shape[1])):
        raise ValueError(f"y must hold labels in [0, K), got y={y}")
    return float(-log_softmax(logits, 1)[np.arange(len(y)), y].sum())
""",
    ),
    Mutant(
        name="ce_grad_without_batch_factor",
        question="cross_entropy_grad",
        why="the gradient of the summed loss: the 1/B of the mean is missing",
        source="""\
import numpy as np


def cross_entropy_grad(logits, y):
    logits = np.asarray(logits, dtype=float)
    y = np.asarray(y)
    return softmax(logits, -1) - np.eye(logits.shape[1])[y]
""",
    ),
    Mutant(
        name="scaled_ce_cancels",
        question="scaled_onehot_ce",
        why="log((k - 1) + e^lam) - lam: catastrophic cancellation, 0 for large lam",
        source="""\
import numpy as np


def scaled_onehot_ce(lam, y, k):
    if k < 2:
        raise ValueError(f"k must be >= 2, got k={k}")
    if not 0 <= y < k:
        raise ValueError(f"y must be in [0, k), got y={y}")
    with np.errstate(over="ignore"):
        return float(np.logaddexp(np.log(k - 1), lam) - lam)
""",
    ),
]
