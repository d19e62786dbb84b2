"""Shared set-up: Jupyter, IPython, matplotlib and calibration state go to temp folders."""

import os
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

HW01 = "hw01_delta_sequences"


@pytest.fixture(scope="session")
def hw01():
    from grader.suites import load_assignment

    return load_assignment(HW01)
