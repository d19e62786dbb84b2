"""Validation: the reference scores 100 %, the stubs 0, and every mutant loses its question.

All three kinds go through the real path: the solution notebook, the released student notebook,
and the solution notebook with one function cell replaced by the mutant's source, each graded in
a sandboxed worker with calibrated limits.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from rich.console import Console
from rich.table import Table

from grader.calibrate import load_limits, resolve_device
from grader.grading import SubmissionResult, grade_many
from grader.layout import release_notebook, solution_notebook
from grader.notebook import Submission, with_cells_replaced
from grader.reports import table_console
from grader.status import Status
from grader.suites import Assignment, Mutant, assignment_names, load_assignment


@dataclass
class Check:
    """One row of the validation table."""

    assignment: str
    implementation: str
    expected: str
    result: SubmissionResult
    ok: bool


def mutant_notebook(assignment: Assignment, mutant: Mutant, folder: Path) -> Path:
    """The solution notebook with ``mutant.question``'s function cell replaced."""
    nb = with_cells_replaced(solution_notebook(assignment.name), {mutant.question: mutant.source})
    path = folder / f"mutant-{mutant.name}.ipynb"
    nbformat.write(nb, path)
    return path


def validate_assignment(assignment: Assignment, device: str) -> list[Check]:
    """Grade the reference, the stub and every mutant (in one pytest session) and judge them."""
    limits = load_limits(assignment, device)
    with tempfile.TemporaryDirectory(prefix="course-grade-mutants-") as tmp:
        subs = [
            Submission("reference", solution_notebook(assignment.name)),
            Submission("stub", release_notebook(assignment.name)),
            *(
                Submission(f"mutant {m.name}", mutant_notebook(assignment, m, Path(tmp)))
                for m in assignment.mutants
            ),
        ]
        reference, stub, *mutants = grade_many(assignment, subs, limits=limits, device=device)
    full = reference.total == assignment.max_total and reference.status is Status.OK
    checks = [
        Check(assignment.name, "reference", "100 %", reference, full),
        Check(assignment.name, "stub", "0", stub, stub.total == 0),
    ]
    for mutant, result in zip(assignment.mutants, mutants, strict=True):
        lost = next(q for q in result.questions if q.question == mutant.question)
        checks.append(
            Check(
                assignment.name,
                f"mutant {mutant.name}",
                f"< full on {mutant.question}",
                result,
                lost.score < lost.max_score,
            )
        )
    return checks


def main(
    *, assignments: list[str] | None = None, device: str = "auto", console: Console | None = None
) -> bool:
    """``course-grade validate``: print the table; True when every check holds."""
    console = console or table_console()
    device = resolve_device(device)
    names = assignments or assignment_names()
    checks = []
    for name in names:
        with console.status(f"validating {name}"):
            checks += validate_assignment(load_assignment(name), device)
    table = Table(title="course-grade validate")
    for column in ("assignment", "implementation", "expected", "score", "lost on", "ok"):
        table.add_column(column)
    for c in checks:
        lost = [q.question for q in c.result.questions if q.score < q.max_score]
        table.add_row(
            c.assignment,
            c.implementation,
            c.expected,
            f"{c.result.total:g}/{sum(q.max_score for q in c.result.questions):g}",
            ", ".join(lost)[:60] or "-",
            "yes" if c.ok else "[red]NO[/red]",
        )
    console.print(table)
    return all(c.ok for c in checks)
