r"""Interpolation and SGD: automatic variance reduction for over-parameterized least squares.

Stochastic gradient descent on :math:`\mathcal{L}(w) = \frac{1}{n}\sum_i \ell_i(w)` replaces the
full gradient by the gradient of a random mini-batch,
:math:`\nabla\ell_i(w) = \nabla\mathcal{L}(w) + \epsilon_i(w)`, and the noise
:math:`\epsilon_i` decides whether a constant step size can converge.

* *Under-parameterized* (no :math:`w` fits every point): at the minimizer :math:`w^*` the
  individual gradients do not vanish, only their mean does, so the noise variance stays
  positive. Constant-step SGD hovers at a noise floor around :math:`w^*`; a decreasing step
  :math:`\eta_t \to 0` is needed to converge.
* *Over-parameterized* (interpolation, :math:`\ell_i(w^*) = 0` for every :math:`i`): every
  individual gradient vanishes at :math:`w^*`, and for least squares the noise variance is
  bounded by a multiple of the loss. The noise shrinks as the loss does, by itself ("automatic
  variance reduction"), and SGD with a constant step converges at a linear (exponential) rate
  (Ma, Bassily and Belkin, ICML 2018).

For the squared loss :math:`\ell_i(w) = \tfrac12 (x_i\cdot w - y_i)^2` the step size is governed
by :math:`\beta = \max_i \|x_i\|^2` (smoothness of one :math:`\ell_i`) and :math:`\lambda_1`, the
largest eigenvalue of :math:`X^\top X/n` (smoothness of :math:`\mathcal{L}`). Their ratio gives the
critical batch size :math:`m^* = \beta/\lambda_1 + 1`: below it the step size can grow linearly
with the batch, beyond it larger batches buy almost nothing.

This module implements mini-batch SGD for least squares with constant or :math:`1/t` step sizes,
the gradient noise, the critical batch size and the batch-dependent step-size rule.

All functions validate their arguments first and raise :class:`ValueError` with a message that
names the offending argument.
"""

import numpy as np
import numpy.typing as npt

__all__ = [  # noqa: RUF022 (the order of the contract in COURSE.md, not alphabetical)
    "sgd_least_squares",
    "gradient_noise",
    "critical_batch_size",
    "optimal_lr",
]


def _as_real(value: npt.ArrayLike, name: str, *, ndim: int | None = None) -> np.ndarray:
    r"""Convert ``value`` to a new finite float64 array, checking its number of axes.

    ``name`` is the argument's name for the error message; ``ndim`` (if given) is the required
    number of axes (0 for a scalar). Nan and infinities are rejected.
    """
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be real numbers, got {name}={value!r}") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} axes, got {name} with shape {array.shape} ({name}={value!r})"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {name}={value!r}")
    return array


