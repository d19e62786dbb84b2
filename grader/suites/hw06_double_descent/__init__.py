"""hw06: double descent with Legendre features and with isotropic Gaussian design."""

QUESTIONS = {
    "legendre_features": 3,
    "min_norm_solution": 3,
    "gaussian_design_risk": 3,
    "simulate_gaussian_risk": 3,
    "legendre_risk_curve": 3,
}
REFERENCE = "course_lib.double_descent"
PRELOAD = ("numpy", "scipy.special", "matplotlib.pyplot")
VISIBLE_NAMES: dict = {}

VISIBLE = {
    "legendre_features": """\
Phi = legendre_features(np.array([-1.0, 0.0, 1.0]), 2)
assert np.allclose(Phi, [[1, -np.sqrt(3)], [1, 0], [1, np.sqrt(3)]])
""",
    "min_norm_solution": """\
assert np.allclose(min_norm_solution(np.array([[1.0, 1.0]]), np.array([2.0])), [1.0, 1.0])
""",
    "gaussian_design_risk": """\
assert np.isclose(gaussian_design_risk(100, 50, 1.0, 1.0), 50 / 49)
assert gaussian_design_risk(100, 100, 1.0, 1.0) == np.inf
""",
    "simulate_gaussian_risk": """\
assert simulate_gaussian_risk(20, 5, 1.0, 0.0, 10, 0) < 1e-12
""",
    "legendre_risk_curve": """\
assert np.shape(legendre_risk_curve([2, 4], n=16, trials=5)) == (2,)
""",
}
