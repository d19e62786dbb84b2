"""hw01: delta sequences (Lorentzian, Gaussian, sinc and box kernels)."""

from grader.harness.testfns import Fn

QUESTIONS = {
    "lorentzian": 1,
    "gaussian_kernel": 1,
    "sinc_kernel": 2,
    "box_kernel": 1,
    "lorentzian_mass": 2,
    "delta_pairing": 4,
    "delta_prime_pairing": 3,
    "convergence_order": 3,
    "lorentzian_sympy": 3,
}
REFERENCE = "course_lib.delta"
PRELOAD = ("numpy", "scipy.integrate", "scipy.special", "sympy", "matplotlib.pyplot")

#: The notebook's provided cell defines these two test functions under the same names.
VISIBLE_NAMES = {"bump": Fn("gauss"), "x_bump": Fn("x_gauss")}

#: Sympy expressions cannot cross the boundary, so lorentzian_sympy has hidden checks only.
VISIBLE = {
    "lorentzian": """\
assert np.isclose(lorentzian(0.0, 1.0), 1 / np.pi)
assert np.allclose(lorentzian([-1.0, 1.0], 1.0), 1 / (2 * np.pi))
""",
    "gaussian_kernel": """\
assert np.isclose(gaussian_kernel(0.0, 1.0), 1 / np.sqrt(2 * np.pi))
assert np.isclose(gaussian_kernel(2.0, 2.0), np.exp(-0.5) / (2 * np.sqrt(2 * np.pi)))
""",
    "sinc_kernel": """\
assert np.isclose(sinc_kernel(np.pi / 2, 1.0), 1 / (np.pi * np.pi / 2))
assert np.isfinite(sinc_kernel(0.0, 0.5)), "sinc_kernel must be finite at x = 0"
""",
    "box_kernel": """\
assert np.allclose(box_kernel([-0.05, 0.0, 0.05], 0.1), 5.0)
assert np.allclose(box_kernel([-0.2, 0.2], 0.1), 0.0)
""",
    "lorentzian_mass": """\
assert np.isclose(lorentzian_mass(-np.inf, np.inf, 0.3), 1.0)
assert np.isclose(lorentzian_mass(0.0, 1.0, 1.0), 0.25)
""",
    "delta_pairing": """\
assert abs(delta_pairing("gaussian", bump, 0.1) - 1 / np.sqrt(1.02)) < 1e-8
assert abs(delta_pairing("lorentzian", bump, 0.1) - 0.8964569799691265) < 1e-8
""",
    "delta_prime_pairing": """\
assert abs(delta_prime_pairing("lorentzian", x_bump, 0.1) + 0.8015482028589578) < 1e-8
""",
    "convergence_order": """\
assert 0.9 < convergence_order("lorentzian", bump, np.geomspace(1e-3, 1e-1, 6)) < 1.1
""",
}
