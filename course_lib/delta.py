r"""Delta sequences: kernels that converge to the Dirac delta, and how fast they do it.

A *delta sequence* is a family of integrable functions :math:`K_\varepsilon` with unit mass that
concentrates at the origin as :math:`\varepsilon \to 0^+`, so that for every smooth test function
:math:`\varphi` decaying at infinity

.. math::

    \langle K_\varepsilon, \varphi \rangle
    = \int_{-\infty}^{\infty} K_\varepsilon(x)\, \varphi(x)\, dx
    \;\longrightarrow\; \varphi(0) = \langle \delta, \varphi \rangle .

This module implements four classical kernels (Lorentzian, Gaussian, Dirichlet "sinc" and box),
the exact mass of the Lorentzian on an interval, accurate numerical pairings of the kernels and of
their derivatives with test functions, an estimate of the order of convergence, and a symbolic
(SymPy) version of the Lorentzian.

All functions validate their arguments first and raise :class:`ValueError` with a message that
names the offending argument.
"""

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import scipy.integrate
import sympy as sp

__all__ = [  # noqa: RUF022 (the order of the contract in COURSE.md, not alphabetical)
    "lorentzian",
    "gaussian_kernel",
    "sinc_kernel",
    "box_kernel",
    "lorentzian_mass",
    "delta_pairing",
    "delta_prime_pairing",
    "convergence_order",
    "lorentzian_sympy",
]


def _check_eps(eps: npt.ArrayLike, *, scalar: bool = False) -> np.ndarray | float:
    r"""Validate a kernel width: real, finite and strictly positive.

    Returns ``eps`` as a float64 array (any shape), or as a Python float when ``scalar`` is true,
    in which case an array with more than one entry is rejected.
    """
    try:
        value = np.asarray(eps, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"eps must be a real number, got eps={eps!r}") from None
    if scalar and value.ndim != 0:
        raise ValueError(f"eps must be a scalar, got eps={eps!r}")
    if not np.all(np.isfinite(value) & (value > 0)):
        raise ValueError(f"eps must be finite and > 0, got eps={eps!r}")
    return float(value) if scalar else value


def _check_kernel(kernel: str, allowed: tuple[str, ...]) -> str:
    r"""Return ``kernel`` if it is one of the names in ``allowed``, else raise ValueError."""
    if not isinstance(kernel, str) or kernel not in allowed:
        raise ValueError(f"kernel must be one of {', '.join(map(repr, allowed))}; got {kernel!r}")
    return kernel


