"""The hidden block of an nbgrader test cell: score one question with the same suite.

Inside ``nbgrader autograde`` the hidden block runs in the student's kernel, so it has nbgrader's
(weaker) isolation: the suite judges the kernel's functions through :class:`~.impl.LocalImpl`,
which still passes every value through the data boundary. The cell's value is the points earned,
which nbgrader reads as partial credit; nothing may be written to stderr, which nbgrader scores as
an error.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

from grader.impl import LocalImpl
from grader.runner import run_suite, score
from grader.suites import load_assignment

#: What an instructor adds to ``nbgrader_config.py``: feedback without the hidden blocks, and
#: one-line tracebacks, since IPython's default context lines would print the hidden block that
#: follows a failing visible check.
RECOMMENDED_CONFIG = """\
c.Execute.timeout = 300
c.Execute.extra_arguments = ["--InteractiveShell.xmode=Minimal"]
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
"""


def hidden_score(assignment_name: str, question: str, namespace: dict[str, Any]) -> float:
    """Points earned on ``question`` by the functions in ``namespace`` (a kernel's globals)."""
    assignment = load_assignment(assignment_name)
    sink = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stderr(sink):
        warnings.simplefilter("ignore")
        results = run_suite(assignment, LocalImpl(namespace), only={question})
    (earned,) = [q.score for q in score(assignment, results) if q.question == question]
    return earned


def run_nbgrader(course: Path, *args: str, timeout: float) -> subprocess.CompletedProcess:
    """``python -m nbgrader ARGS`` in the course folder ``course``, with this interpreter's
    ``bin/`` first on ``PATH`` (nbgrader runs ``alembic`` from there). A run that passes
    ``timeout`` seconds is stopped and returns status -1, saying so in its stderr."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    command = [sys.executable, "-m", "nbgrader", *args]
    try:
        return subprocess.run(
            command, cwd=course, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, -1, "", f"stopped after {timeout} s")
