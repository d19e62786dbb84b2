r"""The transition to linearity of wide networks (Liu, Zhu and Belkin, NeurIPS 2020).

Fix an input :math:`x` and look at a two-layer network as a function of its weights
:math:`\theta = (v, w) \in \mathbb{R}^{2m}`,

.. math::

    f(\theta) = \frac{1}{\sqrt m}\sum_{i=1}^m v_i\,\sigma(w_i x)
    = \frac{1}{\sqrt m}\sum_{i=1}^m g_i(\theta_i), \qquad \theta_i = (v_i, w_i).

Taylor's theorem around the initialization :math:`\theta_0` splits it into a linear part and a
Lagrange remainder,

.. math::

    f(\theta) = \underbrace{f(\theta_0) + \nabla f(\theta_0)\cdot(\theta - \theta_0)}_{f_{lin}}
    + \tfrac12(\theta - \theta_0)^\top H(\xi)\,(\theta - \theta_0).

Two observations make the remainder small. *Assembly*: :math:`f` is a scaled sum of sub-models,
so :math:`H = m^{-1/2}\sum_i H_{g_i}`. *Independence*: the sub-models share no weights, so
:math:`H` is block diagonal, one :math:`2\times 2` block per neuron,

.. math::

    H_i = \begin{pmatrix} 0 & a_i \\ a_i & b_i \end{pmatrix}, \qquad
    a_i = \frac{\sigma'(w_i x)\,x}{\sqrt m}, \qquad
    b_i = \frac{v_i\,\sigma''(w_i x)\,x^2}{\sqrt m},

with eigenvalues :math:`\tfrac12\bigl(b_i \pm \sqrt{b_i^2 + 4a_i^2}\bigr)`. The spectral norm
is the largest of :math:`\tfrac12\bigl(|b_i| + \sqrt{b_i^2 + 4a_i^2}\bigr)` over the neurons:
:math:`O(1/\sqrt m)` when :math:`|v_i|` stays bounded. The Frobenius norm,
:math:`\bigl(\sum_i 2a_i^2 + b_i^2\bigr)^{1/2}`, sums :math:`m` terms of size :math:`1/m` and
stays of order 1. So :math:`|f - f_{lin}| \le \tfrac12\,\sup\|H\|\,R^2 = O(R^2/\sqrt m)` on a
ball of radius :math:`R`: the wider the network, the more linear it is in its weights.

A non-linear *output*, :math:`F = \phi(f)`, breaks this: its Hessian
:math:`\phi'(f)\,H + \phi''(f)\,\nabla f\,\nabla f^\top` carries the rank-one term
:math:`\phi''(f)\,\|\nabla f\|^2`, and :math:`\|\nabla f\|^2` (the tangent kernel at
:math:`x`) is of order 1 at every width.

This module computes the network, its gradient, the Hessian's spectral norm in closed form and
by a Lanczos iteration on Hessian-vector products from :mod:`torch.func` (never forming the
:math:`2m\times 2m` matrix, on CUDA when available), the width exponent, the linearization gap
on a sphere around :math:`\theta_0`, and the Hessian norm with a softplus output.

All functions validate their arguments first and raise :class:`ValueError` with a message that
names the offending argument.
"""

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import scipy.linalg
import scipy.optimize
import torch

