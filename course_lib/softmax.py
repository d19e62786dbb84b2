r"""Softmax and the cross-entropy loss, computed without overflow or underflow.

A classifier with :math:`K` classes outputs a vector of *logits* :math:`z \in \mathbb{R}^K`; the
softmax turns it into a probability vector, and the cross-entropy loss of the label :math:`y`
is minus the log of the probability given to that label:

.. math::

    \mu(z)_j = \frac{e^{z_j}}{\sum_{i=1}^{K} e^{z_i}}, \qquad
    \ell_{CE}(z, y) = -\log \mu(z)_y = \log\sum_{i=1}^{K} e^{z_i} - z_y .

Every :math:`\mu(z)_j` lies strictly between 0 and 1 (when :math:`K \ge 2`), so the loss is
strictly positive and finite for finite logits; it tends to 0 only in the limit. Along the
one-hot direction :math:`z = \lambda e_y`,

.. math::

    \ell_{CE}(\lambda e_y, y) = \log\bigl(1 + (K-1)\,e^{-\lambda}\bigr)
    \;\longrightarrow\; 0 \quad (\lambda \to \infty),

so the loss can be driven towards 0 only by letting the logits grow without bound.

Computed literally, :math:`e^{z}` overflows for :math:`z \gtrsim 709` in float64 (88 in float32)
and :math:`\log \mu` underflows to :math:`\log 0 = -\infty`. Both are avoided by subtracting the
maximum logit first (the log-sum-exp trick), which changes nothing mathematically. This module
implements the softmax and log-softmax along any axis, the mean cross-entropy of a batch and its
gradient, and the one-hot loss above with full relative accuracy.

All functions validate their arguments first and raise :class:`ValueError` with a message that
names the offending argument.
"""

import math

import numpy as np
import numpy.typing as npt

__all__ = [  # noqa: RUF022 (the order of the contract in COURSE.md, not alphabetical)
    "softmax",
    "log_softmax",
    "cross_entropy",
    "cross_entropy_grad",
    "scaled_onehot_ce",
]


def _as_float_array(z: npt.ArrayLike, name: str, *, ndim: int | None = None) -> np.ndarray:
    r"""Validate finite real logits; return them as an array of a float dtype.

    float32 and float64 arrays keep their dtype; other real input (ints, bools, lists, float16)
    becomes float64. The array must have at least one dimension (exactly ``ndim`` when given)
    and only finite entries.
    """
    array = np.asarray(z)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be an array of real numbers, got {name}={z!r}")
    if array.dtype not in (np.float32, np.float64):
        array = array.astype(np.float64)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got {name} of shape {array.shape}")
    if array.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension, got {name}={z!r}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (no nan or inf), got {name}={z!r}")
    return array


