r"""Double descent: the test error of minimum-norm interpolation as the model grows.

Fit :math:`n` data points with a linear model in :math:`p` features,
:math:`\hat f(x) = \sum_{k<p} w_k \phi_k(x)`. For :math:`p < n` the least-squares fit is unique
and the classical U-shaped bias-variance curve appears. At :math:`p = n` the square feature
matrix :math:`\Phi` can just barely fit every point, its smallest singular value is tiny, and the
fit amplifies the noise enormously. For :math:`p > n` there are infinitely many interpolants;
choosing the one of *minimum norm*, :math:`\hat w = \Phi^{+} y`, spreads the fit over many
features and the test error comes down again: a second descent (Belkin, Hsu, Ma and Mandal,
PNAS 2019).

For the isotropic Gaussian design :math:`x_i \sim N(0, I_p)`, :math:`y = x^\top\beta + \varepsilon`
with :math:`\|\beta\|^2 = r^2` and :math:`\operatorname{Var}\varepsilon = \sigma^2`, the expected
excess risk of the minimum-norm estimator is known exactly (Belkin, Hsu and Xu, 2020; Hastie,
Montanari, Rosset and Tibshirani, 2022):

.. math::

    \mathbb{E}\,\|\hat\beta - \beta\|^2 =
    \begin{cases}
        \sigma^2 \dfrac{p}{n - p - 1} & p \le n - 2, \\[1ex]
        r^2 \Bigl(1 - \dfrac{n}{p}\Bigr) + \sigma^2 \dfrac{n}{p - n - 1} & p \ge n + 2,
    \end{cases}

and infinite in between: the peak of the curve sits at the interpolation threshold
:math:`p = n`.

This module implements orthonormal Legendre features, the minimum-norm least-squares solution,
the exact Gaussian-design risk and its Monte Carlo estimate, and the double descent curve of a
Legendre fit of :math:`\sin(\pi x)`.

All functions validate their arguments first and raise :class:`ValueError` with a message that
names the offending argument.
"""

import math

import numpy as np
import numpy.typing as npt

