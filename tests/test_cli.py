"""The course-grade command line, run as a user would: in a subprocess."""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.layout import ROOT
from grader.suites import load_assignment

HW01 = "hw01_delta_sequences"
SAMPLES = ROOT / "samples" / HW01


def course_grade(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_grade_samples_writes_gradebook_results_and_feedback(tmp_path):
    done = course_grade("grade", HW01, str(SAMPLES), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    text = (tmp_path / "grades.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    header = text.splitlines()[0].split(",")
    assignment = load_assignment(HW01)
    written = [f"{name} (written)" for name in assignment.written]
    tail = ["total", "auto_max", "max_total", "status", "path"]
    assert written and header == ["submission", *assignment.questions, *written, *tail]
    by_name = {row["submission"]: row for row in rows}
    assert float(by_name["full_marks"]["total"]) == assignment.max_total
    assert 0 < float(by_name["partial"]["total"]) < assignment.max_total
    assert by_name["broken"]["status"] == "malformed"
    for name in by_name:
        results = json.loads((tmp_path / name / "results.json").read_text())
        assert {"score", "execution_time", "tests"} <= set(results)
        assert results["score"] == pytest.approx(float(by_name[name]["total"]))
        for test in results["tests"]:
            written = test["name"].endswith(": written")
            keys = {"name", "max_score", "output", "visibility"} | (
                set() if written else {"score", "status"}
            )
            assert keys <= set(test) and (not written or "score" not in test)
        feedback = (tmp_path / name / "feedback.md").read_text()
        assert "impl." not in feedback and "assert_close" not in feedback
    assert "isolation:" in done.stderr


@pytest.mark.slow
def test_jobs_lookahead_and_fresh_workers_give_the_same_gradebook(tmp_path):
    """Two jobs sharing a queue, one job starting each submission ahead (alternating between two
    warm pools), and fresh interpreters all grade the same submissions the same way."""
    folder = tmp_path / "submissions"
    folder.mkdir()
    for k in range(2):
        for sample in ("full_marks", "partial", "broken"):
            shutil.copy(SAMPLES / f"{sample}.ipynb", folder / f"{sample}_{k}.ipynb")
    gradebooks = {}
    for options in (["--jobs", "2"], ["--jobs", "1"], ["--fresh-workers"]):
        out = tmp_path / "-".join(options)
        done = course_grade("grade", HW01, str(folder), "--out", str(out), *options)
        assert done.returncode == 0, done.stderr[-3000:]
        gradebooks[" ".join(options)] = (out / "grades.csv").read_text()
    rows = list(csv.DictReader(gradebooks["--jobs 1"].splitlines()))
    assert [row["submission"] for row in rows] == sorted(p.stem for p in folder.iterdir())
    assert [row["status"] for row in rows] == ["malformed", "malformed", "ok", "ok", "ok", "ok"]
    assert len(set(gradebooks.values())) == 1, gradebooks


def test_unknown_assignment_is_a_clear_error(tmp_path):
    done = course_grade("grade", "hw99_nope", str(SAMPLES), "--out", str(tmp_path))
    assert done.returncode == 2
    assert "unknown assignment 'hw99_nope'" in done.stderr


def test_missing_submission_path_is_a_clear_error(tmp_path):
    done = course_grade("grade", HW01, str(tmp_path / "nothing"), "--out", str(tmp_path))
    assert done.returncode == 2 and "no such file or folder" in done.stderr


def test_bad_jobs_value_is_a_clear_error(tmp_path):
    done = course_grade("grade", HW01, str(SAMPLES), "--out", str(tmp_path), "--jobs", "0")
    assert done.returncode == 2 and "--jobs must be at least 1" in done.stderr


def test_out_naming_a_file_is_refused_before_grading(tmp_path):
    (tmp_path / "grades").write_text("keep me")
    done = course_grade("grade", HW01, str(SAMPLES), "--out", str(tmp_path / "grades"))
    assert done.returncode == 2 and "is not a folder" in done.stderr
    assert "isolation:" not in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "grades").read_text() == "keep me"


@pytest.mark.slow
def test_build_check_is_clean():
    done = course_grade("build", "--check")
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.slow
def test_validate_every_assignment_passes_and_prints_its_table():
    """Reference 100 %, stub 0, every mutant below full marks on its question: all assignments."""
    done = course_grade("validate")
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
    from grader.suites import assignment_names

    for name in assignment_names():
        assert name in done.stdout
        assert len(load_assignment(name).mutants) >= 4
    assert "NO" not in done.stdout
