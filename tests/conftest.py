"""Shared set-up: Jupyter, IPython, matplotlib and calibration state go to temp folders, BLAS
runs on one thread (as in the sandbox: on a loaded 2-core machine OpenBLAS's default threads
make small least-squares solves up to 40x slower), and the course secret of the drawn hidden
inputs is fixed, so that a run is reproducible (``test_draws.py`` grades with other secrets)."""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import tempfile
from pathlib import Path

import pytest

_STATE = Path(tempfile.mkdtemp(prefix="course-grade-tests-"))
for var, sub in [
    ("JUPYTER_CONFIG_DIR", "jupyter-config"),
    ("JUPYTER_DATA_DIR", "jupyter-data"),
    ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
    ("IPYTHONDIR", "ipython"),
    ("MPLCONFIGDIR", "mpl"),
]:
    os.environ[var] = str(_STATE / sub)
os.environ.setdefault("COURSE_GRADE_CACHE", str(_STATE / "cache"))
os.environ["MPLBACKEND"] = "Agg"
os.environ.setdefault("COURSE_GRADE_SEED", "course-grade's own test suite")

HW01 = "hw01_delta_sequences"


@pytest.fixture(scope="session")
def hw01():
    from grader.suites import load_assignment

    return load_assignment(HW01)