__all__ = [  # noqa: RUF022 (the order of the contract in COURSE.md, not alphabetical)
    "legendre_features",
    "min_norm_solution",
    "gaussian_design_risk",
    "simulate_gaussian_risk",
    "legendre_risk_curve",
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


def legendre_features(x: npt.ArrayLike, p: int) -> np.ndarray:
    r"""Orthonormal Legendre features :math:`\sqrt{2k+1}\,P_k(x)`, :math:`k = 0, \dots, p-1`.

    Parameters
    ----------
    x : array_like
        Points in :math:`[-1, 1]`, shape ``(n,)`` (a scalar counts as one point).
    p : int
        Number of features; an integer >= 1.

    Returns
    -------
    numpy.ndarray
        Float64 matrix of shape ``(n, p)`` whose column :math:`k` is
        :math:`\phi_k(x) = \sqrt{2k+1}\,P_k(x)`.

    Raises
    ------
    ValueError
        If ``x`` is not a finite real scalar or vector, has a point outside :math:`[-1, 1]`, or
        if ``p`` is not an integer >= 1.

    Notes
    -----
    The Legendre polynomials satisfy Bonnet's three-term recurrence

    .. math::

        P_0(x) = 1, \qquad P_1(x) = x, \qquad
        (k+1)\,P_{k+1}(x) = (2k+1)\,x\,P_k(x) - k\,P_{k-1}(x),

    and :math:`\int_{-1}^{1} P_j P_k\, dx = \tfrac{2}{2k+1}\,\delta_{jk}`. So the features are
    orthonormal for the uniform distribution on :math:`[-1, 1]`:

    .. math::

        \mathbb{E}_{x \sim U[-1, 1]}\bigl[\phi_j(x)\,\phi_k(x)\bigr]
        = \frac12 \int_{-1}^{1} \phi_j(x)\,\phi_k(x)\, dx = \delta_{jk} .

    The recurrence is run forward, as ``numpy.polynomial.legendre.legvander`` does. On
    :math:`[-1, 1]` this is stable: :math:`|P_k(x)| \le 1`, and the recurrence has no second
    solution that grows faster than :math:`P_k` there (the Legendre functions of the second kind
    are of comparable size), so rounding errors are not amplified exponentially and stay at a few
    ulps for the degrees used here. Outside :math:`[-1, 1]` the polynomials grow like
    :math:`(|x| + \sqrt{x^2-1})^k` and are no longer orthonormal for any weight on the data, which
    is why such points are rejected.

    Examples
    --------
    >>> legendre_features([-1.0, 0.0, 1.0], 3) ** 2  # phi_k(1)^2 = 2k+1, phi_1(0) = 0
    array([[1.  , 3.  , 5.  ],
           [1.  , 0.  , 1.25],
           [1.  , 3.  , 5.  ]])
    """
    x = _as_real(x, "x")
    if x.ndim > 1:
        raise ValueError(f"x must be a scalar or a vector, got x with shape {x.shape}")
    x = np.atleast_1d(x)
    outside = np.abs(x) > 1.0
    if np.any(outside):
        raise ValueError(f"x must lie in [-1, 1], got a point x={float(x[outside][0])!r}")
    p = _as_int(p, "p", 1)

    legendre = np.empty((x.size, p), dtype=np.float64)
    legendre[:, 0] = 1.0
    if p > 1:
        legendre[:, 1] = x
    for k in range(1, p - 1):
        legendre[:, k + 1] = ((2 * k + 1) * x * legendre[:, k] - k * legendre[:, k - 1]) / (k + 1)
    return legendre * np.sqrt(2.0 * np.arange(p) + 1.0)


def min_norm_solution(Phi: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Minimum-norm least-squares solution :math:`\Phi^{+} y`.

    Parameters
    ----------
    Phi : array_like
        Feature (design) matrix, shape ``(n, p)`` with :math:`n, p \ge 1`; finite.
    y : array_like
        Targets, shape ``(n,)``; finite.

    Returns
    -------
    numpy.ndarray
        Float64 vector :math:`\hat w` of shape ``(p,)``. For :math:`p \ge n` and
        :math:`\Phi` of full row rank it interpolates, :math:`\Phi\hat w = y` up to rounding.

    Raises
    ------
    ValueError
        If ``Phi`` is not a finite real matrix with at least one row and one column, or if
        ``y`` is not a finite vector of length ``n``.

    Notes
    -----
    With the thin SVD :math:`\Phi = U \operatorname{diag}(s) V^\top`, the minimum-norm
    least-squares solution is

    .. math::

        \hat w = \Phi^{+} y = \sum_{k:\; s_k > \tau} \frac{u_k^\top y}{s_k}\, v_k,
        \qquad \tau = \max(n, p)\,\epsilon_{\text{mach}}\, s_{\max},

    the unique minimizer of :math:`\|\Phi w - y\|` that has the smallest :math:`\|w\|` (it lies in
    the row space of :math:`\Phi`). Among all interpolants for :math:`p > n` it is the one the
    theory of double descent is about, and the limit of gradient descent started from
    :math:`w = 0`. It is computed by ``numpy.linalg.lstsq(Phi, y, rcond=None)`` (LAPACK
    ``gelsd``, an SVD-based solver).

    **How the cutoff was chosen.** ``rcond=None`` is the relative cutoff
    :math:`\tau / s_{\max} = \max(n, p)\,\epsilon_{\text{mach}}`, the same as
    ``numpy.linalg.pinv``: a singular value below it is indistinguishable from the rounding
    error of the SVD itself, so only those are dropped. A larger cutoff such as ``rcond=1e-3``
    would be wrong here: near the interpolation threshold :math:`p \approx n` the smallest
    singular values of a feature matrix at random points are typically :math:`10^{-4}` to
    :math:`10^{-10}` of the largest, and they carry exactly the part of :math:`y` needed to pass
    through every point. Dropping them turns the fit into a truncated-SVD (regularized)
    estimator that no longer interpolates and flattens the very peak the experiment is meant to
    show.

    When :math:`\Phi` is ill-conditioned, the residual left by the first solve can be well above
    rounding level. If :math:`\|y - \Phi\hat w\| > 16\,\epsilon_{\text{mach}}\|y\|`, one step of
    iterative refinement, :math:`\hat w \leftarrow \hat w + \Phi^{+}(y - \Phi\hat w)`, removes
    most of it; the correction lies in the same row space, so :math:`\hat w` stays the
    minimum-norm solution. (A least-squares problem that cannot be interpolated always takes
    this step; there it costs one more solve and changes :math:`\hat w` only by rounding.)
    No float64 method can do much better than :math:`\|\Phi\hat w - y\| \approx
    \epsilon_{\text{mach}}\,\|\Phi\|\,\|\hat w\|`: for 16 uniform random points and
    :math:`p = n = 16` about one draw in 200 has a condition number near :math:`10^{13}` or more
    and keeps a train MSE above :math:`10^{-10}`.

    Examples
    --------
    The shortest solution of :math:`w_1 + w_2 = 2` is :math:`(1, 1)`:

    >>> min_norm_solution([[1.0, 1.0]], [2.0])
    array([1., 1.])
    """
    Phi = _as_real(Phi, "Phi", ndim=2)
    n_rows, n_cols = Phi.shape
    if n_rows == 0 or n_cols == 0:
        raise ValueError(f"Phi must have at least one row and one column, got shape {Phi.shape}")
    y = _as_real(y, "y", ndim=1)
    if y.shape != (n_rows,):
        raise ValueError(f"y must have shape ({n_rows},) to match Phi, got y.shape={y.shape}")

    w = np.linalg.lstsq(Phi, y, rcond=None)[0]
    residual = y - Phi @ w
    if np.linalg.norm(residual) > 16.0 * np.finfo(np.float64).eps * np.linalg.norm(y):
        w = w + np.linalg.lstsq(Phi, residual, rcond=None)[0]
    return w


def gaussian_design_risk(n: int, p: int, r2: float, sigma2: float) -> float:
    r"""Exact expected excess risk of minimum-norm least squares with isotropic Gaussian design.

    Parameters
    ----------
    n : int
        Number of samples; an integer >= 1.
    p : int
        Number of features; an integer >= 1.
    r2 : float
        Signal strength :math:`\|\beta\|^2`; finite and >= 0.
    sigma2 : float
        Noise variance :math:`\sigma^2`; finite and >= 0.

    Returns
    -------
    float
        :math:`\sigma^2 p/(n-p-1)` for :math:`p < n - 1`,
        :math:`r^2(1 - n/p) + \sigma^2 n/(p-n-1)` for :math:`p > n + 1`, and ``inf`` for
        :math:`p \in \{n-1, n, n+1\}`.

    Raises
    ------
    ValueError
        If ``n`` or ``p`` is not an integer >= 1, or ``r2`` or ``sigma2`` is not finite and >= 0.

    Notes
    -----
    The model is :math:`y = X\beta + \varepsilon` with rows :math:`x_i \sim N(0, I_p)`,
    :math:`\varepsilon \sim N(0, \sigma^2 I_n)`, and :math:`\hat\beta = X^{+} y`. For isotropic
    design the excess test risk :math:`\mathbb{E}_x[(x^\top\hat\beta - x^\top\beta)^2]` equals
    :math:`\|\hat\beta - \beta\|^2`.

    *Under-parameterized,* :math:`p < n`: :math:`\hat\beta = \beta + (X^\top X)^{-1}X^\top
    \varepsilon` is unbiased and :math:`\mathbb{E}\|\hat\beta-\beta\|^2 = \sigma^2\,
    \mathbb{E}\operatorname{tr}(X^\top X)^{-1}`. The matrix :math:`X^\top X` is Wishart with
    :math:`n` degrees of freedom, and the mean of its inverse is :math:`I_p/(n-p-1)`, finite only
    for :math:`p \le n - 2`.

    *Over-parameterized,* :math:`p > n`: :math:`\hat\beta = P\beta + X^\top(XX^\top)^{-1}
    \varepsilon` with :math:`P` the projection onto the row space of :math:`X`, a uniformly random
    :math:`n`-dimensional subspace. The bias :math:`\|(I-P)\beta\|^2` has mean
    :math:`r^2(1 - n/p)`, the variance term :math:`\sigma^2\,\mathbb{E}\operatorname{tr}
    (XX^\top)^{-1} = \sigma^2 n/(p-n-1)`:

    .. math::

        \mathbb{E}\,\|\hat\beta - \beta\|^2 = r^2\Bigl(1 - \frac{n}{p}\Bigr)
        + \sigma^2\,\frac{n}{p - n - 1}, \qquad p \ge n + 2 .

    Both branches blow up at the interpolation threshold. For :math:`p \in \{n-1, n, n+1\}` the
    inverse-Wishart mean does not exist and the function returns ``inf``, as the course's
    contract specifies, for every ``r2`` and ``sigma2`` (with ``sigma2 = 0`` the true value
    there is finite, :math:`r^2(1 - n/p)^+`, but the formula is taught for noisy data).

    Examples
    --------
    >>> gaussian_design_risk(100, 200, 1.0, 1.0)  # 1/2 + 100/99
    1.5101010101010102
    >>> gaussian_design_risk(100, 100, 1.0, 1.0)
    inf
    """
    n = _as_int(n, "n", 1)
    p = _as_int(p, "p", 1)
    values = {}
    for name, value in (("r2", r2), ("sigma2", sigma2)):
        values[name] = float(_as_real(value, name, ndim=0))
        if values[name] < 0.0:
            raise ValueError(f"{name} must be >= 0, got {name}={value!r}")

    if p < n - 1:
        return values["sigma2"] * p / (n - p - 1)
    if p > n + 1:
        return values["r2"] * (1.0 - n / p) + values["sigma2"] * n / (p - n - 1)
    return math.inf


def simulate_gaussian_risk(
    n: int, p: int, r2: float, sigma2: float, trials: int, seed: int
) -> float:
    r"""Monte Carlo estimate of the excess risk of minimum-norm least squares (Gaussian design).

    Parameters
    ----------
    n : int
        Number of samples; an integer >= 1.
    p : int
        Number of features; an integer >= 1.
    r2 : float
        Signal strength :math:`\|\beta\|^2`; finite and >= 0.
    sigma2 : float
        Noise variance; finite and >= 0.
    trials : int
        Number of independent repetitions; an integer >= 1.
    seed : int
        Seed of ``numpy.random.default_rng``; an integer >= 0.

    Returns
    -------
    float
        The mean over the trials of :math:`\|\hat\beta - \beta\|^2`.

    Raises
    ------
    ValueError
        If an argument is out of range (see above).

    Notes
    -----
    Each trial draws, in this order from one generator: the design :math:`X` (``n x p``, i.i.d.
    :math:`N(0, 1)` entries), a direction :math:`u \sim N(0, I_p)` that gives
    :math:`\beta = r\,u/\|u\|`, and the noise :math:`\varepsilon \sim N(0, \sigma^2 I_n)`; then

    .. math::

        \hat\beta = X^{+}(X\beta + \varepsilon), \qquad
        R = \|\hat\beta - \beta\|^2 = \mathbb{E}_{x \sim N(0, I_p)}
        \bigl[(x^\top\hat\beta - x^\top\beta)^2\bigr] .

    The risk depends on :math:`\beta` only through :math:`\|\beta\|` (the design is
    rotation-invariant), so a random direction and a fixed one have the same expectation,
    :func:`gaussian_design_risk`. Near the threshold, :math:`|p - n| \le 1`, that expectation is
    infinite and the sample mean does not settle: it is dominated by the worst trial.

    Examples
    --------
    >>> risk = simulate_gaussian_risk(50, 10, 1.0, 1.0, trials=2000, seed=0)
    >>> bool(abs(risk - gaussian_design_risk(50, 10, 1.0, 1.0)) < 0.02)  # 10/39 = 0.256
    True
    """
    n = _as_int(n, "n", 1)
    p = _as_int(p, "p", 1)
    values = {}
    for name, value in (("r2", r2), ("sigma2", sigma2)):
        values[name] = float(_as_real(value, name, ndim=0))
        if values[name] < 0.0:
            raise ValueError(f"{name} must be >= 0, got {name}={value!r}")
    trials = _as_int(trials, "trials", 1)
    seed = _as_int(seed, "seed", 0)

    rng = np.random.default_rng(seed)
    signal, noise_std = math.sqrt(values["r2"]), math.sqrt(values["sigma2"])
    risks = np.empty(trials)
    for trial in range(trials):
        X = rng.standard_normal((n, p))
        direction = rng.standard_normal(p)
        beta = signal * direction / np.linalg.norm(direction)
        y = X @ beta + noise_std * rng.standard_normal(n)
        risks[trial] = np.sum((min_norm_solution(X, y) - beta) ** 2)
    return float(np.mean(risks))


def legendre_risk_curve(
    p_values: npt.ArrayLike,
    n: int = 16,
    trials: int = 200,
    noise_std: float = 0.1,
    seed: int = 0,
) -> np.ndarray:
    r"""Double descent curve: median test MSE of minimum-norm Legendre fits of :math:`\sin(\pi x)`.

    Parameters
    ----------
    p_values : array_like of int
        Model sizes (numbers of Legendre features) to evaluate, a non-empty vector of
        integers >= 1.
    n : int, optional
        Number of training points; an integer >= 1.
    trials : int, optional
        Number of independent training sets; an integer >= 1.
    noise_std : float, optional
        Standard deviation of the label noise; finite and >= 0.
    seed : int, optional
        Seed of ``numpy.random.default_rng``; an integer >= 0.

    Returns
    -------
    numpy.ndarray
        Float64 vector of length ``len(p_values)``: entry :math:`j` is the median over the
        trials of the test MSE of the fit with ``p_values[j]`` features.

    Raises
    ------
    ValueError
        If an argument is out of range (see above).

    Notes
    -----
    Each trial draws, in this order from one generator, :math:`n` training inputs
    :math:`x_i \sim U[-1, 1)`, their noise :math:`\varepsilon_i \sim N(0, 1)`, and 1000 test
    inputs :math:`x'_j \sim U[-1, 1)`. The labels are :math:`y_i = \sin(\pi x_i) +
    \sigma\varepsilon_i` with :math:`\sigma` = ``noise_std``. For each :math:`p` the model
    :math:`\hat f_p(x) = \sum_{k<p} \hat w_k\,\phi_k(x)` is fitted with
    :func:`min_norm_solution` on :func:`legendre_features`, and its test MSE is measured against
    the **noiseless** target,

    .. math::

        \operatorname{MSE}_p = \frac{1}{1000}\sum_{j=1}^{1000}
        \bigl(\hat f_p(x'_j) - \sin(\pi x'_j)\bigr)^2,

    the excess risk (testing against noisy labels would add :math:`\sigma^2` on average). All
    model sizes of one trial share its training and test sets, so the curve's shape is not
    blurred by differences between draws. The median is used, not the mean, because near
    :math:`p = n` a few nearly singular draws reach errors of :math:`10^{15}` or more and would
    dominate any mean.

    The curve falls (bias shrinks), rises sharply to a peak at :math:`p = n` where the square
    system :math:`\Phi\hat w = y` is nearly singular, and then descends again for :math:`p > n`,
    where the smallest singular value of :math:`\Phi` moves away from 0. How far it descends is
    not universal: with many more features the interpolant turns into spikes at the data points
    and the test error creeps back up (towards 1/2 here, the mean of :math:`\sin^2 \pi x`).

    Examples
    --------
    >>> curve = legendre_risk_curve([4, 16, 64], n=16, trials=20)
    >>> bool(curve[1] > 100 * max(curve[0], curve[2]))  # the peak at p = n
    True
    """
    p_array = np.asarray(p_values)
    if p_array.ndim != 1 or p_array.size == 0:
        raise ValueError(f"p_values must be a non-empty vector, got p_values={p_values!r}")
    if not all(type(v) is int and v >= 1 for v in p_array.tolist()):
        raise ValueError(f"p_values must be integers >= 1, got p_values={p_values!r}")
    sizes = [int(v) for v in p_array.tolist()]
    n = _as_int(n, "n", 1)
    trials = _as_int(trials, "trials", 1)
    noise = float(_as_real(noise_std, "noise_std", ndim=0))
    if noise < 0.0:
        raise ValueError(f"noise_std must be >= 0, got noise_std={noise_std!r}")
    seed = _as_int(seed, "seed", 0)

    rng = np.random.default_rng(seed)
    n_test, p_max = 1000, max(sizes)
    test_mse = np.empty((trials, len(sizes)))
    for trial in range(trials):
        x_train = rng.uniform(-1.0, 1.0, n)
        y_train = np.sin(np.pi * x_train) + noise * rng.standard_normal(n)
        x_test = rng.uniform(-1.0, 1.0, n_test)
        features = legendre_features(x_train, p_max)
        # Column k of the features does not depend on p: fit each size on the leading columns,
        # and predict every size at once with zero-padded coefficient vectors.
        coefficients = np.zeros((p_max, len(sizes)))
        for j, p in enumerate(sizes):
            coefficients[:p, j] = min_norm_solution(features[:, :p], y_train)
        errors = legendre_features(x_test, p_max) @ coefficients - np.sin(np.pi * x_test)[:, None]
        test_mse[trial] = np.mean(errors**2, axis=0)
    return np.median(test_mse, axis=0)