__all__ = [  # noqa: RUF022 (the order of the contract in COURSE.md, not alphabetical)
    "two_layer_net",
    "param_gradient",
    "hessian_spectral_norm",
    "width_exponent",
    "linearization_gap",
    "output_nonlinearity_hessian_norm",
    "hessian_spectral_norm_hvp",
    "lanczos_extremes",
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
        raise ValueError(f"{name} must have {ndim} axes, got {name} with shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {name}={value!r}")
    return array


def _as_int(value: object, name: str, minimum: int) -> int:
    r"""Return ``value`` as a Python int if it is an integer (not a bool) >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {name}={value!r}")
    return int(value)


def _weights(v: npt.ArrayLike, w: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    r"""Validate the output weights ``v`` and input weights ``w``: finite vectors, same length."""
    v, w = _as_real(v, "v", ndim=1), _as_real(w, "w", ndim=1)
    if v.size == 0 or v.shape != w.shape:
        raise ValueError(
            f"v and w must be non-empty vectors of the same length m, got lengths {v.size} "
            f"and {w.size}"
        )
    return v, w


def _activation(name: str) -> tuple[Callable, Callable, Callable]:
    r"""The activation ``name`` ("tanh", "sigmoid" or "softplus") and its first two derivatives.

    Returns :math:`(\sigma, \sigma', \sigma'')` as vectorized functions.

    :math:`\tanh' = 1 - \tanh^2`, :math:`\tanh'' = -2\tanh\,(1 - \tanh^2)`; with the logistic
    :math:`s`, :math:`s' = s(1 - s)`, :math:`s'' = s(1 - s)(1 - 2s)`; softplus
    :math:`\log(1 + e^z)` has derivative :math:`s` and second derivative :math:`s(1 - s)`.
    """

    def sigmoid(z: np.ndarray) -> np.ndarray:
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^{-z}), no overflow

    def sigmoid_d1(z: np.ndarray) -> np.ndarray:
        s = sigmoid(z)
        return s * (1 - s)

    def tanh_d1(z: np.ndarray) -> np.ndarray:
        return 1 - np.tanh(z) ** 2

    table = {
        "tanh": (np.tanh, tanh_d1, lambda z: -2 * np.tanh(z) * tanh_d1(z)),
        "sigmoid": (sigmoid, sigmoid_d1, lambda z: sigmoid_d1(z) * (1 - 2 * sigmoid(z))),
        "softplus": (lambda z: np.logaddexp(0.0, z), sigmoid, sigmoid_d1),
    }
    if not isinstance(name, str) or name not in table:
        raise ValueError(f"activation must be one of {tuple(table)}, got activation={name!r}")
    return table[name]


def _blocks(x: float, v: np.ndarray, w: np.ndarray, activation: str) -> tuple[np.ndarray, ...]:
    r"""The entries :math:`(a_i, b_i)` of the Hessian's :math:`2\times 2` blocks at scalar x."""
    _, d1, d2 = _activation(activation)
    scale = np.sqrt(v.size)
    return d1(w * x) * x / scale, v * d2(w * x) * x * x / scale


def _gradient(x: float, v: np.ndarray, w: np.ndarray, activation: str) -> np.ndarray:
    r""":math:`\nabla_\theta f = m^{-1/2}(\sigma(w x),\ v\,\sigma'(w x)\,x)` at scalar x."""
    act, d1, _ = _activation(activation)
    scale = np.sqrt(v.size)
    return np.concatenate([act(w * x) / scale, v * d1(w * x) * x / scale])


def two_layer_net(
    x: npt.ArrayLike, v: npt.ArrayLike, w: npt.ArrayLike, activation: str = "tanh"
) -> float | np.ndarray:
    r"""The network :math:`f(x) = m^{-1/2}\sum_{i=1}^m v_i\,\sigma(w_i x)`.

    Parameters
    ----------
    x : float or array_like
        Input(s), finite; any shape.
    v, w : array_like
        Output and input weights, finite vectors of the same length :math:`m \ge 1`.
    activation : {"tanh", "sigmoid", "softplus"}, optional
        The hidden non-linearity :math:`\sigma`.

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar ``x``, else an array of ``x``'s shape. Inputs are processed in
        chunks, so the :math:`n\times m` matrix of pre-activations is never held at once.
    """
    x = _as_real(x, "x")
    v, w = _weights(v, w)
    act, _, _ = _activation(activation)
    flat = x.reshape(-1)
    out = np.empty(flat.size)
    chunk = max(1, 2**22 // v.size)
    for start in range(0, flat.size, chunk):
        out[start : start + chunk] = act(np.outer(flat[start : start + chunk], w)) @ v
    out /= np.sqrt(v.size)
    return float(out[0]) if x.ndim == 0 else out.reshape(x.shape)


def param_gradient(
    x: float, v: npt.ArrayLike, w: npt.ArrayLike, activation: str = "tanh"
) -> np.ndarray:
    r"""The gradient of :math:`f(x)` with respect to :math:`\theta = (v, w)`, shape ``(2m,)``.

    :math:`\partial f/\partial v_i = \sigma(w_i x)/\sqrt m` and
    :math:`\partial f/\partial w_i = v_i\,\sigma'(w_i x)\,x/\sqrt m`; the first :math:`m`
    entries are the :math:`v`-derivatives. ``x`` is a finite scalar.
    """
    x = float(_as_real(x, "x", ndim=0))
    v, w = _weights(v, w)
    return _gradient(x, v, w, activation)


def hessian_spectral_norm(
    x: float, v: npt.ArrayLike, w: npt.ArrayLike, activation: str = "tanh"
) -> float:
    r"""The spectral norm of the Hessian of :math:`f(x)` in :math:`\theta`, in closed form.

    The Hessian is block diagonal with blocks :math:`[[0, a_i], [a_i, b_i]]`,
    :math:`a_i = \sigma'(w_i x)\,x/\sqrt m` and :math:`b_i = v_i\sigma''(w_i x)\,x^2/\sqrt m`,
    so its largest absolute eigenvalue is
    :math:`\max_i \tfrac12\bigl(|b_i| + \sqrt{b_i^2 + 4a_i^2}\bigr)`, computed in
    :math:`O(m)` time and memory (:math:`m = 10^6` takes milliseconds).
    :func:`hessian_spectral_norm_hvp` computes the same number without the block structure.
    """
    x = float(_as_real(x, "x", ndim=0))
    v, w = _weights(v, w)
    a, b = _blocks(x, v, w, activation)
    return float(np.max(0.5 * (np.abs(b) + np.hypot(b, 2 * a))))


def width_exponent(
    widths: npt.ArrayLike, x: float = 1.0, activation: str = "tanh", seed: int = 0
) -> float:
    r"""The slope of :math:`\log\|H\|` against :math:`\log m` at a random initialization.

    For each width :math:`m`, draws :math:`v_i = \pm 1` (Rademacher) and
    :math:`w_i \sim \mathcal N(0, 1)` from ``numpy.random.default_rng(seed)`` (one generator,
    widths in the given order) and computes :func:`hessian_spectral_norm`; returns the
    least-squares slope of the logs, about :math:`-1/2`. ``widths`` are integers >= 1 with at
    least two different values.
    """
    widths = np.asarray(widths)
    if widths.ndim != 1 or not all(isinstance(m, int | np.integer) and m >= 1 for m in widths):
        raise ValueError(f"widths must be a vector of integers >= 1, got widths={widths!r}")
    if np.unique(widths).size < 2:
        raise ValueError(f"widths must hold at least two different values, got {widths!r}")
    x = float(_as_real(x, "x", ndim=0))
    if x == 0:
        raise ValueError("x must be nonzero: at x = 0 the Hessian vanishes at every width")
    rng = np.random.default_rng(_as_int(seed, "seed", 0))
    norms = []
    for m in widths:
        v = rng.choice([-1.0, 1.0], size=int(m))
        w = rng.standard_normal(int(m))
        norms.append(hessian_spectral_norm(x, v, w, activation))
    return float(np.polyfit(np.log(widths.astype(float)), np.log(norms), 1)[0])


def linearization_gap(
    x: float,
    v0: npt.ArrayLike,
    w0: npt.ArrayLike,
    radius: float,
    n_samples: int = 64,
    seed: int = 0,
    activation: str = "tanh",
) -> float:
    r"""The largest :math:`|f(\theta) - f_{lin}(\theta)|` over random points at a given distance.

    Draws ``n_samples`` directions :math:`u` uniformly on the unit sphere of
    :math:`\mathbb{R}^{2m}` (normalized Gaussian vectors from
    ``numpy.random.default_rng(seed)``), sets :math:`\theta = \theta_0 + R\,u` and returns the
    maximum of :math:`|f(\theta) - f(\theta_0) - R\,\nabla f(\theta_0)\cdot u|`. By Taylor's
    theorem it is at most :math:`\tfrac12 R^2 \sup_{\xi}\|H(\xi)\|`, which is
    :math:`O(R^2/\sqrt m)`; for *random* directions it is even smaller, :math:`O(R^2/m)`,
    because :math:`u^\top H u` averages :math:`m` blocks of random sign.
    """
    x = float(_as_real(x, "x", ndim=0))
    v0, w0 = _weights(v0, w0)
    radius = float(_as_real(radius, "radius", ndim=0))
    if radius < 0:
        raise ValueError(f"radius must be >= 0, got radius={radius!r}")
    n_samples = _as_int(n_samples, "n_samples", 1)
    rng = np.random.default_rng(_as_int(seed, "seed", 0))
    m = v0.size
    act, _, _ = _activation(activation)

    def f(v: np.ndarray, w: np.ndarray) -> float:  # the weights are checked once, above
        return act(w * x) @ v / np.sqrt(m)

    f0, grad = f(v0, w0), _gradient(x, v0, w0, activation)
    gap = 0.0
    for _ in range(n_samples):
        u = rng.standard_normal(2 * m)
        u *= radius / np.linalg.norm(u)
        gap = max(gap, abs(f(v0 + u[:m], w0 + u[m:]) - f0 - grad @ u))
    return float(gap)


def _extreme_roots(d: np.ndarray, u: np.ndarray, c: float) -> tuple[float, float]:
    r"""The smallest and largest eigenvalues of :math:`\mathrm{diag}(d) + c\,u u^\top`, c >= 0.

    They solve the secular equation :math:`1 + c\sum_j u_j^2/(d_j - \mu) = 0`; the largest lies
    in :math:`[d_{max}, d_{max} + c\|u\|^2]` and the smallest in :math:`[d_{(1)}, d_{(2)}]`
    (interlacing), where the left side is increasing; both are found by Brent's method.
    """
    order = np.argsort(d)
    d, weight = d[order], c * u[order] ** 2
    total = float(np.sum(weight))
    if total == 0.0:
        return float(d[0]), float(d[-1])
    delta = 8 * np.finfo(float).eps * max(float(np.max(np.abs(d))), total)

    def secular(mu: float) -> float:
        return 1.0 + float(np.sum(weight / (d - mu)))

    top = float(d[-1])
    if secular(top + delta) < 0:
        top = scipy.optimize.brentq(secular, top + delta, top + total + delta, xtol=delta)
    if d.size == 1 or d[1] - d[0] <= 2 * delta or secular(d[0] + delta) >= 0:
        return float(d[0]), top
    if secular(d[1] - delta) <= 0:
        return float(d[1]), top
    return scipy.optimize.brentq(secular, d[0] + delta, d[1] - delta, xtol=delta), top


def output_nonlinearity_hessian_norm(
    x: float, v: npt.ArrayLike, w: npt.ArrayLike, activation: str = "tanh"
) -> float:
    r"""The spectral norm of the Hessian of :math:`F = \mathrm{softplus}(f)` in :math:`\theta`.

    With the logistic :math:`s`, :math:`\nabla^2 F = s(f)\,H + s(f)(1 - s(f))\,g g^\top`,
    :math:`g = \nabla f`. Rotating each :math:`2\times 2` block of :math:`H` to its eigenbasis
    (angle :math:`\tfrac12\operatorname{atan2}(2a_i, -b_i)`) turns this into a diagonal matrix
    plus a rank-one term, whose extreme eigenvalues solve a secular equation; nothing of size
    :math:`(2m)^2` is formed. The rank-one part is of order 1 at every width, so unlike
    :func:`hessian_spectral_norm` this does not vanish as :math:`m \to \infty`.
    """
    x = float(_as_real(x, "x", ndim=0))
    v, w = _weights(v, w)
    m = v.size
    a, b = _blocks(x, v, w, activation)
    grad = _gradient(x, v, w, activation)
    phi = 0.5 * np.arctan2(2 * a, -b)
    cos, sin = np.cos(phi), np.sin(phi)
    d = np.concatenate([a * 2 * sin * cos + b * sin**2, -a * 2 * sin * cos + b * cos**2])
    u = np.concatenate([cos * grad[:m] + sin * grad[m:], -sin * grad[:m] + cos * grad[m:]])
    f = grad[:m] @ v  # f is linear in v: f = sum_i v_i df/dv_i
    s = 0.5 * (1.0 + np.tanh(0.5 * f))
    low, high = _extreme_roots(s * d, u, s * (1 - s))
    return max(abs(low), abs(high))


def lanczos_extremes(
    matvec: Callable[[torch.Tensor], torch.Tensor],
    start: torch.Tensor,
    *,
    max_steps: int = 400,
    rtol: float = 1e-9,
) -> tuple[float, float]:
    r"""Estimates of the smallest and largest eigenvalues of a symmetric operator (Lanczos).

    ``matvec`` applies the operator to a vector shaped like ``start`` (the random starting
    vector, any device). The three-term recurrence
    :math:`\beta_{k+1} q_{k+1} = A q_k - \alpha_k q_k - \beta_k q_{k-1}` builds a tridiagonal
    :math:`T_k` whose extreme eigenvalues (Ritz values) approach those of :math:`A` from
    inside. Only three vectors are kept (no reorthogonalization: lost orthogonality makes
    copies of converged Ritz values, it does not move the extreme ones). Stops when both
    extremes change by less than ``rtol`` times the spectral radius over 10 steps, at an
    invariant subspace, or after ``max_steps``.
    """
    q = start / torch.linalg.vector_norm(start)
    q_prev = torch.zeros_like(q)
    alphas: list[float] = []
    betas: list[float] = []
    extremes: list[tuple[float, float]] = []
    beta = 0.0
    for step in range(max_steps):
        z = matvec(q)
        alpha = float(torch.dot(q, z))
        z = z - alpha * q - beta * q_prev
        alphas.append(alpha)
        beta = float(torch.linalg.vector_norm(z))
        if step % 10 == 9 or step == max_steps - 1 or beta == 0.0:
            ritz = scipy.linalg.eigvalsh_tridiagonal(np.array(alphas), np.array(betas))
            extremes.append((float(ritz[0]), float(ritz[-1])))
            scale = max(abs(ritz[0]), abs(ritz[-1]), np.finfo(float).tiny)
            if beta <= 1e-12 * scale:
                break
            change = np.subtract(extremes[-1], extremes[-2]) if len(extremes) > 1 else np.inf
            if np.max(np.abs(change)) <= rtol * scale:
                break
        betas.append(beta)
        q_prev, q = q, z / beta
    return extremes[-1]


def hessian_spectral_norm_hvp(
    x: float,
    v: npt.ArrayLike,
    w: npt.ArrayLike,
    activation: str = "tanh",
    *,
    device: str = "auto",
    seed: int = 0,
    max_steps: int = 400,
    rtol: float = 1e-9,
) -> float:
    r""":func:`hessian_spectral_norm` by Lanczos on Hessian-vector products, in float64.

    :math:`Hu = \frac{d}{dt}\nabla f(\theta + t u)\big|_{t=0}` is computed by forward-over-
    reverse differentiation (``torch.func.jvp`` of ``torch.func.grad``) at the cost of a few
    gradients, without forming :math:`H`; :func:`lanczos_extremes` gives its extreme
    eigenvalues and the spectral norm is the larger absolute value. ``device`` is "cpu",
    "cuda" or "auto" (CUDA when available). The block structure is not used, so this also
    checks the closed form.
    """
    x = float(_as_real(x, "x", ndim=0))
    v, w = _weights(v, w)
    functions = {
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "softplus": torch.nn.functional.softplus,
    }
    _activation(activation)
    if device not in ("auto", "cpu", "cuda"):
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got device={device!r}")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' was asked for, but torch.cuda.is_available() is False")
    use_cuda = device == "cuda" or (device == "auto" and torch.cuda.is_available())
    dev = torch.device("cuda" if use_cuda else "cpu")
    m, act = v.size, functions[activation]
    theta = torch.as_tensor(np.concatenate([v, w]), dtype=torch.float64, device=dev)

    def f(t: torch.Tensor) -> torch.Tensor:
        return torch.dot(t[:m], act(t[m:] * x)) / m**0.5

    def hvp(u: torch.Tensor) -> torch.Tensor:
        return torch.func.jvp(torch.func.grad(f), (theta,), (u,))[1]

    gen = torch.Generator(device=dev).manual_seed(_as_int(seed, "seed", 0))
    start = torch.randn(2 * m, generator=gen, dtype=torch.float64, device=dev)
    low, high = lanczos_extremes(hvp, start, max_steps=max_steps, rtol=rtol)
    return max(abs(low), abs(high))
