"""Reports: ``grades.csv``, a Gradescope ``results.json`` and a feedback file per submission.

Nothing here shows hidden test source or hidden inputs: a test appears by its name and its
failure message only.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from grader.grading import SubmissionResult
from grader.runner import QuestionScore
from grader.suites import Assignment

#: Width of tables written to a file or a pipe (a terminal uses its own width).
PIPE_WIDTH = 180
GATED = "0 points: a visible check of this question failed (see its message)"


def _test_entries(q: QuestionScore) -> list[dict]:
    total_weight = sum(t.weight for t in q.tests)
    gated = any(t.visible and not t.passed for t in q.tests)
    entries = []
    for t in q.tests:
        share = q.max_score * t.weight / total_weight if total_weight else 0.0
        earned = share if t.passed and not gated else 0.0
        output = t.message or ("passed" if not gated else GATED)
        entries.append(
            {
                "name": f"{q.question}: {t.name}",
                "score": round(earned, 4),
                "max_score": round(share, 4),
                "status": "passed" if t.passed else "failed",
                "output": output,
                "visibility": "visible" if t.visible else "after_published",
            }
        )
    return entries


def results_json(assignment: Assignment, result: SubmissionResult) -> dict:
    """The Gradescope results schema for one submission, with our extras in ``extra_data``."""
    tests = []
    for q in result.questions:
        if q.tests:
            tests += _test_entries(q)
        else:
            tests.append(
                {
                    "name": f"{q.question}: not graded",
                    "score": 0.0,
                    "max_score": q.max_score,
                    "status": "failed",
                    "output": result.reason or "no test ran for this question",
                    "visibility": "visible",
                }
            )
    return {
        "score": result.total,
        "execution_time": result.execution_time,
        "output": f"status: {result.status}" + (f" ({result.reason})" if result.reason else ""),
        "tests": tests,
        "extra_data": {
            "assignment": assignment.name,
            "status": result.status,
            "isolation": result.isolation,
            "max_total": assignment.max_total,
            "questions": {q.question: q.score for q in result.questions},
        },
    }


def feedback_markdown(assignment: Assignment, result: SubmissionResult) -> str:
    """A readable feedback file: per question, the score and what to fix."""
    lines = [
        f"# Feedback: {assignment.name}, {result.name}",
        "",
        f"Score: **{result.total:g} / {assignment.max_total:g}**. Status: {result.status}.",
    ]
    if result.reason:
        lines += ["", f"What happened: {result.reason}."]
    if result.cell_errors:
        lines += ["", "## Cells that raised errors", ""]
        lines += [f"- cell {i + 1}: {text}" for i, text in sorted(result.cell_errors.items())]
    for q in result.questions:
        lines += ["", f"## {q.question}: {q.score:g} / {q.max_score:g}", ""]
        failed = [t for t in q.tests if not t.passed]
        if not q.tests:
            lines.append("Not graded: " + (result.reason or "no test ran."))
        elif not failed:
            lines.append("All checks passed.")
        for t in failed:
            kind = "visible check" if t.visible else "hidden check"
            lines.append(f"- {kind} `{t.name}`: {t.message}")
    return "\n".join(lines) + "\n"


def write_reports(assignment: Assignment, results: list[SubmissionResult], out: Path) -> None:
    """Write ``grades.csv`` and ``<submission>/{results.json,feedback.md}`` under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "grades.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["submission", *assignment.questions, "total", "max_total", "status"])
        for r in results:
            scores = [f"{q.score:g}" for q in r.questions]
            writer.writerow(
                [r.name, *scores, f"{r.total:g}", f"{assignment.max_total:g}", r.status]
            )
    for r in results:
        folder = out / r.name
        folder.mkdir(exist_ok=True)
        (folder / "results.json").write_text(json.dumps(results_json(assignment, r), indent=1))
        (folder / "feedback.md").write_text(feedback_markdown(assignment, r))


def print_table(assignment: Assignment, results: list[SubmissionResult], console: Console) -> None:
    """The score table: one row per submission, one column per question."""
    table = Table(title=f"{assignment.name} ({len(results)} submissions)")
    table.add_column("submission", no_wrap=True)
    for q in assignment.questions:
        table.add_column(q, justify="right")
    table.add_column("total", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for r in results:
        table.add_row(
            r.name,
            *(f"{q.score:g}" for q in r.questions),
            f"{r.total:g}/{assignment.max_total:g}",
            r.status,
        )
    console.print(table)
    for r in results:
        if r.reason:
            console.print(f"{r.name}: {r.status}: {r.reason}", highlight=False)


def table_console() -> Console:
    """A console for score tables: the terminal's width, or a wide one when piped to a log."""
    console = Console()
    return console if console.is_terminal else Console(width=PIPE_WIDTH)
