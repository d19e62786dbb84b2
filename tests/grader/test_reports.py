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
from grader.reports import check_out, feedback_markdown, print_table, write_reports
from grader.runner import Failure, QuestionScore
from grader.status import Status
from grader.suites import load_assignment

HW01 = load_assignment("hw01_delta_sequences")
#: Any text, lone surrogates and every control and format character included.
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
NAMES = st.sampled_from(["..", ".", "x", "X", "=cmd|' /C calc'!A0", "a/../b", "[red]x[/]"]) | TEXT


@st.composite
def records(draw):
    questions = []
    for question, points in HW01.questions.items():
        tests = [
            runner.TestResult(
                question,
                draw(TEXT),
                draw(TEXT),
                1.0,
                draw(st.booleans()),
                passed := draw(st.booleans()),
                draw(TEXT),
                0.1,
                None if passed else draw(st.sampled_from(Failure)),
            )
            for _ in range(draw(st.integers(0, 2)))
        ]
        questions.append(QuestionScore(question, draw(st.floats(0, points)), points, tests))
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


def test_out_naming_a_file_is_refused_before_any_work(tmp_path):
    (tmp_path / "taken").write_text("")
    with pytest.raises(UsageError, match=r"--out .* is not a folder"):
        check_out(tmp_path / "taken")
    check_out(tmp_path / "new" / "nested")
    assert (tmp_path / "new" / "nested").is_dir()
