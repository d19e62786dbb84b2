r"""Activation functions: softplus, sigmoid and tanh, and dead ReLU units under gradient descent.

The logistic sigmoid :math:`\sigma(z) = 1/(1 + e^{-z})` ties the smooth activations together:

.. math::

    \operatorname{softplus}(z) = \ln(1 + e^{z}), \qquad
    \operatorname{softplus}'(z) = \sigma(z), \qquad
    \operatorname{softplus}''(z) = \sigma(z)\,(1 - \sigma(z)) \le \tfrac14, \qquad
    \tanh(z) = 2\sigma(2z) - 1 .

So softplus has a Lipschitz derivative (constant :math:`1/4`), while ReLU, whose derivative jumps
at 0, does not; and a tanh network is a sigmoid network with rescaled weights and shifted biases.

A ReLU unit :math:`\max(0, w\cdot x + b)` is *dead* on a data set when its pre-activation is
:math:`\le 0` at every point: its output and its derivative are then 0 everywhere on the data,
gradient descent never changes its incoming weights, and it stays dead. A leaky ReLU (slope
:math:`\alpha > 0` for negative inputs) still passes gradient, so a dead unit can revive. With
zero biases and weights drawn from a symmetric distribution, each unit of a width-:math:`n`
layer is inactive at a given input with probability :math:`1/2`, independently, so a depth
:math:`L` ReLU network is alive at one input with probability :math:`(1 - 2^{-n})^{L}`.

This module implements stable softplus, its second derivative, tanh through the sigmoid, the
exact conversion of a tanh MLP into a sigmoid MLP, the detection of dead ReLU units, and
full-batch gradient descent for a two-layer (leaky) ReLU network.

All functions validate their arguments first and raise :class:`ValueError` with a message that
names the offending argument.
"""

import numpy as np
import numpy.typing as npt

__all__ = [  # noqa: RUF022 (the order of the contract in COURSE.md, not alphabetical)
    "softplus",
    "softplus_second_derivative",
    "tanh_from_sigmoid",
    "tanh_to_sigmoid_mlp",
    "dead_relu_units",
    "gd_two_layer",
]


def _as_real(
    value: npt.ArrayLike, name: str, *, ndim: int | None = None, finite: bool = True
) -> np.ndarray:
    r"""Convert ``value`` to a float64 array, checking its number of axes and finiteness.

    ``name`` is the argument's name for the error message; ``ndim`` (if given) is the required
    number of axes (0 for a scalar); ``finite`` rejects nan and infinities. Always returns a new
    array, so the caller may keep it without aliasing its input.
    """
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be real numbers, got {name}={value!r}") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} axes, got {name} with shape {array.shape} ({name}={value!r})"
        )
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {name}={value!r}")
    return array


def _sigmoid(z: np.ndarray) -> np.ndarray:
    r"""Logistic sigmoid :math:`1/(1 + e^{-z})` that never overflows.

    With :math:`e = e^{-|z|} \in [0, 1]`, :math:`\sigma(z) = 1/(1 + e)` for :math:`z \ge 0` and
    :math:`e/(1 + e)` for :math:`z < 0`: the exponential is only ever taken of a non-positive
    number.
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _leaky_relu(z: np.ndarray, slope: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Leaky ReLU and the derivative used by gradient descent, both elementwise.

    :math:`\phi(z) = z` for :math:`z > 0` and :math:`\alpha z` for :math:`z \le 0`;
    :math:`\phi'(z) = 1` for :math:`z > 0` and :math:`\alpha` for :math:`z \le 0` (so
    :math:`\phi'(0) = \alpha`, and a plain ReLU, :math:`\alpha = 0`, has :math:`\phi'(0) = 0`).
    """
    positive = z > 0
    return np.where(positive, z, slope * z), np.where(positive, 1.0, slope)


