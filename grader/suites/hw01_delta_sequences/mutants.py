"""Known-wrong hw01 implementations: each must lose points on its question.

A mutant's ``source`` replaces the solution cell of that function in the reference notebook; the
rest of the notebook (imports, provided helpers, the other functions) stays the reference's.
"""

from grader.suites import Mutant

MUTANTS = [
    Mutant(
        name="lorentzian_without_pi",
        question="lorentzian",
        why="forgets the 1/pi normalization, so the kernel integrates to pi",
        source="""\
def lorentzian(x, eps):
    eps = _check_eps(eps)
    x = np.asarray(x, dtype=float)
    return eps / (x**2 + eps**2)
""",
    ),
    Mutant(
        name="gaussian_without_two",
        question="gaussian_kernel",
        why="uses exp(-x^2/eps^2): variance eps^2/2, not eps^2",
        source="""\
def gaussian_kernel(x, eps):
    eps = _check_eps(eps)
    x = np.asarray(x, dtype=float)
    return np.exp(-(x**2) / eps**2) / (np.sqrt(2 * np.pi) * eps)
""",
    ),
    Mutant(
        name="sinc_nan_at_zero",
        question="sinc_kernel",
        why="divides by pi x directly: 0/0 = nan at the origin",
        source="""\
def sinc_kernel(x, eps):
    eps = _check_eps(eps)
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sin(x / eps) / (np.pi * x)
""",
    ),
    Mutant(
        name="box_full_width",
        question="box_kernel",
        why="height 1/eps on a window of width 2 eps: integrates to 2",
        source="""\
def box_kernel(x, eps):
    eps = _check_eps(eps)
    x = np.asarray(x, dtype=float)
    return np.where(np.abs(x) < eps, 1.0 / eps, 0.0)
""",
    ),
    Mutant(
        name="mass_ignores_eps",
        question="lorentzian_mass",
        why="uses arctan(b) - arctan(a): the mass of the eps = 1 kernel",
        source="""\
def lorentzian_mass(a, b, eps):
    _check_eps(eps, scalar=True)
    if not a <= b:
        raise ValueError(f"a must be <= b, got a={a}, b={b}")
    return float((np.arctan(b) - np.arctan(a)) / np.pi)
""",
    ),
    Mutant(
        name="pairing_truncated",
        question="delta_pairing",
        why="integrates over [-50, 50] only: slowly decaying integrands lose their tails",
        source="""\
def delta_pairing(kernel, phi, eps):
    eps = _check_eps(eps, scalar=True)
    kernels = {"lorentzian": lorentzian, "gaussian": gaussian_kernel,
               "sinc": sinc_kernel, "box": box_kernel}
    if kernel not in kernels:
        raise ValueError(f"kernel must be one of {sorted(kernels)}, got {kernel!r}")
    f = kernels[kernel]
    points = [-eps, 0.0, eps] if eps < 50 else None
    value, _ = scipy.integrate.quad(lambda x: f(x, eps) * phi(x), -50, 50, points=points,
                                    limit=2000, epsabs=1e-13, epsrel=1e-13)
    return float(value)
""",
    ),
    Mutant(
        name="prime_pairing_wrong_sign",
        question="delta_prime_pairing",
        why="differentiates the kernel with the wrong sign (a sign lost in the chain rule)",
        source="""\
def delta_prime_pairing(kernel, psi, eps):
    eps = _check_eps(eps, scalar=True)
    _check_kernel(kernel, ("lorentzian", "gaussian"))
    if kernel == "lorentzian":
        def slope(x):
            return 2 * eps * x / (np.pi * (x**2 + eps**2) ** 2)
    else:
        def slope(x):
            return x / eps**2 * gaussian_kernel(x, eps)
    value, _ = scipy.integrate.quad(lambda x: slope(x) * psi(x), -np.inf, np.inf,
                                    limit=500, epsabs=1e-13)
    return float(value)
""",
    ),
    Mutant(
        name="order_mixed_logs",
        question="convergence_order",
        why="fits log10 of the error against the natural log of eps: slope off by ln 10",
        source="""\
def convergence_order(kernel, phi, eps_values):
    eps_values = np.asarray(eps_values, dtype=float)
    if eps_values.size < 2:
        raise ValueError("eps_values needs at least two widths")
    errors = [abs(delta_pairing(kernel, phi, e) - phi(0.0)) for e in eps_values]
    return float(np.polyfit(np.log(eps_values), np.log10(errors), 1)[0])
""",
    ),
    Mutant(
        name="order_table",
        question="convergence_order",
        why="a table of each kernel's asymptotic order in place of the fitted slope",
        source="""\
def convergence_order(kernel, phi, eps_values):
    eps_values = np.asarray(eps_values, dtype=float)
    if eps_values.size < 2 or np.unique(eps_values).size < 2:
        raise ValueError("eps_values needs at least two distinct widths")
    return {"lorentzian": 1.0, "gaussian": 2.0, "box": 2.0, "sinc": 4.0}[kernel]
""",
    ),
    Mutant(
        name="sympy_without_assumptions",
        question="lorentzian_sympy",
        why="plain symbols: the normalization integral comes back as a Piecewise",
        source="""\
def lorentzian_sympy():
    x, epsilon = sp.symbols("x epsilon")
    f = epsilon / (sp.pi * (x**2 + epsilon**2))
    return f, sp.diff(f, x), sp.diff(f, x, 2)
""",
    ),
]
