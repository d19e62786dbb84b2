r"""The principal value of :math:`1/x`: the distributional derivative of :math:`\ln|x|`.

The function :math:`\ln|x|` is locally integrable, so it is a distribution, and its derivative
is defined by moving the derivative onto the test function:

.. math::

    \langle (\ln|x|)', \varphi \rangle = -\int_{-\infty}^{\infty} \ln|x|\, \varphi'(x)\, dx
    = \mathrm{p.v.}\!\int_{-\infty}^{\infty} \frac{\varphi(x)}{x}\, dx
    = \int_0^{\infty} \frac{\varphi(x) - \varphi(-x)}{x}\, dx .

The principal value removes a *symmetric* interval :math:`(-\varepsilon, \varepsilon)` around the
pole and lets :math:`\varepsilon \to 0^+`; the two halves of the divergence
:math:`\pm\varphi(0)\ln\varepsilon` cancel only because the interval is symmetric. Approaching the
real axis from the complex plane instead gives the Sokhotski–Plemelj formula

.. math::

    \lim_{\eta \to 0^+} \frac{1}{x \pm i\eta}
    = \mathrm{p.v.}\,\frac{1}{x} \mp i\pi\,\delta(x),
    \qquad (\ln(x + i0))' = \mathrm{p.v.}\,\frac{1}{x} - i\pi\,\delta(x).

This module computes principal-value integrals (and the Hilbert transform, which is one at every
point), the pairing of :math:`\ln|x|` with a derivative, the Plemelj pairing at finite
:math:`\eta`, the boundary value :math:`\ln(x + i0)`, a regularized logarithm, the derivative of
:math:`\ln x^2`, and the improper (not absolutely convergent) Dirichlet integral.

All functions validate their arguments first and raise :class:`ValueError` with a message that
names the offending argument.
"""

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import scipy.integrate

__all__ = [  # noqa: RUF022 (the order of the contract in COURSE.md, not alphabetical)
    "pv_integral",
    "log_abs_pairing",
    "regularized_log",
    "plemelj_pairing",
    "log_x_plus_i0",
    "hilbert_transform",
    "log_square_pairing",
    "dirichlet_integral",
]


def _check_callable(func: object, name: str) -> Callable[[np.ndarray], np.ndarray]:
    r"""Return ``func`` if it is callable, else raise ValueError naming the argument ``name``."""
    if not callable(func):
        raise ValueError(f"{name} must be a callable function of x, got {name}={func!r}")
    return func


