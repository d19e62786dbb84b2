"""hw03 and hw04: correct solutions written differently from the reference get full marks."""

import pytest

from grader.calibrate import load_limits
from grader.grading import grade_submission
from grader.notebook import Submission
from grader.suites import load_assignment

from .submissions import make_submission

SCIPY_SOFTMAX = '''\
def softmax(z, axis=-1):
    """scipy's softmax, which subtracts the maximum itself."""
    import numpy as np
    import scipy.special
    z = np.asarray(z)
    if not np.issubdtype(z.dtype, np.floating):
        z = z.astype(float)
    return scipy.special.softmax(z, axis=axis)
'''

SIGN_FLIPPED_MLP = '''\
def tanh_to_sigmoid_mlp(weights, biases):
    """Uses s' = sigma(-2u) = 1 - sigma(2u) for every hidden unit, so tanh(u) = 1 - 2 s'."""
    import numpy as np
    weights = [np.asarray(W, dtype=float) for W in weights]
    biases = [np.asarray(b, dtype=float) for b in biases]
    weights2, biases2 = [], []
    scale, shift = None, None  # previous layer's output is h = shift + scale * s'
    for k, (W, b) in enumerate(zip(weights, biases)):
        if scale is not None:  # W h + b = (W * scale) s' + (b + W @ shift)
            W, b = W * scale, b + W @ shift
        if k < len(weights) - 1:  # this layer's tanh becomes 1 - 2 sigma(-2 u)
            weights2.append(-2.0 * W)
            biases2.append(-2.0 * b)
            scale, shift = -2.0, np.ones(W.shape[0])
        else:
            weights2.append(W)
            biases2.append(b)
    return weights2, biases2
'''


@pytest.mark.parametrize(
    ("assignment", "question", "source"),
    [
        ("hw03_softmax_cross_entropy", "softmax", SCIPY_SOFTMAX),
        ("hw04_activations_dead_relu", "tanh_to_sigmoid_mlp", SIGN_FLIPPED_MLP),
    ],
    ids=["scipy-softmax", "sign-flipped-mlp"],
)
def test_a_different_correct_solution_gets_full_marks(tmp_path, assignment, question, source):
    hw = load_assignment(assignment)
    path = make_submission(tmp_path, "alt", replace={question: source}, assignment=assignment)
    result = grade_submission(
        hw, Submission("alt", path), limits=load_limits(hw, "cpu"), device="cpu"
    )
    graded = next(q for q in result.questions if q.question == question)
    assert graded.score == graded.max_score, [t.message for t in graded.tests if not t.passed]
