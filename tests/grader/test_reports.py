"""The report writers over arbitrary records: never a crash, never a file outside ``--out``."""

import csv
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

from grader import UsageError, runner, untrusted
from grader.grading import SubmissionResult
from grader.reports import (
    check_out,
    feedback_markdown,
    print_table,
    results_json,
    write_reports,
)
from grader.runner import Failure
from grader.status import Status
from grader.suites import load_assignment

HW01 = load_assignment("hw01_delta_sequences")
#: Any text, lone surrogates and every control and format character included.
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
NAMES = st.sampled_from(["..", ".", "x", "X", "=cmd|' /C calc'!A0", "a/../b", "[red]x[/]"]) | TEXT


@st.composite
def records(draw):
    tests = [
        runner.TestResult(
            question,
            draw(TEXT),
            draw(TEXT),
            draw(st.sampled_from([0.5, 1.0, 2.0, 3.0, 7.0])),
            draw(st.booleans()),
            passed := draw(st.booleans()),
            draw(TEXT),
            0.1,
            None if passed else draw(st.sampled_from(Failure)),
        )
        for question in HW01.questions
        for _ in range(draw(st.integers(0, 4)))
    ]
    questions = runner.score(HW01, tests)
    return SubmissionResult(
        draw(NAMES),
        draw(TEXT),
        draw(st.sampled_from(Status)),
        draw(TEXT),
        questions,
        1.0,
        "bubblewrap",
        cell_errors=draw(st.dictionaries(st.integers(0, 30), TEXT, max_size=3)),
        others=tuple(draw(st.lists(TEXT, max_size=3))),
    )


def files_under(root: Path) -> set[Path]:
    return {Path(folder) / name for folder, _, names in os.walk(root) for name in names}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(results=st.lists(records(), max_size=6))
def test_any_records_give_one_row_and_one_folder_each_inside_out(results, tmp_path_factory):
    base = tmp_path_factory.mktemp("reports")
    out = base / "out"
    write_reports(HW01, results, out)
    assert files_under(base) == files_under(out)  # nothing written beside or above out
    rows = list(csv.DictReader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(results)
    folders = [row["submission"].lstrip("'") for row in rows]
    assert len(set(folders)) == len(results) == len(list(out.glob("*/results.json")))
    for row, result in zip(rows, results, strict=True):
        assert all(not cell.startswith(untrusted.FORMULA_START) for cell in row.values())
        report = json.loads((out / row["submission"] / "results.json").read_text(encoding="utf-8"))
        assert report["score"] == result.total
        (out / row["submission"] / "feedback.md").read_text(encoding="utf-8")
    console = Console(file=io.StringIO(), width=120, color_system=None)
    print_table(HW01, results, console)  # never raises on markup or control characters


@settings(max_examples=100, deadline=None)
@given(result=records())
def test_feedback_renders_untrusted_text_as_code_only(result):
    """No link, image, HTML or heading can come from a submission's text."""
    tokens = MarkdownIt("commonmark").parse(feedback_markdown(HW01, result))
    inline = [child for t in tokens if t.children for child in t.children]
    assert {c.type for c in inline} <= {"text", "code_inline", "strong_open", "strong_close"}
    assert sum(t.type == "heading_open" for t in tokens) == 1 + len(result.questions) + bool(
        result.cell_errors
    )


@settings(max_examples=100, deadline=None)
@given(result=records())
def test_per_test_points_add_up_exactly_and_blocked_checks_fail(result):
    """Gradescope sums the tests' points: they must give the question's and the submission's
    score exactly, and their maxima the assignment's (written answers included)."""
    report = json.loads(json.dumps(results_json(HW01, result)))
    by_question: dict[str, list[dict]] = {}
    for test in report["tests"]:
        by_question.setdefault(test["name"].split(":")[0], []).append(test)
    for q in result.questions:
        tests = by_question[q.question]
        assert round(sum(t["score"] for t in tests), 9) == q.score
        assert round(sum(t["max_score"] for t in tests), 9) == q.max_score
        gated = any(t.visible and not t.passed for t in q.tests)
        passed = [t for t in tests if t["status"] == "passed"]
        assert all(t["score"] > 0 or t["max_score"] == 0 for t in passed)
        assert not (gated and passed)
        assert all(t["score"] == 0 for t in tests if t["status"] == "failed")
    auto = [t for t in report["tests"] if "score" in t]
    assert round(sum(t["score"] for t in auto), 9) == report["score"] == result.total
    assert round(sum(t["max_score"] for t in report["tests"]), 9) == HW01.max_with_written
    written = [t for t in report["tests"] if "score" not in t]
    assert [t["name"].split(":")[0] for t in written] == list(HW01.written)


def test_out_naming_a_file_is_refused_before_any_work(tmp_path):
    (tmp_path / "taken").write_text("")
    with pytest.raises(UsageError, match=r"--out .* is not a folder"):
        check_out(tmp_path / "taken")
    check_out(tmp_path / "new" / "nested")
    assert (tmp_path / "new" / "nested").is_dir()
