"""Where the course's files live in the project checkout."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SOLUTIONS = ROOT / "solutions"
ASSIGNMENTS = ROOT / "assignments"


def solution_notebook(name: str) -> Path:
    """The instructor's nbgrader source notebook of assignment ``name``."""
    return SOLUTIONS / name / f"{name}.ipynb"


def release_notebook(name: str) -> Path:
    """The student notebook of assignment ``name`` (made by ``nbgrader generate_assignment``)."""
    return ASSIGNMENTS / name / f"{name}.ipynb"


def cache_dir() -> Path:
    """Per-machine state (calibrations, matplotlib's font cache): ``$COURSE_GRADE_CACHE`` or
    ``~/.cache/course-grade``."""
    return Path(os.environ.get("COURSE_GRADE_CACHE", Path.home() / ".cache" / "course-grade"))
