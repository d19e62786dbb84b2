"""hw03: softmax and cross-entropy, stable in float32 and float64."""

QUESTIONS = {
    "softmax": 3,
    "log_softmax": 3,
    "cross_entropy": 3,
    "cross_entropy_grad": 3,
    "scaled_onehot_ce": 3,
}
REFERENCE = "course_lib.softmax"
PRELOAD = ("numpy", "matplotlib.pyplot")
VISIBLE_NAMES: dict = {}

VISIBLE = {
    "softmax": """\
p = softmax(np.array([[1.0, 2.0, 3.0], [1e4, 0.0, -1e4]]))
assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=-1), 1.0)
""",
    "log_softmax": """\
assert np.allclose(log_softmax(np.array([0.0, -200.0])), [0.0, -200.0])
assert np.allclose(log_softmax(np.array([1000.0, 0.0])), [0.0, -1000.0])
""",
    "cross_entropy": """\
assert abs(cross_entropy(np.zeros((2, 4)), np.array([0, 3])) - np.log(4)) < 1e-12
""",
    "cross_entropy_grad": """\
g = cross_entropy_grad(np.zeros((2, 4)), np.array([0, 3]))
assert np.allclose(g, (np.full((2, 4), 0.25) - np.eye(4)[[0, 3]]) / 2)
""",
    "scaled_onehot_ce": """\
assert abs(scaled_onehot_ce(50.0, 0, 10) / 1.735874863167526e-21 - 1) < 1e-10
""",
}
