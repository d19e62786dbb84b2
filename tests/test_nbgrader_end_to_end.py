"""nbgrader from end to end on a temporary course made from solutions/: generate_assignment,
autograde, generate_feedback (with ClearHiddenTests), export; nbgrader's scores must equal
course-grade's for the same notebooks, and no hidden test source may reach students."""

import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from grader.calibrate import load_limits
from grader.grading import grade_submission
from grader.layout import release_notebook, solution_notebook
from grader.nbgrader_bridge import RECOMMENDED_CONFIG, run_nbgrader
from grader.notebook import Submission
from grader.validate import mutant_notebook

HW01 = "hw01_delta_sequences"
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "hidden_score")
CONFIG = "c = get_config()\nc.CourseDirectory.root = {root!r}\n" + RECOMMENDED_CONFIG

pytestmark = pytest.mark.slow


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    return run_nbgrader(course, *args, timeout=900)


@pytest.fixture(scope="module")
def course(tmp_path_factory, hw01):
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text(CONFIG.format(root=str(root)))
    source = root / "source" / HW01
    source.mkdir(parents=True)
    shutil.copy(solution_notebook(HW01), source / f"{HW01}.ipynb")
    done = nbgrader(root, "generate_assignment", HW01, "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    mutant = hw01.mutants[0]
    students = {
        "reference": solution_notebook(HW01),
        "stub": root / "release" / HW01 / f"{HW01}.ipynb",
        "mutant": mutant_notebook(hw01, mutant, root),
    }
    for student, notebook in students.items():
        folder = root / "submitted" / student / HW01
        folder.mkdir(parents=True)
        shutil.copy(notebook, folder / f"{HW01}.ipynb")
    nbgrader(root, "autograde", HW01, "--force")  # exits 1 when any notebook fails a test
    return root, students


def test_release_equals_the_committed_student_notebook_and_hides_the_tests(course):
    root, _ = course
    released = (root / "release" / HW01 / f"{HW01}.ipynb").read_text()
    assert released == release_notebook(HW01).read_text()
    assert not any(marker in released for marker in HIDDEN_MARKERS)
    assert "### BEGIN SOLUTION" not in released


def test_nbgrader_scores_equal_course_grade_scores(course, hw01):
    from nbgrader.api import Gradebook

    root, students = course
    limits = load_limits(hw01, "cpu")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for student, notebook in students.items():
            ours = grade_submission(
                hw01, Submission(student, notebook), limits=limits, device="cpu"
            )
            for q in ours.questions:
                grade = gradebook.find_grade(f"test_{q.question}", HW01, HW01, student)
                assert grade.score == pytest.approx(q.score, abs=1e-6), (student, q.question)
    assert ours.total < hw01.max_total  # the mutant really lost points


def test_feedback_shows_no_hidden_tests(course):
    root, _ = course
    done = nbgrader(root, "generate_feedback", HW01, "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    pages = list((root / "feedback").rglob("*.html"))
    assert len(pages) == 3
    for page in pages:
        assert not any(marker in page.read_text() for marker in HIDDEN_MARKERS), page


def test_export_writes_the_gradebook(course, hw01):
    root, _ = course
    done = nbgrader(root, "export")
    assert done.returncode == 0, done.stderr[-3000:]
    rows = (root / "grades.csv").read_text().splitlines()
    assert len(rows) == 4 and rows[0].startswith("assignment,")
    by_student = {row.split(",")[3]: row for row in rows[1:]}
    assert set(by_student) == {"reference", "stub", "mutant"}


def test_reference_notebook_is_unchanged_by_nbgrader(course):
    nb = nbformat.read(solution_notebook(HW01), as_version=4)
    assert any("hidden_score" in c.source for c in nb.cells)
