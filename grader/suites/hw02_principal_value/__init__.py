"""hw02: principal values and the distributional derivative of ln|x|."""

from grader.harness.testfns import Fn

QUESTIONS = {
    "pv_integral": 5,
    "log_abs_pairing": 2,
    "regularized_log": 1,
    "plemelj_pairing": 3,
    "log_x_plus_i0": 2,
    "hilbert_transform": 3,
    "log_square_pairing": 2,
    "dirichlet_integral": 2,
}
REFERENCE = "course_lib.pv"
PRELOAD = ("numpy", "scipy.integrate", "scipy.special", "matplotlib.pyplot")

#: The notebook's provided cell defines these test functions under the same names.
VISIBLE_NAMES = {
    "bump": Fn("gauss"),
    "shifted_bump": Fn("gauss", a=1.0),
    "shifted_bump_prime": Fn("d_gauss", a=1.0),
    "cauchy": Fn("cauchy"),
}

VISIBLE = {
    "pv_integral": """\
assert abs(pv_integral(shifted_bump) - 1.907442188241755) < 1e-8
""",
    "log_abs_pairing": """\
assert abs(log_abs_pairing(shifted_bump_prime) - 1.907442188241755) < 1e-8
""",
    "regularized_log": """\
assert np.allclose(regularized_log([-1.0, 0.0, 1.0], 0.5), np.log([1.5, 0.5, 1.5]))
""",
    "plemelj_pairing": """\
assert abs(plemelj_pairing(bump, 0.1) - (-2.8163026625303j)) < 1e-8
""",
    "log_x_plus_i0": """\
assert np.allclose(log_x_plus_i0([-2.0, 3.0]), [np.log(2) + 1j * np.pi, np.log(3)])
""",
    "hilbert_transform": """\
assert np.allclose(hilbert_transform(cauchy, [0.0, 1.0, -2.0]), [0.0, 0.5, -0.4], atol=1e-8)
""",
    "log_square_pairing": """\
assert abs(log_square_pairing(shifted_bump) - 2 * 1.907442188241755) < 1e-8
""",
    "dirichlet_integral": """\
assert abs(dirichlet_integral() - np.pi) < 1e-6
""",
}
