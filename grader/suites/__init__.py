"""The hidden suites, one package per assignment, and what the grader needs to know of each.

An assignment package ``grader/suites/<name>/`` holds pytest modules written against the ``impl``
fixture and, in its ``__init__``:

``QUESTIONS``
    question id (the graded function's name) -> points, in contract order.
``REFERENCE``
    the ``course_lib`` module with the reference implementations.
``PRELOAD``
    modules the worker imports before it runs a notebook.
``VISIBLE``
    question -> the visible checks (plain Python) that the notebook's test cell shows; the suite
    runs the same text, so the visible checks are literally a subset of it.
``VISIBLE_NAMES``
    names those checks use besides the graded functions (trusted test functions, say), as the
    notebook's provided cells define them.

The written answers, graded by hand in nbgrader, are read from the solution notebook.

and in ``mutants.py`` a list ``MUTANTS`` of :class:`Mutant`: known-wrong implementations, each
with the question it must lose points on.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import UsageError
from grader.layout import solution_notebook
from grader.notebook import written_questions

SUITES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Mutant:
    """A plausible mistake: ``source`` redefines one graded function, ``question`` must lose."""

    name: str
    question: str
    source: str
    why: str


@dataclass(frozen=True)
class Assignment:
    """Everything the grader knows of one assignment."""

    name: str
    questions: dict[str, float]
    reference: str
    preload: tuple[str, ...]
    visible: dict[str, str]
    visible_names: dict[str, Any]
    mutants: tuple[Mutant, ...]
    #: The answers graded by hand (grade_id -> points): no score here, but part of the maximum.
    written: dict[str, float] = field(default_factory=dict)

    @property
    def suite_dir(self) -> Path:
        return SUITES_DIR / self.name

    @property
    def max_total(self) -> float:
        """The points the autograder awards."""
        return float(sum(self.questions.values()))

    @property
    def max_with_written(self) -> float:
        """All the assignment's points, as nbgrader counts them (written answers included)."""
        return self.max_total + sum(self.written.values())


def assignment_names() -> list[str]:
    """Names of all assignments with a suite, in course order."""
    return sorted(p.name for p in SUITES_DIR.iterdir() if (p / "__init__.py").is_file())


def load_assignment(name: str) -> Assignment:
    """The :class:`Assignment` called ``name``; :class:`GraderError` naming the known ones."""
    if name not in assignment_names():
        raise UsageError(
            f"unknown assignment {name!r}; known assignments: {', '.join(assignment_names())}"
        )
    package = importlib.import_module(f"grader.suites.{name}")
    mutants = importlib.import_module(f"grader.suites.{name}.mutants")
    return Assignment(
        name=name,
        questions=dict(package.QUESTIONS),
        reference=package.REFERENCE,
        preload=tuple(package.PRELOAD),
        visible=dict(package.VISIBLE),
        visible_names=dict(package.VISIBLE_NAMES),
        mutants=tuple(mutants.MUTANTS),
        written=written_questions(solution_notebook(name))
        if solution_notebook(name).is_file()
        else {},
    )
