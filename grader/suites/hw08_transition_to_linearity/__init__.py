"""hw08: the transition to linearity of wide networks (Liu, Zhu and Belkin, 2020)."""

QUESTIONS = {
    "two_layer_net": 2,
    "param_gradient": 2,
    "hessian_spectral_norm": 5,
    "width_exponent": 3,
    "linearization_gap": 3,
    "output_nonlinearity_hessian_norm": 3,
}
REFERENCE = "course_lib.linearity"
PRELOAD = ("numpy", "torch", "scipy.linalg", "scipy.optimize", "matplotlib.pyplot")
VISIBLE_NAMES: dict = {}

VISIBLE = {
    "two_layer_net": """\
assert np.isclose(two_layer_net(2.0, [2.0], [0.5]), 2 * np.tanh(1.0))
assert np.isclose(two_layer_net(1.0, [1.0, -1.0], [0.5, 0.5]), 0.0)
assert np.shape(two_layer_net(np.zeros((2, 3)), [1.0], [1.0])) == (2, 3)
""",
    "param_gradient": """\
g = param_gradient(1.0, [1.0, 1.0], [0.0, 0.0])
assert np.allclose(g, [0.0, 0.0, 1 / np.sqrt(2), 1 / np.sqrt(2)])
""",
    "hessian_spectral_norm": """\
assert np.isclose(hessian_spectral_norm(1.0, np.ones(4), np.zeros(4)), 0.5)
""",
    "width_exponent": """\
assert -0.6 < width_exponent([10, 100, 1000]) < -0.4
""",
    "linearization_gap": """\
assert linearization_gap(1.0, [1.0], [0.5], 0.0) == 0.0
assert linearization_gap(1.0, [1.0], [0.5], 1.0) > 0.0
""",
    "output_nonlinearity_hessian_norm": """\
assert output_nonlinearity_hessian_norm(1.0, np.ones(100), np.zeros(100)) > 0.2
""",
}
