"""Known-wrong hw08 implementations: each must lose points on its question."""

from grader.suites import Mutant

_BLOCKS = """\
import numpy as np


def _ab(x, v, w, activation):
    v, w = np.asarray(v, float), np.asarray(w, float)
    _, d1, d2 = _activation(activation)
    return d1(w * x) * x / np.sqrt(len(v)), v * d2(w * x) * x * x / np.sqrt(len(v))


"""


def _unmeasured_exponent(answer: str) -> str:
    """A width_exponent that checks its arguments and returns ``answer``, measuring nothing."""
    return f"""\
import numpy as np


def width_exponent(widths, x=1.0, activation="tanh", seed=0):
    widths = np.asarray(widths)
    if widths.ndim != 1 or len(set(widths.tolist())) < 2:
        raise ValueError(f"widths must hold two different values, got {{widths!r}}")
    if x == 0:
        raise ValueError("x must be nonzero")
    return {answer}
"""


MUTANTS = [
    Mutant(
        name="net_divides_by_m",
        question="two_layer_net",
        why="the mean-field scaling 1/m in place of the NTK scaling 1/sqrt(m)",
        source="""\
import numpy as np


def two_layer_net(x, v, w, activation="tanh"):
    x, v, w = np.asarray(x, float), np.asarray(v, float), np.asarray(w, float)
    act, _, _ = _activation(activation)
    out = act(np.multiply.outer(x, w)) @ v / len(v)
    return float(out) if out.ndim == 0 else out
""",
    ),
    Mutant(
        name="gradient_without_x",
        question="param_gradient",
        why="forgets the inner derivative x in d f / d w_i = v_i act'(w_i x) x / sqrt(m)",
        source="""\
import numpy as np


def param_gradient(x, v, w, activation="tanh"):
    v, w = np.asarray(v, float), np.asarray(w, float)
    act, d1, _ = _activation(activation)
    return np.concatenate([act(w * x), v * d1(w * x)]) / np.sqrt(len(v))
""",
    ),
    Mutant(
        name="frobenius_norm",
        question="hessian_spectral_norm",
        why="the Frobenius norm sqrt(sum 2 a_i^2 + b_i^2), which does not shrink with the width",
        source=_BLOCKS
        + """\
def hessian_spectral_norm(x, v, w, activation="tanh"):
    a, b = _ab(x, v, w, activation)
    return float(np.sqrt(np.sum(2 * a**2 + b**2)))
""",
    ),
    Mutant(
        name="scaling_one_over_m",
        question="hessian_spectral_norm",
        why="a_i and b_i divided by m instead of sqrt(m)",
        source=_BLOCKS
        + """\
def hessian_spectral_norm(x, v, w, activation="tanh"):
    a, b = _ab(x, v, w, activation)
    a, b = a / np.sqrt(len(a)), b / np.sqrt(len(a))
    return float(np.max(0.5 * (np.abs(b) + np.hypot(b, 2 * a))))
""",
    ),
    Mutant(
        name="signed_rayleigh_quotient",
        question="hessian_spectral_norm",
        why="power iteration returning u.Hu: negative when the extreme eigenvalue is negative",
        source=_BLOCKS
        + """\
def hessian_spectral_norm(x, v, w, activation="tanh"):
    a, b = _ab(x, v, w, activation)
    m = len(a)
    u = np.random.default_rng(0).standard_normal(2 * m)

    def hv(u):
        return np.concatenate([a * u[m:], a * u[:m] + b * u[m:]])

    for _ in range(2000):
        u = hv(u)
        u /= np.linalg.norm(u)
    return float(u @ hv(u))
""",
    ),
    Mutant(
        name="dense_hessian",
        question="hessian_spectral_norm",
        why="forms the 2m x 2m Hessian: right for small m, impossible at m = 10^6 (32 TB)",
        source=_BLOCKS
        + """\
def hessian_spectral_norm(x, v, w, activation="tanh"):
    a, b = _ab(x, v, w, activation)
    m = len(a)
    hessian = np.zeros((2 * m, 2 * m))
    idx = np.arange(m)
    hessian[idx, m + idx] = hessian[m + idx, idx] = a
    hessian[m + idx, m + idx] = b
    return float(np.max(np.abs(np.linalg.eigvalsh(hessian))))
""",
    ),
    Mutant(
        name="constant_exponent",
        question="width_exponent",
        why="checks its arguments, then returns the answer -1/2 without measuring anything",
        source=_unmeasured_exponent("-0.5"),
    ),
    Mutant(
        name="constant_plus_seeded_noise",
        question="width_exponent",
        why="about -1/2 plus seeded noise: spread over seeds without any Hessian",
        source=_unmeasured_exponent(
            "float(-0.495 + 0.01 * np.random.default_rng(seed).standard_normal())"
        ),
    ),
    Mutant(
        name="gaussian_output_weights",
        question="width_exponent",
        why="v ~ N(0, 1): max |v_i| grows like sqrt(2 log m) and flattens the fitted slope",
        source="""\
import numpy as np


def width_exponent(widths, x=1.0, activation="tanh", seed=0):
    widths = np.asarray(widths)
    if len(set(widths.tolist())) < 2:
        raise ValueError(f"widths must hold two different values, got {widths!r}")
    if x == 0:
        raise ValueError("x must be nonzero")
    rng = np.random.default_rng(seed)
    norms = []
    for m in widths:
        v, w = rng.standard_normal(m), rng.standard_normal(m)
        norms.append(hessian_spectral_norm(x, v, w, activation))
    return float(np.polyfit(np.log(widths), np.log(norms), 1)[0])
""",
    ),
    Mutant(
        name="gap_inside_the_ball",
        question="linearization_gap",
        why="directions scaled by a uniform radius in [0, R]: points inside the ball, not on it",
        source="""\
import numpy as np


def linearization_gap(x, v0, w0, radius, n_samples=64, seed=0, activation="tanh"):
    if radius < 0:
        raise ValueError(f"radius must be >= 0, got {radius}")
    v0, w0 = np.asarray(v0, float), np.asarray(w0, float)
    m = len(v0)
    rng = np.random.default_rng(seed)
    f0, g = two_layer_net(x, v0, w0, activation), param_gradient(x, v0, w0, activation)
    gap = 0.0
    for _ in range(n_samples):
        u = rng.standard_normal(2 * m)
        u *= radius * rng.uniform() / np.linalg.norm(u)
        gap = max(gap, abs(two_layer_net(x, v0 + u[:m], w0 + u[m:], activation) - f0 - g @ u))
    return gap
""",
    ),
    Mutant(
        name="output_hessian_without_rank_one",
        question="output_nonlinearity_hessian_norm",
        why="keeps s(f) H and drops s(f)(1 - s(f)) grad f grad f^T, so it vanishes with width",
        source="""\
import numpy as np


def output_nonlinearity_hessian_norm(x, v, w, activation="tanh"):
    s = 1 / (1 + np.exp(-two_layer_net(x, v, w, activation)))
    return float(s * hessian_spectral_norm(x, v, w, activation))
""",
    ),
]