def softplus(z: npt.ArrayLike) -> np.ndarray:
    r"""Softplus :math:`\ln(1 + e^{z})`, computed without overflow.

    Parameters
    ----------
    z : array_like
        Real points; :math:`\pm\infty` are allowed (softplus is :math:`\infty` and 0 there).

    Returns
    -------
    numpy.ndarray
        Float64 array of the shape of ``z``.

    Raises
    ------
    ValueError
        If ``z`` is not real.

    Notes
    -----
    Factoring out the larger of :math:`1` and :math:`e^{z}`,

    .. math::

        \operatorname{softplus}(z) = \ln(1 + e^{z}) = \max(z, 0) + \ln\!\bigl(1 + e^{-|z|}\bigr),

    the same identity as ``np.logaddexp(0, z)``. The naive formula overflows for
    :math:`z > 709` (``exp(710)`` is ``inf``); here the exponential is of :math:`-|z| \le 0`, in
    :math:`(0, 1]`, and ``log1p`` keeps full relative accuracy when it is tiny (so
    :math:`\operatorname{softplus}(z) \approx e^{z}` is exact to rounding for very negative
    :math:`z`). Softplus is a smooth ReLU: :math:`0 < \operatorname{softplus}(z) - \max(z, 0)
    \le \ln 2`, with equality at 0, and its derivative is the sigmoid :math:`\sigma(z)`.

    Examples
    --------
    >>> softplus([0.0, 1e4, -1e4])  # ln 2, then z + ln(1 + e^-z) = z, then ~e^z = 0
    array([6.93147181e-01, 1.00000000e+04, 0.00000000e+00])
    """
    z = _as_real(z, "z", finite=False)
    values = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    return np.asarray(values, dtype=np.float64)


def softplus_second_derivative(z: npt.ArrayLike) -> np.ndarray:
    r"""Second derivative of softplus, :math:`\sigma(z)(1 - \sigma(z))`, computed stably.

    Parameters
    ----------
    z : array_like
        Real points; :math:`\pm\infty` are allowed (the value there is 0).

    Returns
    -------
    numpy.ndarray
        Float64 array of the shape of ``z``, with values in :math:`[0, 1/4]`.

    Raises
    ------
    ValueError
        If ``z`` is not real.

    Notes
    -----
    Differentiating :math:`\operatorname{softplus}'(z) = \sigma(z) = 1/(1 + e^{-z})`,

    .. math::

        \operatorname{softplus}''(z) = \sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2}
        = \sigma(z)\,(1 - \sigma(z)) = \frac{e^{-|z|}}{(1 + e^{-|z|})^2} .

    The last form (the function is even) never overflows. Since :math:`s(1-s) \le 1/4` for
    :math:`s \in [0, 1]`, with equality only at :math:`s = 1/2`, i.e. :math:`z = 0`, the
    maximum is :math:`\operatorname{softplus}''(0) = 1/4`. By the mean value theorem,
    :math:`|\sigma(x) - \sigma(y)| \le \tfrac14 |x - y|`: the derivative of softplus is
    Lipschitz with constant :math:`1/4`, and :math:`1/4` is the best constant. ReLU has no
    such property: its derivative jumps from 0 to 1 at the origin.

    Examples
    --------
    >>> softplus_second_derivative([0.0, 1e4])
    array([0.25, 0.  ])
    """
    z = _as_real(z, "z", finite=False)
    e = np.exp(-np.abs(z))
    return np.asarray(e / (1.0 + e) ** 2, dtype=np.float64)


def tanh_from_sigmoid(z: npt.ArrayLike) -> np.ndarray:
    r"""Hyperbolic tangent written through the sigmoid: :math:`2\sigma(2z) - 1`.

    Parameters
    ----------
    z : array_like
        Real points; :math:`\pm\infty` are allowed (the value there is :math:`\pm 1`).

    Returns
    -------
    numpy.ndarray
        Float64 array of the shape of ``z``, equal to ``np.tanh(z)`` to a few 1e-16 absolute.

    Raises
    ------
    ValueError
        If ``z`` is not real.

    Notes
    -----
    Multiplying numerator and denominator of :math:`\tanh` by :math:`e^{-z}`,

    .. math::

        \tanh(z) = \frac{1 - e^{-2z}}{1 + e^{-2z}}
        = \frac{1}{1 + e^{-2z}} - \frac{e^{-2z}}{1 + e^{-2z}}
        = \sigma(2z) - (1 - \sigma(2z)) = 2\sigma(2z) - 1 .

    So tanh is a sigmoid stretched by 2 horizontally and vertically and shifted down by 1; this
    is what makes tanh and sigmoid networks equivalent (see :func:`tanh_to_sigmoid_mlp`). The
    sigmoid is evaluated as :math:`1/(1 + e^{-|u|})` or :math:`e^{-|u|}/(1 + e^{-|u|})`, which
    never overflows.

    Examples
    --------
    >>> tanh_from_sigmoid([0.0, 1.0, -1e4])
    array([ 0.        ,  0.76159416, -1.        ])
    """
    z = _as_real(z, "z", finite=False)
    with np.errstate(over="ignore"):  # 2 z = +-inf for |z| > 9e307 is harmless here.
        values = 2.0 * _sigmoid(2.0 * z) - 1.0
    return np.asarray(values, dtype=np.float64)


