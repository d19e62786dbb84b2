"""Trusted test functions that cross the boundary by name.

A graded function that takes a callable (a test function phi, say) never receives one from the
trusted side directly: the suite passes ``Fn("gauss", a=1.0)``, which crosses as its name and
numeric parameters and is rebuilt here, from this registry, on both sides. The same object is what
the trusted side uses to compute expected values, so the two can never disagree about phi.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def _gauss(x: np.ndarray, a: float = 0.0, s: float = 1.0) -> np.ndarray:
    return np.exp(-(((x - a) / s) ** 2))


def _x_gauss(x: np.ndarray, a: float = 0.0, s: float = 1.0) -> np.ndarray:
    return (x - a) * np.exp(-(((x - a) / s) ** 2))


def _d_gauss(x: np.ndarray, a: float = 0.0, s: float = 1.0) -> np.ndarray:
    return -2.0 * (x - a) / s**2 * np.exp(-(((x - a) / s) ** 2))


def _cauchy(x: np.ndarray, a: float = 0.0, s: float = 1.0) -> np.ndarray:
    return 1.0 / (1.0 + ((x - a) / s) ** 2)


def _x_cauchy2(x: np.ndarray, a: float = 0.0) -> np.ndarray:
    return (x - a) / (1.0 + (x - a) ** 2) ** 2


def _cos_gauss(x: np.ndarray, k: float = 1.0, s: float = 1.0) -> np.ndarray:
    return np.cos(k * x) * np.exp(-((x / s) ** 2) / 2.0)


def _one(x: np.ndarray) -> np.ndarray:
    return np.ones_like(x)


#: name -> vectorized function of x with keyword parameters.
REGISTRY: dict[str, Callable[..., np.ndarray]] = {
    "gauss": _gauss,
    "x_gauss": _x_gauss,
    "d_gauss": _d_gauss,
    "cauchy": _cauchy,
    "x_cauchy2": _x_cauchy2,
    "cos_gauss": _cos_gauss,
    "one": _one,
}


class Fn:
    """A trusted test function ``REGISTRY[name]`` with fixed numeric parameters.

    Calling it accepts anything ``np.asarray`` accepts and returns float64 values of the same
    shape (a Python float for a scalar argument).
    """

    __slots__ = ("_f", "name", "params")

    def __init__(self, name: str, **params: float) -> None:
        if name not in REGISTRY:
            raise ValueError(f"unknown test function {name!r}; known: {sorted(REGISTRY)}")
        self.name = name
        self.params = {key: float(value) for key, value in params.items()}
        self._f = REGISTRY[name]

    def __call__(self, x):
        arr = np.asarray(x, dtype=float)
        out = np.asarray(self._f(arr, **self.params), dtype=float)
        return float(out) if out.ndim == 0 else out

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.name}({args})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fn) and (self.name, self.params) == (other.name, other.params)

    def __hash__(self) -> int:
        return hash((self.name, tuple(sorted(self.params.items()))))
