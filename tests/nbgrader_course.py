"""A real nbgrader course in a temporary folder, set up as the README tells a TA to.

The configuration is ``course-grade nbgrader-config``'s block and nothing else (plus the course
root, and whatever a test adds); nbgrader runs as ``.venv/bin/nbgrader`` with this interpreter's
``bin/`` left off ``PATH``, so the block's own ``PATH`` fix is what lets ``generate_assignment``
find ``alembic``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from grader.layout import ASSIGNMENTS, solution_notebook
from grader.nbgrader_bridge import nbgrader_config
from grader.suites import SUITES_DIR

BIN = Path(sys.executable).parent
#: Longest one nbgrader command may take in a test.
NBGRADER_SECONDS = 1500


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """``.venv/bin/nbgrader ARGS`` in ``course``, without the venv's ``bin/`` on ``PATH``."""
    env = dict(os.environ)
    paths = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(p for p in paths if Path(p) != BIN) or "/usr/bin:/bin"
    command = [str(BIN / "nbgrader"), *args]
    try:
        return subprocess.run(
            command, cwd=course, env=env, capture_output=True, text=True, timeout=NBGRADER_SECONDS
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, -1, "", f"stopped after {NBGRADER_SECONDS} s")


def make_course(root: Path, assignments: list[str], config: str | None = None) -> Path:
    """A course under ``root`` with each assignment's solution notebook as its source, released
    with ``generate_assignment``. ``config`` replaces the course-grade block (None: keep it)."""
    block = nbgrader_config() if config is None else config
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        f"{block}c = get_config()\nc.CourseDirectory.root = {str(root)!r}\n"
    )
    for name in assignments:
        source = root / "source" / name
        source.mkdir(parents=True)
        shutil.copy(solution_notebook(name), source / f"{name}.ipynb")
        done = nbgrader(root, "generate_assignment", name, "--force")
        assert done.returncode == 0, done.stderr[-3000:]
    return root


def submit(course: Path, assignment: str, student: str, notebook: Path) -> Path:
    """Put ``notebook`` in ``submitted/`` as ``student``'s submission of ``assignment``."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    return Path(shutil.copy(notebook, folder / f"{assignment}.ipynb"))


def gradebook_scores(
    course: Path, assignment: str, student: str, questions: list[str]
) -> dict[str, float] | None:
    """The gradebook's autograded score of each question for ``student``; None without one."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            grades = {
                q: gradebook.find_grade(f"test_{q}", assignment, assignment, student)
                for q in questions
            }
        except MissingEntry:
            return None
        if any(g.auto_score is None for g in grades.values()):
            return None
        return {q: float(g.auto_score) for q, g in grades.items()}


def hidden_lines() -> set[str]:
    """Distinctive lines of the hidden suites (what a leak of their source would show): every
    long line of ``grader/suites`` that no student notebook shows (the visible checks do)."""
    shown = set()
    for path in ASSIGNMENTS.glob("*/*.ipynb"):
        cells = nbformat.read(path, as_version=4).cells
        shown |= {line.strip() for cell in cells for line in cell.source.splitlines()}
    lines = set()
    for path in SUITES_DIR.rglob("*.py"):
        lines |= {line.strip() for line in path.read_text().splitlines() if len(line.strip()) > 30}
    return lines - shown
