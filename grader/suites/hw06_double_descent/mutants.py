"""Known-wrong hw06 implementations: each must lose points on its question."""

from grader.suites import Mutant

_CURVE = """\
import numpy as np


def legendre_risk_curve(p_values, n=16, trials=200, noise_std=0.1, seed=0):
    rng = np.random.default_rng(seed)
    x_test = np.linspace(-1, 1, 1001)
    target = np.sin(np.pi * x_test)
    test_features = legendre_features(x_test, max(p_values))
    errors = np.empty((trials, len(p_values)))
    for t in range(trials):
        x = rng.uniform(-1, 1, n)
        y = np.sin(np.pi * x) + noise_std * rng.normal(size=n)
        train_features = legendre_features(x, max(p_values))
        for j, p in enumerate(p_values):
            w = min_norm_solution(train_features[:, :p], y)
            errors[t, j] = np.mean((test_features[:, :p] @ w - target) ** 2)
    return errors.mean(axis=0)
"""


def _formula_simulation(answer: str) -> str:
    """A simulate_gaussian_risk that checks its arguments and returns ``answer``, an expression
    of the closed form ``exact``, simulating nothing."""
    return f"""\
import numpy as np


def simulate_gaussian_risk(n, p, r2, sigma2, trials, seed):
    if min(n, p, trials) < 1 or r2 < 0 or sigma2 < 0 or seed < 0:
        raise ValueError("n, p and trials must be >= 1, r2, sigma2 and seed >= 0")
    exact = gaussian_design_risk(n, p, r2, sigma2)
    return float({answer})
"""


MUTANTS = [
    Mutant(
        name="legendre_unnormalized",
        question="legendre_features",
        why="plain P_k(x) columns: the features are not orthonormal",
        source="""\
import numpy as np


def legendre_features(x, p):
    x = np.asarray(x, dtype=float)
    if np.any(np.abs(x) > 1):
        raise ValueError("x must lie in [-1, 1]")
    return np.polynomial.legendre.legvander(x, p - 1)
""",
    ),
    Mutant(
        name="lstsq_large_cutoff",
        question="min_norm_solution",
        why="lstsq with rcond=1e-3 drops the small singular values: no interpolation near p = n",
        source="""\
import numpy as np


def min_norm_solution(Phi, y):
    return np.linalg.lstsq(np.asarray(Phi, float), np.asarray(y, float), rcond=1e-3)[0]
""",
    ),
    Mutant(
        name="risk_n_p_swapped",
        question="gaussian_design_risk",
        why="sigma2 n/(n - p - 1) below the threshold: n and p swapped in the numerator",
        source="""\
import numpy as np


def gaussian_design_risk(n, p, r2, sigma2):
    if p < n - 1:
        return sigma2 * n / (n - p - 1)
    if p > n + 1:
        return r2 * (1 - n / p) + sigma2 * n / (p - n - 1)
    return np.inf
""",
    ),
    Mutant(
        name="simulation_counts_the_noise",
        question="simulate_gaussian_risk",
        why="reports the prediction risk (excess risk + sigma2), not the excess risk",
        source="""\
import numpy as np


def simulate_gaussian_risk(n, p, r2, sigma2, trials, seed):
    rng = np.random.default_rng(seed)
    total = 0.0
    for _ in range(trials):
        beta = rng.normal(size=p)
        beta *= np.sqrt(r2) / np.linalg.norm(beta)
        X = rng.normal(size=(n, p))
        y = X @ beta + np.sqrt(sigma2) * rng.normal(size=n)
        total += np.sum((np.linalg.pinv(X) @ y - beta) ** 2) + sigma2
    return total / trials
""",
    ),
    Mutant(
        name="simulation_is_the_formula",
        question="simulate_gaussian_risk",
        why="returns the closed form: no simulation, no spread over seeds",
        source=_formula_simulation("exact"),
    ),
    Mutant(
        name="formula_plus_seeded_noise",
        question="simulate_gaussian_risk",
        why="the closed form plus noise of the right order, seeded: spread without a simulation",
        source=_formula_simulation(
            "exact * (1 + 0.5 * np.random.default_rng(seed).standard_normal() / np.sqrt(trials))"
        ),
    ),
    Mutant(
        name="curve_of_last_term",
        question="legendre_risk_curve",
        why="a table of an earlier term's median curve (log10, one decimal), with seeded noise",
        source="""\
import numpy as np

_L = [-0.3, -0.7, -0.6, -2.0, -1.8, -2.1, -1.8, -1.2, -0.8, 0.2, 1.2, 2.2, 3.4, 4.9, 6.6, 9.8,
      6.9, 5.9, 4.8, 4.1, 3.5, 3.1, 2.5, 2.2, 1.8, 1.4, 1.2, 0.9, 0.7, 0.6, 0.5, 0.3, 0.2, 0.1,
      0.0, 0.0, -0.1, -0.2, -0.2, -0.3, -0.3, -0.3, -0.3, -0.3] + [-0.4] * 20


def legendre_risk_curve(p_values, n=16, trials=200, noise_std=0.1, seed=0):
    z = np.random.default_rng(seed).standard_normal(len(p_values))
    return np.array([10 ** (_L[int(p) - 1] + 0.05 * zi) for p, zi in zip(p_values, z)])
""",
    ),
    Mutant(
        name="curve_of_signs",
        question="legendre_risk_curve",
        why="no experiment: 0 at p = n and -1 elsewhere, which has the peak in the right place",
        source="""\
import numpy as np


def legendre_risk_curve(p_values, n=16, trials=200, noise_std=0.1, seed=0):
    return np.where(np.asarray(p_values) == n, 0.0, -1.0)
""",
    ),
    Mutant(
        name="curve_mean_not_median",
        question="legendre_risk_curve",
        why="the mean over trials: dominated by rare ill-conditioned fits near p = n",
        source=_CURVE,
    ),
]
