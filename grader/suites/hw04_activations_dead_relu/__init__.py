"""hw04: activation properties, the tanh/sigmoid equivalence and dead-ReLU dynamics."""

QUESTIONS = {
    "softplus": 2,
    "softplus_second_derivative": 2,
    "tanh_from_sigmoid": 2,
    "tanh_to_sigmoid_mlp": 4,
    "dead_relu_units": 3,
    "gd_two_layer": 5,
}
REFERENCE = "course_lib.activations"
PRELOAD = ("numpy", "matplotlib.pyplot")
VISIBLE_NAMES: dict = {}

VISIBLE = {
    "softplus": """\
assert np.allclose(softplus(np.array([-1e4, 0.0, 1e4])), [0.0, np.log(2.0), 1e4])
""",
    "softplus_second_derivative": """\
assert np.isclose(softplus_second_derivative(0.0), 0.25)
""",
    "tanh_from_sigmoid": """\
assert np.allclose(tanh_from_sigmoid(np.array([-2.0, 0.0, 0.5])), np.tanh([-2.0, 0.0, 0.5]))
""",
    "tanh_to_sigmoid_mlp": """\
one, zero = np.array([[1.0]]), np.zeros(1)
weights2, biases2 = tanh_to_sigmoid_mlp([one, one], [zero, zero])
assert len(weights2) == 2 and len(biases2) == 2
""",
    "dead_relu_units": """\
W, b, X = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.zeros(2), np.array([[1.0, 0.0], [2.0, 1.0]])
assert dead_relu_units(W, b, X).tolist() == [False, True]
""",
    "gd_two_layer": """\
x, w, zero = np.ones((1, 1)), np.ones((1, 1)), np.zeros(1)
out = gd_two_layer(x, zero, w, zero, np.ones(1), 0.0, 0.1, 1)
assert np.isclose(out["c"], -0.1) and np.allclose(out["v"], [0.9])
""",
}