def _as_int(value: object, name: str, minimum: int) -> int:
    r"""Return ``value`` as a Python int if it is an integer (not a bool) >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {name}={value!r}")
    return int(value)


def _smoothness_constants(X: npt.ArrayLike) -> tuple[float, float]:
    r"""Validate a data matrix and return :math:`(\beta, \lambda_1)`.

    :math:`\beta = \max_i \|x_i\|^2` and :math:`\lambda_1 = \|X\|_2^2 / n`, the largest eigenvalue
    of :math:`X^\top X / n` (the square of the largest singular value of :math:`X`, divided by
    :math:`n`). Raises ValueError naming ``X`` if it is not a finite matrix with a nonzero entry.
    """
    X = _as_real(X, "X", ndim=2)
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    if not np.any(X):
        raise ValueError("X must have a nonzero entry, got an all-zero X (beta = lambda_1 = 0)")
    beta = float(np.max(np.sum(X * X, axis=1)))
    lambda_1 = float(np.linalg.norm(X, 2) ** 2 / X.shape[0])
    return beta, lambda_1


def sgd_least_squares(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    lr: float,
    steps: int,
    batch_size: int = 1,
    schedule: str = "constant",
    seed: int = 0,
    w0: npt.ArrayLike | None = None,
) -> dict[str, np.ndarray]:
    r"""Mini-batch SGD on the least-squares loss :math:`\frac{1}{2n}\|Xw - y\|^2`.

    Parameters
    ----------
    X : array_like
        Data matrix, one example per row, shape ``(n, p)`` with :math:`n, p \ge 1`; finite.
    y : array_like
        Targets, shape ``(n,)``; finite.
    lr : float
        Base step size :math:`\eta`; finite and > 0.
    steps : int
        Number of SGD steps; an integer >= 0.
    batch_size : int, optional
        Batch size :math:`m`, an integer in :math:`[1, n]`.
    schedule : {"constant", "inverse_time"}, optional
        Step size at step :math:`t = 0, 1, \dots`: :math:`\eta_t = \eta` or
        :math:`\eta_t = \eta/(1 + t)`.
    seed : int, optional
        Seed of ``numpy.random.default_rng``; an integer >= 0.
    w0 : array_like, optional
        Starting point, shape ``(p,)``; finite. Zeros by default.

    Returns
    -------
    dict
        ``{"w": w, "loss": loss}``: the last iterate (float64, shape ``(p,)``) and the loss
        :math:`\mathcal{L}(w_t)` at every iterate :math:`t = 0, \dots,` ``steps`` (float64,
        length ``steps + 1``, ``loss[0]`` at ``w0``). The inputs are not modified.

    Raises
    ------
    ValueError
        If an array is not finite or has the wrong shape, ``lr`` is not > 0, ``steps`` is not an
        integer >= 0, ``batch_size`` is not an integer in :math:`[1, n]`, ``schedule`` is not one
        of the two names, or ``seed`` is not an integer >= 0.

    Notes
    -----
    With :math:`\ell_i(w) = \tfrac12 (x_i\cdot w - y_i)^2` and :math:`\mathcal{L} = \frac1n
    \sum_i \ell_i`, step :math:`t` draws a batch :math:`B_t` of :math:`m` distinct indices,
    uniformly (``rng.choice(n, m, replace=False)``, one draw per step; batches of different steps
    are independent), and updates

    .. math::

        w_{t+1} = w_t - \eta_t\, \frac{1}{m}\sum_{i \in B_t} x_i\,(x_i\cdot w_t - y_i),

    an unbiased estimate of :math:`\eta_t \nabla\mathcal{L}(w_t)`.

    If :math:`Xw = y` has no solution, the noise :math:`\nabla\ell_i(w^*)` at the least-squares
    solution is nonzero: with :math:`\eta_t = \eta` the iterates keep fluctuating, and the
    excess loss :math:`\mathcal{L}(w_t) - \mathcal{L}(w^*)` stalls at a floor of order
    :math:`\eta`; with :math:`\eta_t = \eta/(1+t)` (:math:`\sum \eta_t = \infty`,
    :math:`\sum\eta_t^2 < \infty`) it tends to 0. If :math:`Xw = y` is solvable (e.g.
    :math:`p > n` and :math:`X` of full row rank), every :math:`\nabla\ell_i` vanishes at a
    solution and a constant :math:`\eta \le 1/\beta` gives linear convergence of the loss to 0.
    With rows of unit norm, ``batch_size=1`` and ``lr=1`` the step is the orthogonal projection
    of :math:`w_t` onto the hyperplane :math:`x_i\cdot w = y_i`: randomized Kaczmarz
    (Strohmer and Vershynin, 2009), whose distance to any solution never increases.

    A step size beyond the stability limit (about :math:`2m/(\beta + (m-1)\lambda_1)`, see
    :func:`optimal_lr`) makes the iterates diverge; the loss then overflows to ``inf`` (and may
    become ``nan``) without a warning.

    Examples
    --------
    One equation :math:`w_1 + w_2 = 2`: one Kaczmarz step lands on the minimum-norm solution.

    >>> result = sgd_least_squares([[1.0, 1.0]], [2.0], lr=0.5, steps=1)
    >>> result["w"], result["loss"]
    (array([1., 1.]), array([2., 0.]))
    """
    X = _as_real(X, "X", ndim=2)
    n_samples, n_features = X.shape
    if n_samples == 0 or n_features == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    y = _as_real(y, "y", ndim=1)
    if y.shape != (n_samples,):
        raise ValueError(f"y must have shape ({n_samples},) to match X, got y.shape={y.shape}")
    lr_value = float(_as_real(lr, "lr", ndim=0))
    if lr_value <= 0.0:
        raise ValueError(f"lr must be > 0, got lr={lr!r}")
    steps = _as_int(steps, "steps", 0)
    batch = _as_int(batch_size, "batch_size", 1)
    if batch > n_samples:
        raise ValueError(
            f"batch_size must be an integer in [1, n] = [1, {n_samples}], got batch_size={batch}"
        )
    if schedule not in ("constant", "inverse_time"):
        raise ValueError(
            f"schedule must be 'constant' or 'inverse_time', got schedule={schedule!r}"
        )
    seed = _as_int(seed, "seed", 0)
    if w0 is None:
        w = np.zeros(n_features)
    else:
        w = _as_real(w0, "w0", ndim=1)
        if w.shape != (n_features,):
            raise ValueError(
                f"w0 must have shape ({n_features},) to match X, got w0.shape={w.shape}"
            )

    rng = np.random.default_rng(seed)
    loss = np.empty(steps + 1)
    loss[0] = 0.5 * np.mean((X @ w - y) ** 2)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run ends in inf or nan
        for t in range(steps):
            rows = rng.choice(n_samples, batch, replace=False)
            X_batch = X[rows]
            gradient = X_batch.T @ (X_batch @ w - y[rows]) / batch
            eta = lr_value if schedule == "constant" else lr_value / (1.0 + t)
            w = w - eta * gradient
            loss[t + 1] = 0.5 * np.mean((X @ w - y) ** 2)
    return {"w": w, "loss": loss}


def gradient_noise(X: npt.ArrayLike, y: npt.ArrayLike, w: npt.ArrayLike) -> float:
    r"""Variance of the per-example gradients of least squares around their mean.

    Parameters
    ----------
    X : array_like
        Data matrix, shape ``(n, p)`` with :math:`n, p \ge 1`; finite.
    y : array_like
        Targets, shape ``(n,)``; finite.
    w : array_like
        Point at which the noise is measured, shape ``(p,)``; finite.

    Returns
    -------
    float
        :math:`\frac1n\sum_i \|\nabla\ell_i(w) - \nabla\mathcal{L}(w)\|^2 \ge 0`.

    Raises
    ------
    ValueError
        If an argument is not a finite real array of the right shape.

    Notes
    -----
    With residuals :math:`r_i = x_i\cdot w - y_i`, :math:`\nabla\ell_i(w) = r_i\,x_i` and
    :math:`\nabla\mathcal{L}(w) = \frac1n\sum_i r_i x_i`, so

    .. math::

        \operatorname{Var}[\epsilon](w) = \frac1n\sum_{i=1}^{n}
        \bigl\|r_i x_i - \nabla\mathcal{L}(w)\bigr\|^2
        = \frac1n\sum_{i=1}^{n} r_i^2\,\|x_i\|^2 - \|\nabla\mathcal{L}(w)\|^2
        \;\le\; 2\beta\,\mathcal{L}(w) .

    It is the variance of the gradient of one example drawn uniformly (the noise of SGD with
    ``batch_size=1``). At an interpolating solution every :math:`r_i = 0` and the noise is 0;
    the bound :math:`2\beta\mathcal{L}(w)` says the noise shrinks together with the loss, which is
    what lets constant-step SGD converge under interpolation. At the least-squares solution of
    an inconsistent system :math:`\nabla\mathcal{L} = 0` but the :math:`r_i` are not all 0, so
    the noise is positive. The centred form (first expression) is what is computed: it avoids
    the cancellation of the second one.

    Examples
    --------
    >>> gradient_noise([[1.0], [-1.0]], [1.0, 1.0], [0.0])  # gradients -1 and 1, mean 0
    1.0
    """
    X = _as_real(X, "X", ndim=2)
    n_samples, n_features = X.shape
    if n_samples == 0 or n_features == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    y = _as_real(y, "y", ndim=1)
    if y.shape != (n_samples,):
        raise ValueError(f"y must have shape ({n_samples},) to match X, got y.shape={y.shape}")
    w = _as_real(w, "w", ndim=1)
    if w.shape != (n_features,):
        raise ValueError(f"w must have shape ({n_features},) to match X, got w.shape={w.shape}")

    per_example = X * (X @ w - y)[:, None]  # row i is grad l_i(w)
    deviations = per_example - per_example.mean(axis=0)
    return float(np.mean(np.sum(deviations * deviations, axis=1)))


def critical_batch_size(X: npt.ArrayLike) -> float:
    r"""Critical batch size :math:`m^* = \beta/\lambda_1 + 1` of SGD for least squares.

    Parameters
    ----------
    X : array_like
        Data matrix, shape ``(n, p)`` with :math:`n, p \ge 1`; finite, not all zero.

    Returns
    -------
    float
        :math:`m^*`, a number in :math:`[2, n + 1]`.

    Raises
    ------
    ValueError
        If ``X`` is not a finite real matrix with at least one nonzero entry.

    Notes
    -----
    .. math::

        m^* = \frac{\beta}{\lambda_1} + 1, \qquad \beta = \max_i \|x_i\|^2, \qquad
        \lambda_1 = \lambda_{\max}\Bigl(\frac1n X^\top X\Bigr) = \frac{\|X\|_2^2}{n} .

    :math:`\beta` bounds the curvature of a single :math:`\ell_i`, :math:`\lambda_1` the curvature
    of the average. A batch of :math:`m` examples has curvature between the two, about
    :math:`(\beta + (m-1)\lambda_1)/m`; it is dominated by :math:`\beta/m` while
    :math:`m < m^*`, and by :math:`\lambda_1` beyond, where a bigger batch no longer allows a
    bigger step (Ma, Bassily and Belkin, 2018). Since :math:`\|x_i\|^2/n \le \lambda_1 \le
    \operatorname{tr}(X^\top X)/n \le \beta`, always :math:`2 \le m^* \le n + 1`: :math:`m^* = 2`
    when all rows are equal, :math:`m^* = n + 1` when the rows are orthogonal with equal norms.

    Examples
    --------
    >>> critical_batch_size(np.eye(4))  # orthonormal rows: beta = 1, lambda_1 = 1/4
    5.0
    """
    beta, lambda_1 = _smoothness_constants(X)
    return beta / lambda_1 + 1.0


def optimal_lr(X: npt.ArrayLike, m: int) -> float:
    r"""Step size of mini-batch SGD for least squares as a function of the batch size.

    Parameters
    ----------
    X : array_like
        Data matrix, shape ``(n, p)`` with :math:`n, p \ge 1`; finite, not all zero.
    m : int
        Batch size; an integer >= 1. (SGD itself needs :math:`m \le n`; the formula does not.)

    Returns
    -------
    float
        :math:`m/\beta` for :math:`m \le m^*`, else :math:`2m/(\beta + (m-1)\lambda_1)`.

    Raises
    ------
    ValueError
        If ``X`` is not a finite real matrix with a nonzero entry, or ``m`` is not an integer
        >= 1.

    Notes
    -----
    With :math:`\beta`, :math:`\lambda_1` and :math:`m^*` as in :func:`critical_batch_size`,

    .. math::

        \eta^*(m) = \begin{cases}
            \dfrac{m}{\beta} & m \le m^*, \\[1.5ex]
            \dfrac{2m}{\beta + (m-1)\lambda_1} & m > m^* .
        \end{cases}

    *Linear scaling* below the critical batch size: :math:`m` examples allow :math:`m` times the
    single-example step :math:`1/\beta` (one step of batch :math:`m` does the work of :math:`m`
    steps of batch 1). *Saturation* above it: the rate stays below :math:`2/\lambda_1`, the
    stability limit of full gradient descent, and the benefit of larger batches flattens. The
    two branches agree at :math:`m = m^*`, where :math:`\beta + (m^*-1)\lambda_1 = 2\beta`, so
    :math:`\eta^*` is continuous and nondecreasing in :math:`m`. This is the course's
    simplified form of the batch-size rule of Ma, Bassily and Belkin (ICML 2018).

    Examples
    --------
    >>> optimal_lr(np.eye(4), 1), optimal_lr(np.eye(4), 4)  # m* = 5: linear scaling
    (1.0, 4.0)
    """
    beta, lambda_1 = _smoothness_constants(X)
    m = _as_int(m, "m", 1)
    if m <= beta / lambda_1 + 1.0:
        return m / beta
    return 2.0 * m / (beta + (m - 1) * lambda_1)