def _check_axis(axis: object, z: np.ndarray) -> int:
    r"""Return ``axis`` as a non-negative axis of ``z`` with at least one entry along it."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"axis must be an integer, got axis={axis!r}")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be in [-{z.ndim}, {z.ndim}) for z.ndim={z.ndim}, got {axis=}")
    axis = int(axis) % z.ndim
    if z.shape[axis] == 0:
        raise ValueError(f"axis must index a non-empty axis of z, got {axis=}, z.shape={z.shape}")
    return axis


def _as_int_array(
    value: npt.ArrayLike,
    name: str,
    *,
    low: int,
    high: int | None = None,
    shape: tuple[int, ...] | None = None,
) -> np.ndarray:
    r"""Validate integers in :math:`[\text{low}, \text{high})`; return them as an int64 array.

    Integer arrays, lists of ints and floats with integral values are accepted; bools, other
    floats, and anything else are rejected. With ``shape`` given, the array must have it.
    """
    array = np.asarray(value)
    if array.dtype.kind == "f" and np.all(np.abs(array) < 2.0**62) and np.all(array % 1 == 0):
        array = array.astype(np.int64)
    if array.dtype.kind not in "iu":
        raise ValueError(f"{name} must be integers, got {name}={value!r}")
    if shape is not None and array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {name} of shape {array.shape}")
    below = array < low
    above = array >= high if high is not None else np.zeros(array.shape, dtype=bool)
    if np.any(below | above):
        bad = array[below | above].ravel()[0]
        interval = f"[{low}, {high})" if high is not None else f"[{low}, inf)"
        raise ValueError(f"{name} must be in {interval}, got {name}={value!r} (entry {bad})")
    return array.astype(np.int64)


def softmax(z: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Softmax of the logits ``z`` along ``axis``, stable for logits of any finite size.

    Parameters
    ----------
    z : array_like
        Finite real logits with at least one dimension.
    axis : int, optional
        Axis along which the probabilities sum to 1 (negative values count from the end).
        Default -1, the last axis.

    Returns
    -------
    numpy.ndarray
        Array of the shape of ``z``, entries in :math:`[0, 1]` summing to 1 along ``axis``;
        float32 for float32 input, else float64.

    Raises
    ------
    ValueError
        If ``z`` is not real, is 0-d, or has a nan or inf entry; if ``axis`` is not an integer,
        is out of range, or has length 0.

    Notes
    -----
    For every constant :math:`c`,

    .. math::

        \mu(z)_j = \frac{e^{z_j}}{\sum_i e^{z_i}} = \frac{e^{z_j - c}}{\sum_i e^{z_i - c}},

    because the factor :math:`e^{-c}` cancels. Choosing :math:`c = \max_i z_i` makes every
    exponent :math:`\le 0`, so nothing overflows, and the largest term is exactly
    :math:`e^0 = 1`, so the denominator lies in :math:`[1, K]` and is never 0. Without the shift,
    ``exp(1000.0)`` is ``inf`` and the result ``inf / inf = nan``. Entries far below the maximum
    underflow to 0, which is their value to working precision.

    Examples
    --------
    >>> softmax([1000.0, 1000.0])  # a naive exp would give inf / inf = nan
    array([0.5, 0.5])
    >>> softmax(np.array([[0.0, np.log(3.0)]]), axis=1)
    array([[0.25, 0.75]])
    """
    z = _as_float_array(z, "z")
    axis = _check_axis(axis, z)
    shifted = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


