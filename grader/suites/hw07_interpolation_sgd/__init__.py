"""hw07: automatic variance reduction of SGD under interpolation."""

QUESTIONS = {
    "sgd_least_squares": 5,
    "gradient_noise": 3,
    "critical_batch_size": 3,
    "optimal_lr": 3,
}
REFERENCE = "course_lib.interpolation_sgd"
PRELOAD = ("numpy", "matplotlib.pyplot")
VISIBLE_NAMES: dict = {}

VISIBLE = {
    "sgd_least_squares": """\
X, y = np.array([[1.0, 2.0], [-2.0, 1.0], [1.0, -4.0]]), np.array([4.0, 2.0, 4.0])
out = sgd_least_squares(X, y, lr=0.01, steps=10)
assert len(out["loss"]) == 11 and np.isclose(out["loss"][0], np.mean(y**2) / 2)
""",
    "gradient_noise": """\
assert np.isclose(gradient_noise(np.eye(2), np.array([1.0, 1.0]), np.array([1.0, 1.0])), 0.0)
""",
    "critical_batch_size": """\
assert np.isclose(critical_batch_size(np.eye(4)), 5.0)
""",
    "optimal_lr": """\
assert np.isclose(optimal_lr(np.eye(4), 1), 1.0)
""",
}
