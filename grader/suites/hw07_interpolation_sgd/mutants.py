"""Known-wrong hw07 implementations: each must lose points on its question."""

from grader.suites import Mutant

_SGD = """\
import numpy as np


def sgd_least_squares(X, y, *, lr, steps, batch_size=1, schedule="constant", seed=0, w0=None):
    X, y = np.asarray(X, float), np.asarray(y, float)
    n = len(y)
    if schedule not in ("constant", "inverse_time"):
        raise ValueError(f"schedule must be 'constant' or 'inverse_time', got {schedule!r}")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be in [1, {n}], got {batch_size}")
    rng = np.random.default_rng(seed)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, float)
    losses = [0.5 * np.mean((X @ w - y) ** 2)]
    for t in range(steps):
        idx = rng.choice(n, batch_size, replace=False)
        eta = STEP
        w = w - eta * X[idx].T @ (X[idx] @ w - y[idx]) / batch_size
        losses.append(0.5 * np.mean((X @ w - y) ** 2))
    return {"w": w, "loss": np.array(losses)}
"""

MUTANTS = [
    Mutant(
        name="constant_where_inverse_time",
        question="sgd_least_squares",
        why='ignores schedule="inverse_time": a constant step never gets below the noise floor',
        source=_SGD.replace("STEP", "lr"),
    ),
    Mutant(
        name="inverse_time_off_by_one",
        question="sgd_least_squares",
        why="eta_t = lr/t from t = 1: the first step is taken with lr/1 twice",
        source=_SGD.replace("STEP", 'lr if schedule == "constant" else lr / max(t, 1)'),
    ),
    Mutant(
        name="noise_without_centring",
        question="gradient_noise",
        why="mean of ||grad l_i||^2: the mean gradient is not subtracted",
        source="""\
import numpy as np


def gradient_noise(X, y, w):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    grads = X * (X @ w - y)[:, None]
    return float(np.mean(np.sum(grads**2, axis=1)))
""",
    ),
    Mutant(
        name="critical_batch_smallest_eigenvalue",
        question="critical_batch_size",
        why="divides by the smallest eigenvalue of X^T X / n instead of the largest",
        source="""\
import numpy as np


def critical_batch_size(X):
    X = np.asarray(X, float)
    beta = np.max(np.sum(X**2, axis=1))
    lam = np.linalg.eigvalsh(X.T @ X / len(X))
    return float(beta / max(lam[0], 1e-300) + 1)
""",
    ),
    Mutant(
        name="optimal_lr_one_branch",
        question="optimal_lr",
        why="m/beta for every m: past m* the step should saturate at 2m/(beta + (m-1) lambda_1)",
        source="""\
import numpy as np


def optimal_lr(X, m):
    X = np.asarray(X, float)
    return float(m / np.max(np.sum(X**2, axis=1)))
""",
    ),
]
