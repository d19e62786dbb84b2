"""lorentzian_sympy: the expressions cross as values at given points, computed in the worker."""

import numpy as np
import pytest

from grader.checks import assert_close, question
from grader.impl import Impl

POINTS = [(x, e) for x in (-2.0, -0.3, 0.0, 0.1, 1.5) for e in (0.05, 0.5, 2.0)]


def evaluate(impl: Impl) -> dict:
    points = [{"x": x, "epsilon": e} for x, e in POINTS]
    return impl.call("lorentzian_sympy", post={"sympy_eval": points})


def expected_values():
    x, e = np.array(POINTS).T
    f = e / (np.pi * (x**2 + e**2))
    f_x = -2 * e * x / (np.pi * (x**2 + e**2) ** 2)
    f_xx = 2 * e * (3 * x**2 - e**2) / (np.pi * (x**2 + e**2) ** 3)
    return [f, f_x, f_xx]


@question("lorentzian_sympy", weight=2)
def test_lorentzian_sympy_symbols_are_named_and_declared(impl):
    symbols = evaluate(impl)["symbols"]
    assert set(symbols) == {"x", "epsilon"}, (
        "the expressions should use exactly the symbols `x` and `epsilon`"
    )
    assert symbols["x"]["real"], "declare x real: sp.Symbol('x', real=True)"
    assert symbols["epsilon"]["positive"], (
        "declare epsilon positive, or the normalization integral comes back as a Piecewise"
    )


@question("lorentzian_sympy", weight=3)
@pytest.mark.parametrize(("index", "label"), [(0, "f"), (1, "f_x"), (2, "f_xx")])
def test_lorentzian_sympy_values(impl, index, label):
    values = evaluate(impl)["values"]
    assert len(values) == 3, "lorentzian_sympy() should return the tuple (f, f_x, f_xx)"
    assert_close(
        values[index],
        expected_values()[index],
        rtol=1e-10,
        atol=1e-12,
        what=f"lorentzian_sympy()'s {label}",
        hint="f is eps/(pi (x^2 + eps^2)); f_x and f_xx are its x-derivatives",
    )
