"""hw05: the noisy-label MLP homework, done right and fast."""

QUESTIONS = {
    "f_true": 1,
    "init_mlp": 2,
    "mlp_forward": 2,
    "train_mlp": 8,
    "evaluate": 2,
}
REFERENCE = "course_lib.noisy_mlp"
PRELOAD = ("numpy", "torch", "matplotlib.pyplot")
VISIBLE_NAMES: dict = {}

#: Each visible check builds its inputs inline and calls its own function only, so that a
#: mistake in one function (a transposed shape in init_mlp) costs that question alone.
VISIBLE = {
    "f_true": """\
assert np.isclose(f_true(0.0), -2.0)
""",
    "init_mlp": """\
params = init_mlp((1, 4, 1), seed=0)
assert [np.shape(W) for W, b in params] == [(4, 1), (1, 4)]
""",
    "mlp_forward": """\
params = [[np.ones((4, 1)), np.zeros(4)], [np.ones((1, 4)), np.zeros(1)]]
out = mlp_forward(params, np.zeros(5))
assert np.shape(out) == (5,) and np.allclose(out, 2.0)  # four sigmoid(0) = 1/2, summed
""",
    "train_mlp": """\
x = np.linspace(-1, 1, 8)
params = [[np.full((4, 1), 0.5), np.zeros(4)], [np.full((1, 4), 0.5), np.zeros(1)]]
out = train_mlp(x, np.zeros(8), params, epochs=3, batch_size=4, lr=0.1)
assert len(out["train_loss"]) == 3
""",
    "evaluate": """\
mse, acc = evaluate([[np.zeros((1, 1)), np.zeros(1)]], np.array([0.0, 1.0]), np.array([0.1, 1.0]))
assert np.isclose(mse, 0.505) and np.isclose(acc, 0.5)
""",
}