def _integrate_half_line(f: Callable[[float], float], eps: float) -> float:
    r"""Integral of ``f`` over :math:`[0, \infty)` for an integrand with features at scale eps.

    The integrand may have a peak of width ``eps`` at 0 and structure on the scale 1 of the test
    function. Adaptive quadrature alone can step over a narrow peak, so the half line is split at
    the geometric breakpoints :math:`s, 2s, 4s, \dots` with :math:`s = \min(\varepsilon, 1)`
    up to :math:`T = 64 \max(\varepsilon, 1)`; every piece is then resolved by
    ``scipy.integrate.quad``, and the tail :math:`[T, \infty)` by its infinite-range rule.
    """
    start = min(eps, 1.0)
    top = 64.0 * max(eps, 1.0)
    n_pieces = math.ceil(math.log2(top / start))
    total, lo = 0.0, 0.0
    for k in range(n_pieces + 1):
        hi = start * 2.0**k
        total += scipy.integrate.quad(f, lo, hi, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
        lo = hi
    total += scipy.integrate.quad(f, lo, np.inf, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
    return total


def lorentzian(x: npt.ArrayLike, eps: npt.ArrayLike) -> np.ndarray:
    r"""Lorentzian (Cauchy) delta sequence.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate the kernel.
    eps : array_like
        Half width at half maximum; finite and > 0. Broadcast against ``x``.

    Returns
    -------
    numpy.ndarray
        Float64 array of the broadcast shape of ``x`` and ``eps``.

    Raises
    ------
    ValueError
        If ``eps`` is not finite or not > 0.

    Notes
    -----
    .. math::

        L_\varepsilon(x) = \frac{1}{\pi}\,\frac{\varepsilon}{x^2 + \varepsilon^2},
        \qquad \int_{-\infty}^{\infty} L_\varepsilon(x)\, dx = 1 .

    The peak height is :math:`1/(\pi\varepsilon)`. The tails fall only like
    :math:`\varepsilon/(\pi x^2)`, which is why the Lorentzian converges to the delta at rate
    :math:`O(\varepsilon)` instead of :math:`O(\varepsilon^2)`. With
    :math:`r = \sqrt{x^2 + \varepsilon^2}` (``np.hypot``, which never overflows) the kernel is
    :math:`(\varepsilon / r) / (\pi r)`, finite and warning-free even for huge ``x``.

    Examples
    --------
    >>> float(lorentzian(0.0, 0.5))  # 1 / (pi * 0.5)
    0.6366197723675814
    >>> lorentzian([-1.0, 0.0, 1.0], 1.0) * np.pi
    array([0.5, 1. , 0.5])
    """
    eps = _check_eps(eps)
    x = np.asarray(x, dtype=np.float64)
    r = np.hypot(x, eps)
    return np.asarray((eps / r) / (np.pi * r), dtype=np.float64)


def gaussian_kernel(x: npt.ArrayLike, eps: npt.ArrayLike) -> np.ndarray:
    r"""Gaussian (heat kernel) delta sequence.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate the kernel.
    eps : array_like
        Standard deviation; finite and > 0. Broadcast against ``x``.

    Returns
    -------
    numpy.ndarray
        Float64 array of the broadcast shape of ``x`` and ``eps``.

    Raises
    ------
    ValueError
        If ``eps`` is not finite or not > 0.

    Notes
    -----
    .. math::

        G_\varepsilon(x) = \frac{1}{\sqrt{2\pi}\,\varepsilon}
        \exp\!\left(-\frac{x^2}{2\varepsilon^2}\right).

    It is the normal density with variance :math:`\varepsilon^2`, and the solution of the heat
    equation at time :math:`t = \varepsilon^2/2` started from :math:`\delta`. For an even
    kernel with finite second moment the pairing error is
    :math:`\tfrac{1}{2}\varphi''(0)\,\varepsilon^2 + O(\varepsilon^4)`. Overflow of
    :math:`(x/\varepsilon)^2` for huge ``x`` is harmless (the exponential is then exactly 0) and
    is not reported.

    Examples
    --------
    >>> float(gaussian_kernel(0.0, 1.0))  # 1 / sqrt(2 pi)
    0.3989422804014327
    """
    eps = _check_eps(eps)
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore"):
        z = x / eps
        values = np.exp(-0.5 * z * z) / (math.sqrt(2.0 * math.pi) * eps)
    return np.asarray(values, dtype=np.float64)


def sinc_kernel(x: npt.ArrayLike, eps: npt.ArrayLike) -> np.ndarray:
    r"""Dirichlet ("sinc") delta sequence, with its limit value at the origin.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate the kernel.
    eps : array_like
        Width parameter (the kernel oscillates with period :math:`2\pi\varepsilon`);
        finite and > 0. Broadcast against ``x``.

    Returns
    -------
    numpy.ndarray
        Float64 array of the broadcast shape of ``x`` and ``eps``; equal to
        :math:`1/(\pi\varepsilon)` where ``x == 0`` (no nan, no warning).

    Raises
    ------
    ValueError
        If ``eps`` is not finite or not > 0.

    Notes
    -----
    .. math::

        S_\varepsilon(x) = \frac{\sin(x/\varepsilon)}{\pi x}
        = \frac{1}{2\pi}\int_{-1/\varepsilon}^{1/\varepsilon} e^{ikx}\, dk,
        \qquad S_\varepsilon(0) = \frac{1}{\pi\varepsilon}.

    The kernel is not absolutely integrable (its tails fall like :math:`1/x` and change sign);
    its integral over the line is 1 only as an improper integral. It converges to :math:`\delta`
    because it keeps exactly the frequencies :math:`|k| < 1/\varepsilon` of the test function.
    The division is done against a safe denominator (1 where ``x == 0``) so that ``0/0`` is never
    evaluated, and the value 0 is used where :math:`x/\varepsilon` overflows (including
    :math:`x = \pm\infty`), so the kernel never warns or returns nan for a non-nan ``x``.

    Examples
    --------
    >>> float(sinc_kernel(0.0, 0.5)) * np.pi
    2.0
    """
    eps = _check_eps(eps)
    x = np.asarray(x, dtype=np.float64)
    at_zero = x == 0.0
    safe_x = np.where(at_zero, 1.0, x)
    with np.errstate(over="ignore"):
        phase = safe_x / eps
    # Beyond the float range the phase is meaningless and |S| < 1/(pi |x|) is negligible: use 0.
    sine = np.sin(np.where(np.isinf(phase), 0.0, phase))
    values = np.where(at_zero, 1.0 / (np.pi * eps), sine / (np.pi * safe_x))
    return np.asarray(values, dtype=np.float64)


def box_kernel(x: npt.ArrayLike, eps: npt.ArrayLike) -> np.ndarray:
    r"""Box (uniform) delta sequence: the average over :math:`[-\varepsilon, \varepsilon]`.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate the kernel.
    eps : array_like
        Half width of the box; finite and > 0. Broadcast against ``x``.

    Returns
    -------
    numpy.ndarray
        Float64 array of the broadcast shape of ``x`` and ``eps``.

    Raises
    ------
    ValueError
        If ``eps`` is not finite or not > 0.

    Notes
    -----
    .. math::

        B_\varepsilon(x) = \begin{cases}
            1/(2\varepsilon) & |x| < \varepsilon, \\
            0 & |x| \geq \varepsilon .
        \end{cases}

    The value on the two jumps :math:`|x| = \varepsilon` does not change any integral; this
    implementation uses 0 there (the open box). Pairing with :math:`B_\varepsilon` is the mean
    value of :math:`\varphi` on :math:`[-\varepsilon, \varepsilon]`, whose error is
    :math:`\varphi''(0)\,\varepsilon^2/6 + O(\varepsilon^4)`.

    Examples
    --------
    >>> box_kernel([-2.0, 0.0, 0.5], 1.0)
    array([0. , 0.5, 0.5])
    """
    eps = _check_eps(eps)
    x = np.asarray(x, dtype=np.float64)
    values = np.where(np.abs(x) < eps, 0.5 / eps, 0.0)
    return np.asarray(values, dtype=np.float64)


def lorentzian_mass(a: float, b: float, eps: float) -> float:
    r"""Exact mass of the Lorentzian kernel on the interval :math:`[a, b]`.

    Parameters
    ----------
    a, b : float
        Interval endpoints with ``a <= b``; either may be ``-inf`` or ``+inf``, neither may be nan.
    eps : float
        Kernel width; finite and > 0.

    Returns
    -------
    float
        :math:`\int_a^b L_\varepsilon(x)\, dx`, a number in :math:`[0, 1]`.

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is nan or not a real number, if ``a > b``, or if ``eps`` is invalid.

    Notes
    -----
    The antiderivative of :math:`L_\varepsilon` is :math:`\arctan(x/\varepsilon)/\pi`, so

    .. math::

        \int_a^b L_\varepsilon(x)\, dx
        = \frac{1}{\pi}\left(\arctan\frac{b}{\varepsilon} - \arctan\frac{a}{\varepsilon}
        \right),

    with :math:`\arctan(\pm\infty) = \pm\pi/2`. For fixed :math:`a < 0 < b` the mass tends
    to 1 as :math:`\varepsilon \to 0^+`: the mass concentrates at the origin. The mass outside
    :math:`[-R, R]` is :math:`1 - \tfrac{2}{\pi}\arctan(R/\varepsilon) \approx
    2\varepsilon/(\pi R)`, only linear in :math:`\varepsilon` (heavy tails).

    Examples
    --------
    >>> lorentzian_mass(-np.inf, np.inf, 0.3)
    1.0
    >>> lorentzian_mass(0.0, np.inf, 0.3)
    0.5
    """
    eps = _check_eps(eps, scalar=True)
    bounds = {}
    for name, value in (("a", a), ("b", b)):
        try:
            bounds[name] = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a real number, got {name}={value!r}") from None
        if math.isnan(bounds[name]):
            raise ValueError(f"{name} must not be nan, got {name}={value!r}")
    if bounds["a"] > bounds["b"]:
        raise ValueError(f"a must be <= b, got a={a!r}, b={b!r}")
    return (math.atan(bounds["b"] / eps) - math.atan(bounds["a"] / eps)) / math.pi


def delta_pairing(kernel: str, phi: Callable[[np.ndarray], np.ndarray], eps: float) -> float:
    r"""Integral over the real line of a delta kernel times a test function.

    Parameters
    ----------
    kernel : {"lorentzian", "gaussian", "sinc", "box"}
        Name of the kernel (see :func:`lorentzian`, :func:`gaussian_kernel`, :func:`sinc_kernel`,
        :func:`box_kernel`).
    phi : callable
        Vectorized test function, smooth and decaying at least like :math:`1/(1+x^2)`.
    eps : float
        Kernel width; finite and > 0.

    Returns
    -------
    float
        :math:`\int_{-\infty}^{\infty} K_\varepsilon(x)\varphi(x)\, dx` with absolute error
        about 1e-12 for :math:`10^{-3} \le \varepsilon \le 2` and test functions varying on a
        scale of order 1.

    Raises
    ------
    ValueError
        If ``kernel`` is not one of the four names, ``phi`` is not callable, or ``eps`` is invalid.

    Notes
    -----
    Each kernel is even, so only the even part of :math:`\varphi` contributes:

    .. math::

        \langle K_\varepsilon, \varphi\rangle
        = \int_0^{\infty} K_\varepsilon(x)\, \bigl(\varphi(x) + \varphi(-x)\bigr)\, dx .

    * Lorentzian and Gaussian: a peak of width :math:`\varepsilon` at 0 that adaptive
      quadrature can miss, so the half line is cut at :math:`\varepsilon, 2\varepsilon,
      4\varepsilon, \dots` before calling ``scipy.integrate.quad`` on each piece.
    * Box: the mean value :math:`\tfrac{1}{2}\int_{-1}^{1}\varphi(\varepsilon t)\, dt`
      (substituting :math:`x = \varepsilon t`, so the tolerance does not depend on the width).
    * Sinc: the integrand :math:`\sin(x/\varepsilon)\,(\varphi(x)+\varphi(-x))/(\pi x)`
      oscillates and, for :math:`\varphi \sim 1/x^2`, decays only like :math:`1/x^3`. The
      piece :math:`[0, a]`, :math:`a = \min(\varepsilon, 1)`, is smooth and integrated
      directly; :math:`[a, T]` uses the sine-weighted rule (QUADPACK QAWO,
      ``weight='sin'``, ``wvar=1/eps``), which integrates the oscillation exactly, and
      :math:`[T, \infty)` the Fourier-integral rule QAWF (same weight, infinite upper limit).

    Examples
    --------
    The Gaussian kernel paired with :math:`e^{-x^2}` gives :math:`1/\sqrt{1 + 2\varepsilon^2}`:

    >>> value = delta_pairing("gaussian", lambda x: np.exp(-x**2), 0.1)
    >>> print(f"{value:.12f} {1 / math.sqrt(1.02):.12f}")
    0.990147542977 0.990147542977
    """
    kernel = _check_kernel(kernel, ("lorentzian", "gaussian", "sinc", "box"))
    if not callable(phi):
        raise ValueError(f"phi must be a callable test function, got phi={phi!r}")
    eps = _check_eps(eps, scalar=True)

    def phi_even(x: float) -> float:
        return float(phi(x) + phi(-x))

    if kernel == "box":
        integral = scipy.integrate.quad(
            lambda t: phi_even(eps * t), 0.0, 1.0, epsabs=1e-13, epsrel=1e-12, limit=200
        )[0]
        return 0.5 * integral
    if kernel == "lorentzian":
        return _integrate_half_line(lambda x: float(lorentzian(x, eps)) * phi_even(x), eps)
    if kernel == "gaussian":
        return _integrate_half_line(lambda x: float(gaussian_kernel(x, eps)) * phi_even(x), eps)

    # kernel == "sinc": smooth core, then sine-weighted rules where sin(x/eps) oscillates.
    core_end = min(eps, 1.0)
    top = 64.0 * max(eps, 1.0)
    core = scipy.integrate.quad(
        lambda x: float(sinc_kernel(x, eps)) * phi_even(x),
        0.0,
        core_end,
        epsabs=1e-13,
        epsrel=1e-12,
        limit=200,
    )[0]

    def envelope(x: float) -> float:
        return phi_even(x) / (math.pi * x)

    middle = scipy.integrate.quad(
        envelope,
        core_end,
        top,
        weight="sin",
        wvar=1.0 / eps,
        epsabs=1e-13,
        epsrel=1e-12,
        limit=1000,
    )[0]
    tail = scipy.integrate.quad(
        envelope, top, np.inf, weight="sin", wvar=1.0 / eps, epsabs=1e-13, limit=1000
    )[0]
    return core + middle + tail


def delta_prime_pairing(kernel: str, psi: Callable[[np.ndarray], np.ndarray], eps: float) -> float:
    r"""Integral over the real line of the x-derivative of a kernel times a test function.

    Parameters
    ----------
    kernel : {"lorentzian", "gaussian"}
        Name of the kernel whose x-derivative is paired.
    psi : callable
        Vectorized test function, smooth and decaying at least like :math:`1/(1+x^2)`.
    eps : float
        Kernel width; finite and > 0.

    Returns
    -------
    float
        :math:`\int_{-\infty}^{\infty} K_\varepsilon'(x)\,\psi(x)\, dx`, which tends to
        :math:`-\psi'(0) = \langle \delta', \psi\rangle` as :math:`\varepsilon \to 0^+`.

    Raises
    ------
    ValueError
        If ``kernel`` is not "lorentzian" or "gaussian" (the sinc and box kernels are not
        supported: the box is not differentiable and the sinc derivative is not absolutely
        integrable), if ``psi`` is not callable, or if ``eps`` is invalid.

    Notes
    -----
    The derivatives are

    .. math::

        L_\varepsilon'(x) = -\frac{2}{\pi}\,\frac{\varepsilon\, x}{(x^2+\varepsilon^2)^2},
        \qquad
        G_\varepsilon'(x) = -\frac{x}{\varepsilon^2}\, G_\varepsilon(x).

    Both are odd, so only the odd part of :math:`\psi` contributes:
    :math:`\int_0^\infty K_\varepsilon'(x)\,(\psi(x) - \psi(-x))\, dx`. Integrating by
    parts, :math:`\langle K_\varepsilon', \psi\rangle = -\langle K_\varepsilon, \psi'\rangle
    \to -\psi'(0)`: this is the definition of the distributional derivative :math:`\delta'`.
    The half line is split at :math:`\varepsilon, 2\varepsilon, 4\varepsilon, \dots` as in
    :func:`delta_pairing`.

    Examples
    --------
    With :math:`\psi(x) = x e^{-x^2}` the Gaussian gives :math:`-(1 + 2\varepsilon^2)^{-3/2}`:

    >>> value = delta_prime_pairing("gaussian", lambda x: x * np.exp(-x**2), 0.1)
    >>> print(f"{value:.12f} {-(1.02**-1.5):.12f}")
    -0.970732885271 -0.970732885271
    """
    kernel = _check_kernel(kernel, ("lorentzian", "gaussian"))
    if not callable(psi):
        raise ValueError(f"psi must be a callable test function, got psi={psi!r}")
    eps = _check_eps(eps, scalar=True)

    def psi_odd(x: float) -> float:
        return float(psi(x) - psi(-x))

    if kernel == "lorentzian":

        def derivative(x: float) -> float:
            return -2.0 / math.pi * eps * x / (x * x + eps * eps) ** 2

    else:

        def derivative(x: float) -> float:
            return -x / eps**2 * float(gaussian_kernel(x, eps))

    return _integrate_half_line(lambda x: derivative(x) * psi_odd(x), eps)


def convergence_order(
    kernel: str, phi: Callable[[np.ndarray], np.ndarray], eps_values: npt.ArrayLike
) -> float:
    r"""Empirical order of convergence of a delta sequence, fitted on a log-log scale.

    The order is the exponent :math:`p` in :math:`|\langle K_\varepsilon, \varphi\rangle
    - \varphi(0)| \approx C\varepsilon^p`.

    Parameters
    ----------
    kernel : {"lorentzian", "gaussian", "sinc", "box"}
        Name of the kernel.
    phi : callable
        Vectorized test function, as in :func:`delta_pairing`.
    eps_values : array_like
        One-dimensional sequence of at least two distinct widths, each finite and > 0.

    Returns
    -------
    float
        Least-squares slope of :math:`\log|\langle K_\varepsilon, \varphi\rangle
        - \varphi(0)|` against :math:`\log\varepsilon`.

    Raises
    ------
    ValueError
        If ``kernel`` or ``phi`` is invalid, if ``eps_values`` has fewer than two distinct
        entries or an entry that is not finite and > 0, or if an error is exactly 0 (its
        logarithm is undefined; choose larger widths).

    Notes
    -----
    For an even kernel with finite second moment :math:`m_2 = \int x^2 K_1(x)\, dx`, Taylor
    expansion gives :math:`\langle K_\varepsilon, \varphi\rangle - \varphi(0) =
    \tfrac{1}{2}m_2\varphi''(0)\varepsilon^2 + O(\varepsilon^4)`: order 2 for the Gaussian
    (:math:`m_2 = 1`) and the box (:math:`m_2 = 1/3`). The Lorentzian has no second moment; its
    tails :math:`\varepsilon/(\pi x^2)` contribute
    :math:`\tfrac{\varepsilon}{\pi}\int (\varphi(x)-\varphi(0))/x^2\, dx`, so its order
    is 1. The sinc error decays faster than any power for a smooth rapidly decaying
    :math:`\varphi` (it is the mass of :math:`\hat\varphi` outside :math:`|k| < 1/\varepsilon`),
    so no single slope describes it. Keep the errors well above the quadrature accuracy
    (about 1e-12), or the fitted slope measures round-off.

    Examples
    --------
    >>> order = convergence_order("gaussian", lambda x: np.exp(-x**2), [1e-3, 1e-2, 1e-1])
    >>> round(order, 2)
    2.0
    """
    kernel = _check_kernel(kernel, ("lorentzian", "gaussian", "sinc", "box"))
    if not callable(phi):
        raise ValueError(f"phi must be a callable test function, got phi={phi!r}")
    try:
        widths = np.asarray(eps_values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"eps_values must be real numbers, got eps_values={eps_values!r}"
        ) from None
    if not np.all(np.isfinite(widths) & (widths > 0)):
        raise ValueError(f"eps_values must all be finite and > 0, got eps_values={eps_values!r}")
    if widths.ndim != 1 or np.unique(widths).size < 2:
        raise ValueError(
            f"eps_values must be a 1-D sequence of at least 2 distinct widths, "
            f"got eps_values={eps_values!r}"
        )

    phi0 = float(phi(0.0))
    errors = np.array([abs(delta_pairing(kernel, phi, float(e)) - phi0) for e in widths])
    if np.any(errors == 0.0):
        raise ValueError(
            f"the pairing error is exactly 0 for some eps_values={eps_values!r}: "
            "its logarithm is undefined, use larger widths"
        )
    slope, _ = np.polyfit(np.log(widths), np.log(errors), 1)
    return float(slope)


def lorentzian_sympy() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    r"""The Lorentzian kernel and its first two x-derivatives as SymPy expressions.

    Returns
    -------
    tuple of sympy.Expr
        ``(f, f_x, f_xx)`` in the symbols ``x`` (declared real) and ``epsilon`` (declared
        positive), with :math:`f = \varepsilon / (\pi (x^2 + \varepsilon^2))`.

    Notes
    -----
    .. math::

        f = \frac{\varepsilon}{\pi(x^2+\varepsilon^2)}, \qquad
        f_x = -\frac{2\varepsilon x}{\pi(x^2+\varepsilon^2)^2}, \qquad
        f_{xx} = \frac{2\varepsilon(3x^2-\varepsilon^2)}{\pi(x^2+\varepsilon^2)^3}.

    The assumptions matter: with ``epsilon`` positive, ``sp.integrate(f, (x, -sp.oo, sp.oo))``
    returns 1; without them SymPy cannot decide the sign of :math:`\varepsilon` and returns a
    ``Piecewise``. The symbols are recovered with ``f.free_symbols``, or re-created with the
    same names and assumptions (SymPy symbols with equal name and assumptions are equal).

    Examples
    --------
    >>> f, f_x, f_xx = lorentzian_sympy()
    >>> x, epsilon = sp.Symbol("x", real=True), sp.Symbol("epsilon", positive=True)
    >>> sp.integrate(f, (x, -sp.oo, sp.oo))
    1
    """
    x = sp.Symbol("x", real=True)
    epsilon = sp.Symbol("epsilon", positive=True)
    f = epsilon / (sp.pi * (x**2 + epsilon**2))
    f_x = sp.factor(sp.diff(f, x))
    f_xx = sp.factor(sp.diff(f, x, 2))
    return f, f_x, f_xx
