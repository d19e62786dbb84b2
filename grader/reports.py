"""Reports: ``grades.csv``, a Gradescope ``results.json`` and a feedback file per submission.

Nothing here shows hidden test source or hidden inputs: a test appears by its name and its
failure message only. Every string a submission controls reaches a sink through
:mod:`grader.untrusted` (CSV cells, Markdown code spans, console text, folder names), so no
record can break a report, run as a formula or land outside ``out``.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from grader import UsageError, untrusted
from grader.grading import SubmissionResult
from grader.runner import Outcome, QuestionScore
from grader.suites import Assignment

#: Width of tables written to a file or a pipe (a terminal uses its own width).
PIPE_WIDTH = 180
BLOCKED = "blocked: a visible check of this question failed, so it scores 0 (see that check)"
WRITTEN = "graded by hand (nbgrader's formgrader): not part of this score"


def _test_entries(q: QuestionScore) -> list[dict]:
    """One Gradescope test per hidden or visible test, with the points :func:`runner.score`
    gave it (so they add up to the question's score)."""
    return [
        {
            "name": f"{q.question}: {e.test.name}",
            "score": e.points,
            "max_score": e.max_points,
            "status": "passed" if e.outcome is Outcome.PASSED else "failed",
            "output": e.test.message or (BLOCKED if e.outcome is Outcome.BLOCKED else "passed"),
            "visibility": "visible" if e.test.visible else "after_published",
        }
        for e in q.entries
    ]


def results_json(assignment: Assignment, result: SubmissionResult) -> dict:
    """The Gradescope results schema for one submission, with our extras in ``extra_data``.
    The written answers appear as tests with their points and no score."""
    tests = []
    for q in result.questions:
        if q.entries:
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
    for name, points in assignment.written.items():
        tests.append(
            {
                "name": f"{name}: written",
                "max_score": points,
                "output": WRITTEN,
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
            "seed": result.seed,
            "auto_max": assignment.max_total,
            "max_total": assignment.max_with_written,
            "written": dict(assignment.written),
            "questions": {q.question: q.score for q in result.questions},
        },
    }


def feedback_markdown(assignment: Assignment, result: SubmissionResult) -> str:
    """A readable feedback file: per question, the score and what to fix."""
    code = untrusted.markdown_code
    why = code(result.reason) if result.reason else "no test ran."
    lines = [
        f"# Feedback: {assignment.name}, {code(result.name)}",
        "",
        f"Score: **{result.total:g} / {assignment.max_total:g}**. Status: {result.status}.",
    ]
    if assignment.written:
        points = sum(assignment.written.values())
        names = ", ".join(map(code, assignment.written))
        lines += ["", f"The written answers ({names}, {points:g} points) are graded by hand."]
    if result.reason:
        lines += ["", f"What happened: {code(result.reason)}"]
    if result.others:
        lines += ["", "Also in the folder, not graded: " + ", ".join(map(code, result.others))]
    if result.cell_errors:
        lines += ["", "## Cells that raised errors", ""]
        errors = sorted(result.cell_errors.items())
        lines += [f"- cell {i + 1}: {code(text)}" for i, text in errors]
    for q in result.questions:
        lines += ["", f"## {q.question}: {q.score:g} / {q.max_score:g}", ""]
        failed = [t for t in q.tests if not t.passed]
        if not q.tests:
            lines.append(f"Not graded: {why}")
        elif not failed:
            lines.append("All checks passed.")
        for t in failed:
            kind = "visible check" if t.visible else "hidden check"
            lines.append(f"- {kind} {code(t.name)}: {code(t.message)}")
        blocked = sum(e.outcome is Outcome.BLOCKED for e in q.entries)
        if blocked:
            lines.append(f"- {blocked} passing hidden checks are blocked by the visible check")
    return "\n".join(lines) + "\n"


#: The columns after the questions' and the written answers' (those left empty: graded by hand).
#: ``auto_max``: the autograder's points; ``max_total``: all of them, as nbgrader counts.
GRADES_COLUMNS = ("total", "auto_max", "max_total", "status", "path")


def check_out(out: Path) -> None:
    """Make ``out`` ready for reports, before any grading; UsageError saying why it cannot be."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise UsageError(f"--out {out} cannot be written to ({exc.strerror})") from None


def write_reports(assignment: Assignment, results: list[SubmissionResult], out: Path) -> None:
    """Write ``grades.csv`` and ``<submission>/{results.json,feedback.md}`` under ``out``: one
    row per record, and one folder per record named by :func:`grader.untrusted.unique_names`
    (the records' own names when they are safe and distinct already)."""
    out.mkdir(parents=True, exist_ok=True)
    folders = untrusted.unique_names([r.name for r in results])
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        written = [f"{name} (written)" for name in assignment.written]
        writer.writerow(["submission", *assignment.questions, *written, *GRADES_COLUMNS])
        maxima = [f"{assignment.max_total:g}", f"{assignment.max_with_written:g}"]
        for r, folder in zip(results, folders, strict=True):
            scores = [f"{q.score:g}" for q in r.questions] + [""] * len(written)
            path = untrusted.csv_cell(r.path)
            tail = [f"{r.total:g}", *maxima, r.status, path]
            writer.writerow([untrusted.csv_cell(folder), *scores, *tail])
    for r, name in zip(results, folders, strict=True):
        folder = out / name
        folder.mkdir(exist_ok=True)
        report = json.dumps(results_json(assignment, r), indent=1)
        (folder / "results.json").write_text(report, encoding="utf-8")
        (folder / "feedback.md").write_text(feedback_markdown(assignment, r), encoding="utf-8")


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
            untrusted.terminal(r.name),
            *(f"{q.score:g}" for q in r.questions),
            f"{r.total:g}/{assignment.max_total:g}",
            r.status,
        )
    console.print(table)
    for r in results:
        if r.reason:
            console.print(untrusted.terminal(f"{r.name}: {r.status}: {r.reason}"))


def table_console() -> Console:
    """A console for score tables: the terminal's width, or a wide one when piped to a log."""
    console = Console()
    return console if console.is_terminal else Console(width=PIPE_WIDTH)