def tanh_to_sigmoid_mlp(
    weights: list[npt.ArrayLike], biases: list[npt.ArrayLike]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    r"""Parameters of a sigmoid MLP that computes exactly the same function as a tanh MLP.

    Parameters
    ----------
    weights : list of array_like
        Weight matrices :math:`W_1, \dots, W_L` (at least one), :math:`W_l` of shape
        ``(n_l, n_{l-1})``, so that ``weights[l].shape[1] == weights[l-1].shape[0]``; finite.
    biases : list of array_like
        Bias vectors :math:`b_1, \dots, b_L`, :math:`b_l` of shape ``(n_l,)``; finite.

    Returns
    -------
    weights2, biases2 : tuple of (list of numpy.ndarray, list of numpy.ndarray)
        New float64 arrays of the same shapes for the network with :math:`\sigma` on the hidden
        layers and a linear output layer. The inputs are not modified.

    Raises
    ------
    ValueError
        If ``weights`` or ``biases`` is not a non-empty list (or tuple), if they have different
        lengths, or if a matrix or vector is not finite or has a shape that does not chain.

    Notes
    -----
    The tanh network is :math:`a_0 = x`, :math:`a_l = \tanh(W_l a_{l-1} + b_l)` for
    :math:`l = 1, \dots, L-1`, and output :math:`W_L a_{L-1} + b_L`. Using
    :math:`\tanh(u) = 2\sigma(2u) - 1` we look for a sigmoid network
    :math:`s_l = \sigma(W_l' s_{l-1} + b_l')`, :math:`s_0 = x`, with :math:`a_l = 2 s_l - 1` on
    every hidden layer. On the first layer, :math:`a_1 = 2\sigma(2W_1 x + 2b_1) - 1`. A later
    layer receives :math:`a_{l-1} = 2 s_{l-1} - 1`, so its pre-activation is

    .. math::

        W_l a_{l-1} + b_l = 2 W_l\, s_{l-1} + (b_l - W_l \mathbf{1}),

    where :math:`W_l\mathbf{1}` is the vector of row sums. A hidden layer needs the factor 2 of
    :math:`\tanh(u) = 2\sigma(2u) - 1` once more, the linear output layer does not:

    .. math::

        W_1' = 2W_1,\quad b_1' = 2b_1; \qquad
        W_l' = 4W_l,\quad b_l' = 2(b_l - W_l\mathbf{1}) \quad (2 \le l \le L-1); \qquad
        W_L' = 2W_L,\quad b_L' = b_L - W_L\mathbf{1} \quad (L \ge 2).

    With :math:`L = 1` there is no hidden layer, the network is affine, and copies of the
    parameters are returned. The converse also holds (:math:`\sigma(u) = (1 + \tanh(u/2))/2`),
    so the two activations give the same class of functions; they differ only in how the
    parameters are scaled, which matters for initialization and training.

    Examples
    --------
    >>> w2, b2 = tanh_to_sigmoid_mlp([[[1.0, -2.0]], [[3.0]]], [[0.5], [1.0]])
    >>> w2[0], b2[0], w2[1], b2[1]
    (array([[ 2., -4.]]), array([1.]), array([[6.]]), array([-2.]))
    """
    for name, params in (("weights", weights), ("biases", biases)):
        if not isinstance(params, list | tuple) or len(params) == 0:
            raise ValueError(f"{name} must be a non-empty list of arrays, got {name}={params!r}")
    if len(biases) != len(weights):
        raise ValueError(
            f"biases must have one vector per layer, got len(biases)={len(biases)} "
            f"for len(weights)={len(weights)}"
        )
    mats = [_as_real(w, f"weights[{k}]", ndim=2) for k, w in enumerate(weights)]
    vecs = [_as_real(b, f"biases[{k}]", ndim=1) for k, b in enumerate(biases)]
    for layer, (mat, vec) in enumerate(zip(mats, vecs, strict=True)):
        if layer > 0 and mat.shape[1] != mats[layer - 1].shape[0]:
            raise ValueError(
                f"weights[{layer}] must have {mats[layer - 1].shape[0]} columns (the width of "
                f"layer {layer - 1}), got weights[{layer}] with shape {mat.shape}"
            )
        if vec.shape != (mat.shape[0],):
            raise ValueError(
                f"biases[{layer}] must have shape ({mat.shape[0]},) to match "
                f"weights[{layer}], got biases[{layer}] with shape {vec.shape}"
            )

    n_layers = len(mats)
    if n_layers == 1:
        return mats, vecs
    weights2, biases2 = [2.0 * mats[0]], [2.0 * vecs[0]]
    for layer in range(1, n_layers):
        mat, vec = mats[layer], vecs[layer]
        # The input of this layer is a = 2 s - 1: W a + b = 2 W s + (b - W 1).
        scaled, shifted = 2.0 * mat, vec - mat.sum(axis=1)
        if layer < n_layers - 1:  # hidden: tanh(u) = 2 sigma(2 u) - 1 doubles u once more.
            scaled, shifted = 2.0 * scaled, 2.0 * shifted
        weights2.append(scaled)
        biases2.append(shifted)
    return weights2, biases2


def dead_relu_units(W: npt.ArrayLike, b: npt.ArrayLike, X: npt.ArrayLike) -> np.ndarray:
    r"""Mask of the ReLU units that are inactive on every data point.

    Parameters
    ----------
    W : array_like
        Weight matrix of the hidden layer, shape ``(H, d)``; finite.
    b : array_like
        Biases, shape ``(H,)``; finite.
    X : array_like
        Data, one point per row, shape ``(N, d)``; finite.

    Returns
    -------
    numpy.ndarray
        Boolean array of shape ``(H,)``, True where unit :math:`h` is dead. With ``N == 0`` every
        unit is (vacuously) dead.

    Raises
    ------
    ValueError
        If an argument is not a finite real array of the right number of axes, or if the
        shapes of ``b`` or ``X`` do not match ``W``.

    Notes
    -----
    Unit :math:`h` is dead on the data :math:`x_1, \dots, x_N` when

    .. math::

        w_h \cdot x_i + b_h \le 0 \quad \text{for every } i = 1, \dots, N .

    Then :math:`\operatorname{ReLU}(w_h \cdot x_i + b_h) = 0` and, with the convention
    :math:`\operatorname{ReLU}'(0) = 0`, its derivative is 0 at every data point, so every
    gradient through the unit vanishes and gradient descent leaves :math:`w_h` and :math:`b_h`
    unchanged: a dead unit stays dead (see :func:`gd_two_layer`). A unit sitting exactly at 0
    on all points counts as dead; one positive pre-activation anywhere makes it alive.

    Examples
    --------
    >>> dead_relu_units([[1.0], [-1.0], [0.0]], [0.0, -1.0, 0.0], [[0.5], [2.0]])
    array([False,  True,  True])
    """
    W = _as_real(W, "W", ndim=2)
    b = _as_real(b, "b", ndim=1)
    X = _as_real(X, "X", ndim=2)
    if b.shape != (W.shape[0],):
        raise ValueError(f"b must have shape ({W.shape[0]},) to match W, got b.shape={b.shape}")
    if X.shape[1] != W.shape[1]:
        raise ValueError(f"X must have {W.shape[1]} columns to match W, got X.shape={X.shape}")
    pre_activations = X @ W.T + b  # (N, H)
    return np.asarray(np.all(pre_activations <= 0.0, axis=0), dtype=bool)


def gd_two_layer(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    W: npt.ArrayLike,
    b: npt.ArrayLike,
    v: npt.ArrayLike,
    c: float,
    lr: float,
    steps: int,
    negative_slope: float = 0.0,
) -> dict[str, np.ndarray | float]:
    r"""Full-batch gradient descent on the squared loss of a two-layer (leaky) ReLU network.

    Parameters
    ----------
    X : array_like
        Inputs, shape ``(N, d)`` with ``N >= 1``; finite.
    y : array_like
        Targets, shape ``(N,)``; finite.
    W : array_like
        Hidden weights, shape ``(H, d)``; finite.
    b : array_like
        Hidden biases, shape ``(H,)``; finite.
    v : array_like
        Output weights, shape ``(H,)``; finite.
    c : float
        Output bias; finite.
    lr : float
        Step size; finite and > 0.
    steps : int
        Number of gradient steps; an integer >= 0.
    negative_slope : float, optional
        Slope :math:`\alpha \ge 0` of the activation for negative inputs; 0 (the default) is
        ReLU.

    Returns
    -------
    dict
        ``{"W": ..., "b": ..., "v": ..., "c": ...}`` after ``steps`` steps: new float64 arrays
        of the input shapes and a Python float. The inputs are not modified.

    Raises
    ------
    ValueError
        If an array is not finite or has the wrong shape, ``c`` is not a finite scalar, ``lr``
        is not > 0, ``steps`` is not an integer >= 0, or ``negative_slope`` is not >= 0.

    Notes
    -----
    The model and loss are

    .. math::

        f(x) = v \cdot \phi(Wx + b) + c, \qquad
        \mathcal{L} = \frac{1}{2N}\sum_{i=1}^{N} (f(x_i) - y_i)^2,

    with :math:`\phi(z) = z` for :math:`z > 0`, :math:`\alpha z` for :math:`z \le 0`, and the
    derivative convention :math:`\phi'(z) = 1` for :math:`z > 0`, :math:`\alpha` for
    :math:`z \le 0` (so :math:`\phi'(0) = \alpha`). With :math:`Z = XW^\top + b` (shape
    ``(N, H)``) and residuals :math:`r = f(X) - y`, the chain rule gives

    .. math::

        \frac{\partial\mathcal{L}}{\partial c} = \frac{1}{N}\sum_i r_i, \qquad
        \frac{\partial\mathcal{L}}{\partial v} = \frac{1}{N}\phi(Z)^\top r, \qquad
        G = \frac{1}{N}\,(r v^\top) \odot \phi'(Z), \qquad
        \frac{\partial\mathcal{L}}{\partial W} = G^\top X, \qquad
        \frac{\partial\mathcal{L}}{\partial b} = G^\top \mathbf{1},

    and each step updates all four parameters from the same iterate,
    :math:`\theta \leftarrow \theta - \eta\,\nabla_\theta\mathcal{L}`.

    If unit :math:`h` is dead (:math:`Z_{ih} \le 0` for all :math:`i`, see
    :func:`dead_relu_units`) and :math:`\alpha = 0`, column :math:`h` of :math:`\phi'(Z)` and of
    :math:`\phi(Z)` is zero, so the gradients for :math:`w_h`, :math:`b_h` and :math:`v_h` are
    exactly zero: the unit never changes and stays dead forever. With :math:`\alpha > 0` the
    gradient :math:`\alpha\, v_h \sum_i r_i x_i / N` is generally nonzero, so the unit moves
    and can revive.

    Examples
    --------
    A unit that is dead on the data keeps its weights under ReLU, but not under leaky ReLU:

    >>> X, y = [[1.0], [2.0]], [1.0, 2.0]
    >>> W, b, v = [[1.0], [-1.0]], [0.0, -0.5], [1.0, 1.0]
    >>> gd_two_layer(X, y, W, b, v, 0.0, lr=0.1, steps=5)["W"][1]
    array([-1.])
    >>> bool(gd_two_layer(X, y, W, b, v, 0.0, lr=0.1, steps=5, negative_slope=0.1)["W"][1] > -1)
    True
    """
    X = _as_real(X, "X", ndim=2)
    y = _as_real(y, "y", ndim=1)
    W = _as_real(W, "W", ndim=2)
    b = _as_real(b, "b", ndim=1)
    v = _as_real(v, "v", ndim=1)
    c = float(_as_real(c, "c", ndim=0))
    lr_value = float(_as_real(lr, "lr", ndim=0))
    slope = float(_as_real(negative_slope, "negative_slope", ndim=0))
    n_samples, n_hidden = X.shape[0], W.shape[0]
    if n_samples == 0:
        raise ValueError(f"X must have at least one row, got X.shape={X.shape}")
    if y.shape != (n_samples,):
        raise ValueError(f"y must have shape ({n_samples},) to match X, got y.shape={y.shape}")
    if W.shape[1] != X.shape[1]:
        raise ValueError(f"W must have {X.shape[1]} columns to match X, got W.shape={W.shape}")
    if b.shape != (n_hidden,):
        raise ValueError(f"b must have shape ({n_hidden},) to match W, got b.shape={b.shape}")
    if v.shape != (n_hidden,):
        raise ValueError(f"v must have shape ({n_hidden},) to match W, got v.shape={v.shape}")
    if lr_value <= 0:
        raise ValueError(f"lr must be > 0, got lr={lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got steps={steps!r}")
    if slope < 0:
        raise ValueError(f"negative_slope must be >= 0, got negative_slope={negative_slope!r}")

    for _ in range(int(steps)):
        Z = X @ W.T + b  # (N, H)
        hidden, slopes = _leaky_relu(Z, slope)
        r = hidden @ v + c - y  # (N,)
        grad_Z = np.outer(r, v) * slopes / n_samples  # (N, H)
        grad_W, grad_b = grad_Z.T @ X, grad_Z.sum(axis=0)
        grad_v, grad_c = hidden.T @ r / n_samples, float(np.mean(r))
        W, b = W - lr_value * grad_W, b - lr_value * grad_b
        v, c = v - lr_value * grad_v, c - lr_value * grad_c
    return {"W": W, "b": b, "v": v, "c": float(c)}
