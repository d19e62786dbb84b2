"""hw08: correct solutions written differently from the reference get full marks.

Batched 2 x 2 eigenvalue problems instead of the closed form, ARPACK (``eigsh``) on the operator
s H + c g g^T instead of the secular equation, other random draws for the gap and the exponent.
"""

import pytest

from grader.calibrate import load_limits
from grader.grading import grade_submission
from grader.notebook import Submission
from grader.suites import load_assignment

from .submissions import make_submission

HW08 = "hw08_transition_to_linearity"

BLOCKS = """\
def _ab(x, v, w, activation):
    v, w = _weights(v, w)
    _, d1, d2 = _activation(activation)
    return d1(w * x) * x / np.sqrt(v.size), v * d2(w * x) * x * x / np.sqrt(v.size)
"""

BATCHED_EIGVALSH = '''\
def hessian_spectral_norm(x, v, w, activation="tanh"):
    """Every 2 x 2 block handed to numpy's batched symmetric eigensolver."""
    x = float(_as_real(x, "x", ndim=0))
    a, b = _ab(x, v, w, activation)
    blocks = np.zeros((a.size, 2, 2))
    blocks[:, 0, 1] = blocks[:, 1, 0] = a
    blocks[:, 1, 1] = b
    return float(np.max(np.abs(np.linalg.eigvalsh(blocks))))
'''

ARPACK_OUTPUT = '''\
def output_nonlinearity_hessian_norm(x, v, w, activation="tanh"):
    """ARPACK on z -> s H z + c (g . z) g; dense eigvalsh when 2m is tiny."""
    import scipy.sparse.linalg
    x = float(_as_real(x, "x", ndim=0))
    v, w = _weights(v, w)
    m = v.size
    a, b = _ab(x, v, w, activation)
    g = param_gradient(x, v, w, activation)
    s = 1 / (1 + np.exp(-two_layer_net(x, v, w, activation)))

    def apply(z):
        z = np.ravel(z)
        hz = np.concatenate([a * z[m:], a * z[:m] + b * z[m:]])
        return s * hz + s * (1 - s) * (g @ z) * g

    if m <= 20:
        dense = np.stack([apply(e) for e in np.eye(2 * m)], axis=1)
        return float(np.max(np.abs(np.linalg.eigvalsh(dense))))
    op = scipy.sparse.linalg.LinearOperator((2 * m, 2 * m), matvec=apply, dtype=float)
    top = scipy.sparse.linalg.eigsh(op, k=1, which="LM", tol=1e-12, return_eigenvectors=False)
    return float(abs(top[0]))
'''

ALL_DIRECTIONS_AT_ONCE = '''\
def linearization_gap(x, v0, w0, radius, n_samples=64, seed=0, activation="tanh"):
    """All directions drawn as one matrix with Generator.normal, the gap vectorized."""
    v0, w0 = _weights(v0, w0)
    if not radius >= 0:
        raise ValueError(f"radius must be >= 0, got radius={radius}")
    if n_samples < 1:
        raise ValueError(f"n_samples must be >= 1, got n_samples={n_samples}")
    m = v0.size
    u = np.random.default_rng(seed + 12345).normal(size=(n_samples, 2 * m))
    u *= radius / np.linalg.norm(u, axis=1, keepdims=True)
    act, _, _ = _activation(activation)
    f = np.sum((v0 + u[:, :m]) * act((w0 + u[:, m:]) * x), axis=1) / np.sqrt(m)
    lin = two_layer_net(x, v0, w0, activation) + u @ param_gradient(x, v0, w0, activation)
    return float(np.max(np.abs(f - lin)))
'''

FRESH_GENERATOR_PER_WIDTH = '''\
def width_exponent(widths, x=1.0, activation="tanh", seed=0):
    """One generator per width, seeded with (seed, m), and integers() for the signs."""
    widths = [int(m) for m in widths]
    if len(set(widths)) < 2 or min(widths) < 1:
        raise ValueError(f"widths must hold two different integers >= 1, got widths={widths}")
    if x == 0:
        raise ValueError("x must be nonzero")
    norms = []
    for m in widths:
        rng = np.random.default_rng([seed, m])
        v = 2.0 * rng.integers(0, 2, size=m) - 1.0
        norms.append(hessian_spectral_norm(x, v, rng.normal(size=m), activation))
    return float(np.polyfit(np.log(widths), np.log(norms), 1)[0])
'''


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    hw = load_assignment(HW08)
    replace = {
        "hessian_spectral_norm": BLOCKS + "\n\n" + BATCHED_EIGVALSH,
        "output_nonlinearity_hessian_norm": ARPACK_OUTPUT,
        "linearization_gap": ALL_DIRECTIONS_AT_ONCE,
        "width_exponent": FRESH_GENERATOR_PER_WIDTH,
    }
    path = make_submission(tmp_path_factory.mktemp("hw08"), "alt", replace, assignment=HW08)
    return grade_submission(
        hw, Submission("alt", path), limits=load_limits(hw, "cpu"), device="cpu"
    )


@pytest.mark.parametrize(
    "question",
    ["hessian_spectral_norm", "output_nonlinearity_hessian_norm", "linearization_gap",
     "width_exponent"],
)  # fmt: skip
def test_a_different_correct_solution_gets_full_marks(result, question):
    graded = next(q for q in result.questions if q.question == question)
    assert graded.score == graded.max_score, [t.message for t in graded.tests if not t.passed]
