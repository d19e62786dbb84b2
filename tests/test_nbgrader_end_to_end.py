"""nbgrader from end to end, through course-grade's preprocessor, on a temporary course.

``generate_assignment``, ``autograde``, ``generate_feedback`` and ``export`` run for real on a
course set up with ``course-grade nbgrader-config`` alone. The gradebook's per-question scores
must equal ``course-grade``'s for the reference, the stub and every mutant of hw01, the bundled
samples, and the reference of hw05 and hw08; feedback shows the students' own outputs and no
hidden test; a course without the preprocessor fails on its first notebook, naming the fix.
"""

from __future__ import annotations

import html

import nbformat
import pytest

from grader.calibrate import load_limits
from grader.grading import grade_many
from grader.layout import ROOT, release_notebook, solution_notebook
from grader.nbgrader_bridge import GUARD_ID
from grader.notebook import Submission
from grader.sandbox import isolation_level
from grader.suites import load_assignment
from grader.validate import mutant_notebook

from .nbgrader_course import gradebook_scores, hidden_lines, make_course, nbgrader, submit

HW01, HW05, HW08 = "hw01_delta_sequences", "hw05_noisy_label_mlp", "hw08_transition_to_linearity"
SAMPLES = ROOT / "samples" / HW01
#: A configuration without course-grade's block, but with alembic on PATH.
PATH_ONLY = (
    "import os, sys\n"
    'os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]\n'
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]  # three assignments autograded


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = make_course(tmp_path_factory.mktemp("course"), [HW01, HW05, HW08])
    hw01 = load_assignment(HW01)
    students = {
        HW01: {
            "reference": solution_notebook(HW01),
            "stub": release_notebook(HW01),
            "full_marks": SAMPLES / "full_marks.ipynb",
            "partial": SAMPLES / "partial.ipynb",
            **{f"mutant-{m.name}": mutant_notebook(hw01, m, root) for m in hw01.mutants},
        },
        HW05: {"reference05": solution_notebook(HW05)},
        HW08: {"reference08": solution_notebook(HW08)},
    }
    submitted = {}
    for name, by_student in students.items():
        for student, notebook in by_student.items():
            submitted[student] = submit(root, name, student, notebook)
    runs = {name: nbgrader(root, "autograde", name, "--force") for name in students}
    return root, students, submitted, runs


def test_autograde_succeeds_and_says_what_it_graded(course):
    _, students, _, runs = course
    for name, done in runs.items():
        assert done.returncode == 0, done.stderr[-3000:]
        for student in students[name]:
            assert f"course-grade: {student}: ok" in done.stderr, done.stderr[-3000:]


def test_gradebook_equals_course_grade_per_question(course):
    root, students, submitted, _ = course
    for name, by_student in students.items():
        assignment = load_assignment(name)
        subs = [Submission(student, submitted[student]) for student in by_student]
        ours = grade_many(assignment, subs, limits=load_limits(assignment, "cpu"))
        for record in ours:
            theirs = gradebook_scores(root, name, record.name, list(assignment.questions))
            mine = {q.question: q.score for q in record.questions}
            assert theirs == pytest.approx(mine, abs=1e-9), record.name
        totals = {r.name: r.total for r in ours}
        if name == HW01:
            assert totals["reference"] == totals["full_marks"] == assignment.max_total
            assert totals["stub"] == 0
            assert 0 < totals["partial"] < assignment.max_total
            assert all(t < assignment.max_total for s, t in totals.items() if "mutant" in s)
        else:
            assert list(totals.values()) == [assignment.max_total]


def test_feedback_shows_the_students_work_and_no_hidden_test(course):
    root, students, *_ = course
    done = nbgrader(root, "generate_feedback", HW01, "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    pages = {p.parts[-3]: html.unescape(p.read_text()) for p in root.glob("feedback/*/*/*.html")}
    assert set(pages) == set(students[HW01])
    secret = hidden_lines()
    for student, page in pages.items():
        assert "BEGIN HIDDEN TESTS" not in page and "NBGRADER_EXECUTION" not in page, student
        assert not [line for line in secret if line in page], student
    reference = pages["reference"]
    assert "course-grade: 4 / 4 points" in reference  # delta_pairing's test cell
    if isolation_level().startswith("bubblewrap"):
        assert reference.count("data:image/png;base64,") >= 4  # the notebook's figures
        assert "quad on [-3, 5]" in reference  # a cell's printed text
    assert "Hidden checks: 0 of" in pages["stub"]


def test_export_lists_every_student(course):
    root, students, *_ = course
    done = nbgrader(root, "export")
    assert done.returncode == 0, done.stderr[-3000:]
    rows = (root / "grades.csv").read_text().splitlines()
    assert {row.split(",")[3] for row in rows[1:]} == {s for by in students.values() for s in by}


def test_the_guard_cell_scores_nothing(course):
    from nbgrader.api import Gradebook

    root, students, *_ = course
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for name, by_student in students.items():
            for student in by_student:
                grade = gradebook.find_grade(GUARD_ID, name, name, student)
                assert (grade.auto_score, grade.max_score) == (0, 0), student


def test_a_course_without_the_preprocessor_fails_naming_the_fix(tmp_path):
    root = make_course(tmp_path, [HW01], config=PATH_ONLY)
    submit(root, HW01, "first", solution_notebook(HW01))
    submit(root, HW01, "second", solution_notebook(HW01))
    done = nbgrader(root, "autograde", HW01)
    assert done.returncode != 0
    log = done.stdout + done.stderr
    assert "course-grade nbgrader-config >> nbgrader_config.py" in log
    assert "grader.nbgrader_bridge.SandboxedAutograde" in log
    questions = list(load_assignment(HW01).questions)
    assert gradebook_scores(root, HW01, "first", questions) is None  # nothing graded in a kernel
    assert gradebook_scores(root, HW01, "second", questions) is None


def test_the_release_has_no_hidden_block_and_needs_only_its_imports():
    for name in (HW01, HW05, HW08):
        nb = nbformat.read(release_notebook(name), as_version=4)
        text = "\n".join(c.source for c in nb.cells)
        assert "BEGIN HIDDEN" not in text and "grader" not in text.replace("autograder", "")
        source = nbformat.read(solution_notebook(name), as_version=4)
        assert not any("import grader" in c.source for c in source.cells)


def test_nbgrader_config_prints_the_whole_block():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "grader", "nbgrader-config"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "grader.nbgrader_bridge.SandboxedAutograde" in done.stdout
    assert "ClearHiddenTests" in done.stdout
    compile(done.stdout, "nbgrader_config.py", "exec")  # valid Python to append to a config