def log_softmax(z: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Logarithm of the softmax of ``z`` along ``axis``, by the log-sum-exp trick.

    Parameters
    ----------
    z : array_like
        Finite real logits with at least one dimension.
    axis : int, optional
        Axis along which to normalize (negative values count from the end). Default -1.

    Returns
    -------
    numpy.ndarray
        Array of the shape of ``z`` with entries :math:`\le 0`, finite for finite ``z``;
        float32 for float32 input, else float64.

    Raises
    ------
    ValueError
        If ``z`` is not real, is 0-d, or has a nan or inf entry; if ``axis`` is not an integer,
        is out of range, or has length 0.

    Notes
    -----
    With :math:`m = \max_i z_i`,

    .. math::

        \log\mu(z)_j = z_j - \log\sum_i e^{z_i}
        = (z_j - m) - \log\sum_i e^{z_i - m} .

    The sum contains the term :math:`e^0 = 1` and :math:`K - 1` terms in :math:`[0, 1]`, so its
    logarithm lies in :math:`[0, \log K]`: neither overflow nor :math:`\log 0` can occur, and
    the result is finite. Computing ``log(softmax(z))`` instead fails where a probability
    underflows: :math:`\mu([1000, 0])_2 = e^{-1000}` is 0 in floating point, and its log is
    :math:`-\infty` instead of :math:`-1000`.

    Examples
    --------
    >>> log_softmax([1000.0, 0.0])
    array([    0., -1000.])
    >>> log_softmax([0.0, -200.0])
    array([   0., -200.])
    """
    z = _as_float_array(z, "z")
    axis = _check_axis(axis, z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def cross_entropy(logits: npt.ArrayLike, y: npt.ArrayLike) -> float:
    r"""Mean cross-entropy loss of a batch of logits against integer labels.

    Parameters
    ----------
    logits : array_like
        Finite real logits of shape ``(B, K)``: ``B >= 1`` examples, ``K >= 1`` classes.
    y : array_like
        Integer labels of shape ``(B,)`` with values in ``[0, K)`` (floats are accepted only
        if they are whole numbers).

    Returns
    -------
    float
        :math:`\frac{1}{B}\sum_{i} -\log\mu(z_i)_{y_i}`, which is :math:`\ge 0` (and :math:`> 0`
        mathematically when :math:`K \ge 2`).

    Raises
    ------
    ValueError
        If ``logits`` is not a finite real 2-D array with ``B >= 1`` and ``K >= 1``, or if ``y``
        is not integer-valued, does not have shape ``(B,)``, or has a label outside ``[0, K)``.

    Notes
    -----
    .. math::

        L(z, y) = \frac{1}{B}\sum_{i=1}^{B} \ell_{CE}(z_i, y_i), \qquad
        \ell_{CE}(z_i, y_i) = -\log\mu(z_i)_{y_i}
        = \log\sum_{j} e^{z_{ij}} - z_{i y_i} .

    The log-probabilities come from :func:`log_softmax`, so the loss is finite even when the
    predicted probability of the label underflows to 0. Each term is exactly :math:`\ge 0` in
    floating point too: :math:`z_{iy_i} - m_i \le 0` and the shifted sum is :math:`\ge 1`.
    The computation runs in the dtype of ``logits`` (float32 stays float32).

    Examples
    --------
    Uniform logits give :math:`\log K`:

    >>> print(f"{cross_entropy(np.zeros((2, 4)), [0, 3]):.12f} {math.log(4):.12f}")
    1.386294361120 1.386294361120
    """
    logits = _as_float_array(logits, "logits", ndim=2)
    n_batch, n_classes = logits.shape
    if n_batch == 0 or n_classes == 0:
        raise ValueError(f"logits must have B >= 1 rows and K >= 1 columns, got {logits.shape}")
    y = _as_int_array(y, "y", low=0, high=n_classes, shape=(n_batch,))
    picked = log_softmax(logits, axis=1)[np.arange(n_batch), y]
    # 0.0 - mean rather than -mean: a loss of exactly 0 is returned as 0.0, not -0.0.
    return 0.0 - float(np.mean(picked))


def cross_entropy_grad(logits: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`cross_entropy` with respect to the logits.

    Parameters
    ----------
    logits : array_like
        Finite real logits of shape ``(B, K)``, ``B >= 1``, ``K >= 1``.
    y : array_like
        Integer labels of shape ``(B,)`` with values in ``[0, K)``.

    Returns
    -------
    numpy.ndarray
        Array of shape ``(B, K)``, :math:`(\mu(z_i) - e_{y_i})/B` in row :math:`i`; each row sums
        to 0. float32 for float32 logits, else float64.

    Raises
    ------
    ValueError
        Under the same conditions as :func:`cross_entropy`.

    Notes
    -----
    Differentiating :math:`\ell_{CE}(z, y) = \log\sum_j e^{z_j} - z_y` gives

    .. math::

        \frac{\partial \ell_{CE}}{\partial z_j}
        = \frac{e^{z_j}}{\sum_i e^{z_i}} - [j = y] = \mu(z)_j - [j = y],

    and the mean over the batch contributes the factor :math:`1/B`. The rows sum to 0 because
    the softmax sums to 1: adding a constant to a row of logits does not change the loss.
    The gradient is bounded (entries in :math:`[-1/B, 1/B]`), so the softmax computed with the
    max shift is all that stability requires.

    Examples
    --------
    >>> cross_entropy_grad(np.zeros((1, 4)), [2])
    array([[ 0.25,  0.25, -0.75,  0.25]])
    """
    logits = _as_float_array(logits, "logits", ndim=2)
    n_batch, n_classes = logits.shape
    if n_batch == 0 or n_classes == 0:
        raise ValueError(f"logits must have B >= 1 rows and K >= 1 columns, got {logits.shape}")
    y = _as_int_array(y, "y", low=0, high=n_classes, shape=(n_batch,))
    grad = softmax(logits, axis=1)
    grad[np.arange(n_batch), y] -= 1
    return grad / logits.dtype.type(n_batch)


def scaled_onehot_ce(lam: float, y: int, k: int) -> float:
    r"""Cross-entropy :math:`\ell_{CE}(\lambda e_y, y)` of a scaled one-hot logit vector.

    Parameters
    ----------
    lam : float
        The scale :math:`\lambda`; a finite real number.
    y : int
        The label, an integer in ``[0, k)``. By symmetry the value does not depend on it.
    k : int
        Number of classes, an integer ``>= 2``.

    Returns
    -------
    float
        :math:`\log(1 + (k-1)e^{-\lambda})`, with relative error of a few units in the last
        place (below 1e-10 relative) for :math:`\lambda \in [-50, 700]` and well beyond.

    Raises
    ------
    ValueError
        If ``lam`` is not a finite real scalar, ``k`` is not an integer ``>= 2``, or ``y`` is not
        an integer in ``[0, k)``.

    Notes
    -----
    The logits are :math:`\lambda` at position :math:`y` and 0 at the :math:`k - 1` others, so

    .. math::

        \ell_{CE}(\lambda e_y, y) = -\log\frac{e^{\lambda}}{e^{\lambda} + k - 1}
        = \log\bigl(1 + (k-1)e^{-\lambda}\bigr)
        = -\lambda + \log(k-1) + \log\Bigl(1 + \frac{e^{\lambda}}{k-1}\Bigr).

    The value is :math:`\log k` at :math:`\lambda = 0`, decreases to 0 like
    :math:`(k-1)e^{-\lambda}` as :math:`\lambda \to \infty` and grows like :math:`-\lambda` as
    :math:`\lambda \to -\infty`. Two forms keep full relative accuracy:

    * :math:`\lambda \ge 0`: :math:`t = (k-1)e^{-\lambda} \le k - 1` and ``log1p(t)`` is
      accurate even when :math:`t` is far below the machine epsilon, where
      ``log(1 + t)`` would return 0 (at :math:`k = 10`, :math:`\lambda = 50` the loss is
      :math:`1.7\times 10^{-21}`). Past :math:`\lambda = 700`, :math:`t` is formed as
      :math:`((k-1)\,e^{-\lambda/2})\,e^{-\lambda/2}`, because :math:`e^{-\lambda}` alone
      becomes subnormal (and loses digits) past :math:`\lambda \approx 708` while :math:`t`
      may not yet be.
    * :math:`\lambda < 0`: :math:`(k-1)e^{-\lambda}` would overflow below
      :math:`\lambda \approx -709`; the second form is a sum of three non-negative terms, each
      accurate, so it has no cancellation.

    Examples
    --------
    >>> scaled_onehot_ce(50.0, 0, 10)  # 9 e^{-50}; log(1 + t) would give 0.0
    1.735874863167526e-21
    >>> print(f"{scaled_onehot_ce(0.0, 1, 10):.12f} {math.log(10):.12f}")
    2.302585092994 2.302585092994
    """
    lam_array = np.asarray(lam)
    if lam_array.ndim != 0 or lam_array.dtype.kind not in "iuf":
        raise ValueError(f"lam must be a real scalar, got lam={lam!r}")
    lam = float(lam_array)
    if not math.isfinite(lam):
        raise ValueError(f"lam must be finite, got lam={lam!r}")
    k = int(_as_int_array(k, "k", low=2, shape=()))
    _as_int_array(y, "y", low=0, high=k, shape=())
    if 0.0 <= lam <= 700.0:
        return math.log1p((k - 1) * math.exp(-lam))
    if lam > 700.0:  # e^{-lam} alone is subnormal past 708: split it so that only t can be
        half = math.exp(-0.5 * lam)
        return math.log1p((k - 1) * half * half)
    return -lam + math.log(k - 1) + math.log1p(math.exp(lam) / (k - 1))