def _check_real(
    value: npt.ArrayLike,
    name: str,
    *,
    scalar: bool = True,
    positive: bool = False,
    nonzero: bool = False,
) -> np.ndarray | float:
    r"""Validate a real, finite argument; optionally require it to be > 0 or nonzero.

    Returns ``value`` as a Python float when ``scalar`` is true (an array with more than one
    entry is then rejected), else as a float64 array of any shape whose entries must all pass.
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {name}={value!r}") from None
    if scalar and array.ndim != 0:
        raise ValueError(f"{name} must be a scalar, got {name}={value!r}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {name}={value!r}")
    if positive and not np.all(array > 0):
        raise ValueError(f"{name} must be > 0, got {name}={value!r}")
    if nonzero and np.any(array == 0):
        raise ValueError(f"{name} must be nonzero, got {name}={value!r}")
    return float(array) if scalar else array


def _integrate_half_line(f: Callable[[float], float], start: float = 0.125) -> float:
    r"""Integral of ``f`` over :math:`[0, \infty)`, cut at :math:`s, 2s, 4s, \dots`.

    Adaptive quadrature samples an interval at a few points first and can miss a feature much
    narrower than the interval (a peak of width :math:`\eta` at 0, a bump far from 0). The half
    line is therefore cut at the geometric breakpoints :math:`s, 2s, 4s, \dots` with
    :math:`s` = ``start`` up to :math:`T \ge 64`; every piece is resolved by
    ``scipy.integrate.quad`` (which never evaluates ``f`` at an endpoint, so a removable
    singularity or an integrable log singularity at 0 is harmless), and the tail
    :math:`[T, \infty)` by its infinite-range rule.
    """
    n_pieces = max(math.ceil(math.log2(64.0 / start)), 0)
    total, lo = 0.0, 0.0
    for k in range(n_pieces + 1):
        hi = start * 2.0**k
        total += scipy.integrate.quad(f, lo, hi, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
        lo = hi
    total += scipy.integrate.quad(f, lo, np.inf, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
    return total


def pv_integral(phi: Callable[[np.ndarray], np.ndarray], c: float = 0.0) -> float:
    r"""Cauchy principal value of :math:`\int \varphi(x)/(x - c)\, dx` over the real line.

    Parameters
    ----------
    phi : callable
        Vectorized test function, smooth and decaying at least like :math:`1/(1+x^2)`.
    c : float, optional
        Position of the pole; finite. Default 0.

    Returns
    -------
    float
        :math:`\mathrm{p.v.}\int_{-\infty}^{\infty} \varphi(x)/(x-c)\, dx`, with absolute error
        below 1e-8 (about 1e-12 for test functions varying on a scale of order 1).

    Raises
    ------
    ValueError
        If ``phi`` is not callable or ``c`` is not a finite real number.

    Notes
    -----
    By definition, and after folding :math:`x = c \pm t` onto the half line,

    .. math::

        \mathrm{p.v.}\!\int_{-\infty}^{\infty} \frac{\varphi(x)}{x-c}\, dx
        = \lim_{\varepsilon\to 0^+}\int_{|x-c|>\varepsilon} \frac{\varphi(x)}{x-c}\, dx
        = \int_0^{\infty} \frac{\varphi(c+t) - \varphi(c-t)}{t}\, dt .

    The folded integrand is bounded (it tends to :math:`2\varphi'(c)` as :math:`t \to 0^+`),
    so ordinary adaptive quadrature applies; there is nothing left to cancel. At infinity it
    decays like :math:`1/t^3` for :math:`\varphi \sim 1/x^2` (the two :math:`1/t^2` terms
    cancel to leading order), so the tail is absolutely convergent. The pieces are cut at
    :math:`2^{-3}, 2^{-2}, \dots, 2^{6}`, then :math:`[64, \infty)`.

    An equivalent route is QUADPACK's Cauchy-weight rule, ``quad(phi, c - R, c + R,
    weight='cauchy', wvar=c)``, which needs finite limits with :math:`c` strictly inside, plus
    the two ordinary tails :math:`|x - c| > R`. Excising an *asymmetric* interval is wrong:
    removing :math:`(c-\varepsilon, c+2\varepsilon)` tends to the principal value minus
    :math:`\varphi(c)\ln 2`.

    Examples
    --------
    With :math:`\varphi(x) = e^{-(x-a)^2}` the value is :math:`2\sqrt{\pi}\,F(a-c)`, with
    :math:`F` Dawson's function:

    >>> import scipy.special
    >>> value = pv_integral(lambda x: np.exp(-((x - 1.0) ** 2)))
    >>> print(f"{value:.12f} {2 * math.sqrt(math.pi) * scipy.special.dawsn(1.0):.12f}")
    1.907442188242 1.907442188242
    """
    phi = _check_callable(phi, "phi")
    c = _check_real(c, "c")

    def folded(t: float) -> float:
        return float(phi(c + t) - phi(c - t)) / t

    return _integrate_half_line(folded)


def log_abs_pairing(dphi: Callable[[np.ndarray], np.ndarray]) -> float:
    r"""Pairing of :math:`\ln|x|` with a derivative: :math:`-\int \ln|x|\,\varphi'(x)\, dx`.

    Parameters
    ----------
    dphi : callable
        Vectorized derivative :math:`\varphi'` of a test function :math:`\varphi` that is smooth
        and decays at least like :math:`1/(1+x^2)`.

    Returns
    -------
    float
        :math:`-\int_{-\infty}^{\infty} \ln|x|\,\varphi'(x)\, dx`, which equals
        :math:`\mathrm{p.v.}\int \varphi(x)/x\, dx` (see :func:`pv_integral`).

    Raises
    ------
    ValueError
        If ``dphi`` is not callable.

    Notes
    -----
    This is the definition of the distributional derivative of :math:`\ln|x|`:

    .. math::

        \langle (\ln|x|)', \varphi\rangle = -\langle \ln|x|, \varphi' \rangle
        = -\int_0^{\infty} \ln t\, \bigl(\varphi'(t) + \varphi'(-t)\bigr)\, dt
        = \mathrm{p.v.}\!\int_{-\infty}^{\infty} \frac{\varphi(x)}{x}\, dx .

    Integrating by parts on :math:`|x| > \varepsilon` gives the principal value plus the
    boundary term :math:`(\varphi(\varepsilon) - \varphi(-\varepsilon))\ln\varepsilon
    = O(\varepsilon\ln\varepsilon) \to 0`. No principal value is needed here:
    :math:`\ln|x|` has an integrable singularity at 0. The integral is folded onto
    :math:`[0, \infty)` (so the singularity sits at an endpoint, where ``quad`` never
    evaluates and its extrapolation handles the logarithm) and cut geometrically.

    Examples
    --------
    >>> value = log_abs_pairing(lambda x: -2.0 * (x - 1.0) * np.exp(-((x - 1.0) ** 2)))
    >>> print(f"{value:.12f}")  # = pv_integral(exp(-(x - 1)^2)) = 2 sqrt(pi) F(1)
    1.907442188242
    """
    dphi = _check_callable(dphi, "dphi")

    def folded(t: float) -> float:
        return -math.log(t) * float(dphi(t) + dphi(-t))

    return _integrate_half_line(folded)


def regularized_log(x: npt.ArrayLike, eps: npt.ArrayLike) -> np.ndarray:
    r"""Regularized logarithm :math:`\ln(|x| + \varepsilon)`, finite at the origin.

    Parameters
    ----------
    x : array_like
        Real points.
    eps : array_like
        Regularization; finite and > 0. Broadcast against ``x``.

    Returns
    -------
    numpy.ndarray
        Float64 array of the broadcast shape of ``x`` and ``eps``.

    Raises
    ------
    ValueError
        If ``x`` is not real, or ``eps`` is not finite and > 0.

    Notes
    -----
    .. math::

        \ell_\varepsilon(x) = \ln(|x| + \varepsilon), \qquad
        \ell_\varepsilon'(x) = \frac{\operatorname{sign}(x)}{|x| + \varepsilon}.

    :math:`\ell_\varepsilon` is continuous, bounded below by :math:`\ln\varepsilon`, and
    decreases to :math:`\ln|x|` as :math:`\varepsilon \to 0^+`; since
    :math:`|\ell_\varepsilon - \ln|x|| \le \ln(1 + \varepsilon/|x|)` is dominated by an
    integrable function, :math:`\ell_\varepsilon \to \ln|x|` in distributions, and therefore
    its (classical) derivative, an odd bounded function, converges to
    :math:`\mathrm{p.v.}\,1/x`.

    Examples
    --------
    >>> regularized_log([-1.0, 0.0, 1.0], 1.0)
    array([0.69314718, 0.        , 0.69314718])
    """
    eps = _check_real(eps, "eps", scalar=False, positive=True)
    try:
        x = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"x must be real numbers, got x={x!r}") from None
    return np.asarray(np.log(np.abs(x) + eps), dtype=np.float64)


def plemelj_pairing(phi: Callable[[np.ndarray], np.ndarray], eta: float) -> complex:
    r"""Integral of :math:`\varphi(x)/(x + i\eta)` over the real line, at a finite :math:`\eta`.

    Parameters
    ----------
    phi : callable
        Vectorized real test function, smooth and decaying at least like :math:`1/(1+x^2)`.
    eta : float
        Distance of the pole :math:`-i\eta` from the real axis; real, finite and nonzero.

    Returns
    -------
    complex
        :math:`\int_{-\infty}^{\infty} \varphi(x)/(x + i\eta)\, dx`.

    Raises
    ------
    ValueError
        If ``phi`` is not callable, or ``eta`` is zero or not a finite real number.

    Notes
    -----
    Multiplying by the conjugate, :math:`1/(x + i\eta) = (x - i\eta)/(x^2 + \eta^2)`, so

    .. math::

        \int \frac{\varphi(x)}{x + i\eta}\, dx
        = \int_0^{\infty} \frac{t\,(\varphi(t) - \varphi(-t))}{t^2 + \eta^2}\, dt
        \;-\; i\,\eta\int_0^{\infty} \frac{\varphi(t) + \varphi(-t)}{t^2 + \eta^2}\, dt .

    The real part tends to :math:`\mathrm{p.v.}\int\varphi(x)/x\, dx`; the imaginary part is
    :math:`-\pi\operatorname{sign}(\eta)` times the pairing of :math:`\varphi` with the
    Lorentzian :math:`|\eta|/(\pi(x^2+\eta^2))`, a delta sequence. Hence Sokhotski–Plemelj:

    .. math::

        \lim_{\eta\to 0^\pm} \int \frac{\varphi(x)}{x + i\eta}\, dx
        = \mathrm{p.v.}\!\int \frac{\varphi(x)}{x}\, dx \mp i\pi\,\varphi(0).

    For small :math:`|\eta|` the imaginary integrand is a peak of width :math:`|\eta|`, so the
    half line is cut at :math:`s, 2s, 4s, \dots` with :math:`s = \min(|\eta|, 1)/8`.
    For :math:`\varphi = e^{-x^2}` the value is
    :math:`-i\pi\operatorname{sign}(\eta)\, e^{\eta^2}\operatorname{erfc}(|\eta|)`.

    Examples
    --------
    >>> value = plemelj_pairing(lambda x: np.exp(-(x**2)), 0.1)
    >>> print(f"{value.real:.12f} {value.imag:.12f}")
    0.000000000000 -2.816302662530
    """
    phi = _check_callable(phi, "phi")
    eta = _check_real(eta, "eta", nonzero=True)

    def real_part(t: float) -> float:
        return t / (t * t + eta * eta) * float(phi(t) - phi(-t))

    def imag_part(t: float) -> float:
        return -eta / (t * t + eta * eta) * float(phi(t) + phi(-t))

    start = min(abs(eta), 1.0) / 8.0
    return complex(_integrate_half_line(real_part, start), _integrate_half_line(imag_part, start))


def log_x_plus_i0(x: npt.ArrayLike) -> np.ndarray:
    r"""Boundary value :math:`\ln(x + i0) = \ln|x| + i\pi\,[x < 0]` of the complex logarithm.

    Parameters
    ----------
    x : array_like
        Real points. ``-0.0`` counts as 0 (no :math:`i\pi`); the value at 0 is :math:`-\infty`.

    Returns
    -------
    numpy.ndarray
        Complex128 array of the shape of ``x``.

    Raises
    ------
    ValueError
        If ``x`` is not real.

    Notes
    -----
    With the principal branch, :math:`\ln(x + i\eta) \to \ln|x| + i\pi\,H(-x)` as
    :math:`\eta \to 0^+`, so in distributions

    .. math::

        \ln(x + i0) = \ln|x| + i\pi H(-x), \qquad
        \frac{d}{dx}\ln(x + i0) = \mathrm{p.v.}\,\frac{1}{x} - i\pi\,\delta(x).

    The imaginary part is built from the comparison ``x < 0`` rather than by calling
    ``np.log`` on a complex number: ``np.log(complex(-2, -0.0))`` is :math:`\ln 2 - i\pi`,
    because the branch cut follows the *sign* of a zero imaginary part (:math:`x - i0`, the
    other boundary value). ``-0.0 < 0`` is false, so a negative zero gets no :math:`i\pi`.

    Examples
    --------
    >>> log_x_plus_i0([-1.0, 1.0])
    array([0.+3.14159265j, 0.+0.j        ])
    """
    try:
        x = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"x must be real numbers, got x={x!r}") from None
    values = np.empty(x.shape, dtype=np.complex128)
    with np.errstate(divide="ignore"):
        values.real = np.log(np.abs(x))
    values.imag = np.where(x < 0, np.pi, 0.0)
    return values


def hilbert_transform(f: Callable[[np.ndarray], np.ndarray], y: npt.ArrayLike) -> np.ndarray:
    r"""Hilbert transform :math:`(Hf)(y) = \frac{1}{\pi}\,\mathrm{p.v.}\int f(x)/(y - x)\, dx`.

    Parameters
    ----------
    f : callable
        Vectorized function, smooth and decaying at least like :math:`1/(1+x^2)`.
    y : array_like
        Finite points at which to evaluate the transform.

    Returns
    -------
    numpy.ndarray
        Float64 array of the shape of ``y``.

    Raises
    ------
    ValueError
        If ``f`` is not callable, or ``y`` is not real or not finite.

    Notes
    -----
    The transform is a principal value at every point (note the sign: :math:`y - x`, not
    :math:`x - y`). Folding :math:`x = y \mp t`,

    .. math::

        (Hf)(y) = \frac{1}{\pi}\,\mathrm{p.v.}\!\int_{-\infty}^{\infty}\frac{f(x)}{y-x}\, dx
        = \frac{1}{\pi}\int_0^{\infty} \frac{f(y-t) - f(y+t)}{t}\, dt ,

    a convolution with :math:`\mathrm{p.v.}\,1/(\pi x)`. Examples:
    :math:`H[1/(1+x^2)](y) = y/(1+y^2)` and :math:`H[e^{-x^2}](y) = \tfrac{2}{\sqrt\pi}F(y)`,
    with :math:`F` Dawson's function. Each point costs one adaptive quadrature.

    Examples
    --------
    >>> hilbert_transform(lambda x: 1.0 / (1.0 + x**2), [0.0, 1.0, 2.0])
    array([0. , 0.5, 0.4])
    """
    f = _check_callable(f, "f")
    y = _check_real(y, "y", scalar=False)

    def transform(point: float) -> float:
        def folded(t: float) -> float:
            return float(f(point - t) - f(point + t)) / t

        return _integrate_half_line(folded) / np.pi

    values = [transform(float(point)) for point in y.ravel()]
    return np.asarray(values, dtype=np.float64).reshape(y.shape)


def log_square_pairing(phi: Callable[[np.ndarray], np.ndarray]) -> float:
    r"""Distributional derivative of :math:`\ln x^2` paired with a test function.

    Parameters
    ----------
    phi : callable
        Vectorized test function, smooth and decaying at least like :math:`1/(1+x^2)`.

    Returns
    -------
    float
        :math:`\langle (\ln x^2)', \varphi\rangle = 2\,\mathrm{p.v.}\int \varphi(x)/x\, dx`.

    Raises
    ------
    ValueError
        If ``phi`` is not callable.

    Notes
    -----
    :math:`\ln x^2 = 2\ln|x|` for :math:`x \ne 0` and both are locally integrable, so they are
    the same distribution and

    .. math::

        \langle (\ln x^2)', \varphi\rangle = -\int \ln(x^2)\,\varphi'(x)\, dx
        = 2\,\mathrm{p.v.}\!\int_{-\infty}^{\infty} \frac{\varphi(x)}{x}\, dx
        = 2\int_0^{\infty} \frac{\varphi(t) - \varphi(-t)}{t}\, dt .

    The classical derivative :math:`2/x` is not locally integrable; the distribution is
    :math:`2\,\mathrm{p.v.}\,1/x`, with no :math:`\delta` term (unlike :math:`\ln(x + i0)`).

    Examples
    --------
    >>> value = log_square_pairing(lambda x: x * np.exp(-(x**2)))
    >>> print(f"{value:.12f} {2 * math.sqrt(math.pi):.12f}")
    3.544907701811 3.544907701811
    """
    phi = _check_callable(phi, "phi")

    def folded(t: float) -> float:
        return float(phi(t) - phi(-t)) / t

    return 2.0 * _integrate_half_line(folded)


def dirichlet_integral() -> float:
    r"""The Dirichlet integral :math:`\int_{-\infty}^{\infty} \sin(x)/x\, dx`, computed.

    Returns
    -------
    float
        The improper integral, equal to :math:`\pi`, with absolute error about 1e-13.

    Notes
    -----
    The integrand is even and not absolutely integrable (:math:`|\sin x|/x` has a divergent
    integral), so the value exists only as :math:`\lim_{R\to\infty}\int_{-R}^{R}`. Truncating
    leaves an error that decays only like :math:`1/R`: integrating by parts,

    .. math::

        \int_{|x|>R} \frac{\sin x}{x}\, dx = 2\int_R^\infty \frac{\sin x}{x}\, dx
        = \frac{2\cos R}{R} + O(R^{-2}),

    about :math:`1.1\times 10^{-3}` for :math:`R = 1000`. Instead the line is split as

    .. math::

        \int_{-\infty}^{\infty} \frac{\sin x}{x}\, dx
        = 2\int_0^1 \frac{\sin x}{x}\, dx + 2\int_1^\infty \frac{1}{x}\,\sin x\, dx,

    a smooth integral plus a Fourier integral that QUADPACK's QAWF rule (``quad`` with
    ``weight='sin'``, ``wvar=1`` and an infinite upper limit) sums cycle by cycle with
    extrapolation, so no truncation error is left.

    Examples
    --------
    >>> print(f"{dirichlet_integral():.12f}")
    3.141592653590
    """
    core = scipy.integrate.quad(lambda x: math.sin(x) / x, 0.0, 1.0, epsabs=1e-14)[0]
    # QAWF reaches about 1e-15 with epsabs=1e-12; asking for less than ~1e-13 only makes it
    # report "bad integrand behavior" in the cycles, without gaining accuracy.
    tail = scipy.integrate.quad(
        lambda x: 1.0 / x, 1.0, np.inf, weight="sin", wvar=1.0, epsabs=1e-12
    )[0]
    return 2.0 * (core + tail)
