"""Known-wrong hw02 implementations: each must lose points on its question.

Each source replaces the solution cell of its function and is self-contained (its own imports),
so it does not depend on the reference's private helpers.
"""

from grader.suites import Mutant

_FOLDED_PV = """\
import numpy as np
from scipy import integrate


def pv_integral(phi, c=0.0):
    def folded(t):
        return (phi(c + t) - phi(c - t)) / t if t > 0 else 0.0
    near = integrate.quad(folded, 0.0, 50.0, limit=400, epsabs=1e-13, epsrel=1e-13)[0]
    far = integrate.quad(folded, 50.0, np.inf, limit=400, epsabs=1e-13, epsrel=1e-13)[0]
    return float(near + far)
"""

MUTANTS = [
    Mutant(
        name="pv_asymmetric_excision",
        question="pv_integral",
        why="excises [c - eps, c + 2 eps]: converges to PV - ln 2 phi(c), not to PV",
        source="""\
import numpy as np
from scipy import integrate


def pv_integral(phi, c=0.0):
    eps = 1e-7
    f = lambda x: phi(x) / (x - c)
    left = integrate.quad(f, -np.inf, c - eps, limit=400, epsabs=1e-13, epsrel=1e-13)[0]
    right = integrate.quad(f, c + 2 * eps, np.inf, limit=400, epsabs=1e-13, epsrel=1e-13)[0]
    return float(left + right)
""",
    ),
    Mutant(
        name="pv_ignores_c",
        question="pv_integral",
        why="folds around 0 whatever the pole c is",
        source=_FOLDED_PV.replace(
            "def pv_integral(phi, c=0.0):", "def pv_integral(phi, c=0.0):\n    c = 0.0"
        ),
    ),
    Mutant(
        name="log_pairing_wrong_sign",
        question="log_abs_pairing",
        why="forgets the minus sign of <T', phi> = -<T, phi'>",
        source="""\
import numpy as np
from scipy import integrate


def log_abs_pairing(dphi):
    f = lambda x: np.log(abs(x)) * dphi(x) if x != 0 else 0.0
    total = 0.0
    for lo, hi in [(-np.inf, -1.0), (-1.0, 0.0), (0.0, 1.0), (1.0, np.inf)]:
        total += integrate.quad(f, lo, hi, limit=400, epsabs=1e-13, epsrel=1e-13)[0]
    return float(total)
""",
    ),
    Mutant(
        name="regularized_log_without_abs",
        question="regularized_log",
        why="ln(x + eps): nan for x < -eps",
        source="""\
import numpy as np


def regularized_log(x, eps):
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be finite and > 0, got eps={eps}")
    with np.errstate(invalid="ignore"):
        return np.log(np.asarray(x, dtype=float) + eps)
""",
    ),
    Mutant(
        name="plemelj_wrong_sign",
        question="plemelj_pairing",
        why="uses 1/(x - i eta): the imaginary part has the wrong sign (PV + i pi phi(0))",
        source="""\
import numpy as np
from scipy import integrate


def plemelj_pairing(phi, eta):
    if not (np.isfinite(eta) and eta != 0):
        raise ValueError(f"eta must be finite and nonzero, got eta={eta}")
    pts = [-abs(eta), 0.0, abs(eta)]
    re = integrate.quad(lambda x: phi(x) * x / (x * x + eta * eta), -60, 60, points=pts,
                        limit=800, epsabs=1e-13, epsrel=1e-13)[0]
    im = integrate.quad(lambda x: eta * phi(x) / (x * x + eta * eta), -60, 60, points=pts,
                        limit=800, epsabs=1e-13, epsrel=1e-13)[0]
    return complex(re, im)
""",
    ),
    Mutant(
        name="log_signed_zero",
        question="log_x_plus_i0",
        why="takes ln(-|x|) for x < 0 by negating a complex: the imaginary part becomes -0.0, "
        "so np.log picks the branch -i pi",
        source="""\
import numpy as np


def log_x_plus_i0(x):
    x = np.asarray(x, dtype=float)
    magnitude = np.abs(x).astype(complex)
    return np.where(x < 0, np.log(-magnitude), np.log(magnitude))
""",
    ),
    Mutant(
        name="hilbert_opposite_convention",
        question="hilbert_transform",
        why="uses 1/(x - y) instead of 1/(y - x): the transform with the opposite sign",
        source="""\
import numpy as np


def hilbert_transform(f, y):
    y = np.asarray(y, dtype=float)
    return np.array([pv_integral(f, c) for c in y.ravel()]).reshape(y.shape) / np.pi
""",
    ),
    Mutant(
        name="log_square_without_two",
        question="log_square_pairing",
        why="treats (ln x^2)' as PV(1/x): the factor 2 of ln x^2 = 2 ln|x| is lost",
        source="""\
def log_square_pairing(phi):
    return pv_integral(phi)
""",
    ),
    Mutant(
        name="dirichlet_truncated",
        question="dirichlet_integral",
        why="the seed's truncation at +-1000: off by about 1.1e-3",
        source="""\
import numpy as np
from scipy import integrate


def dirichlet_integral():
    return float(integrate.quad(np.sinc, -1000 / np.pi, 1000 / np.pi, limit=5000)[0] * np.pi)
""",
    ),
]
