"""The hostile corpus through ``nbgrader autograde`` with course-grade's preprocessor.

One real nbgrader course, set up with ``course-grade nbgrader-config`` (plus the corpus's short
cell limit and memory cap), gets every runnable case of ``hostile_corpus.py`` and three honest
notebooks as students, and grades them in one ``autograde`` run, so that all of them share one
grading process and warm pool. Then:

* nothing is gained: each case that reaches the preprocessor scores exactly the record
  course-grade must give it (the case's expected scores), except where nbgrader's own sanitizer
  made it the correct notebook; the files nbgrader's sanitizer refuses (unreadable, or cells
  duplicated or re-marked) get no score at all;
* honest neighbours score what they score alone (full marks, and the partial notebook's points);
* the feedback pages hold no line of any hidden suite, no hidden block and no student script;
* once ``autograde`` has returned, no process of a case is alive, nothing was written outside
  the sandbox, the neighbour's notebook is unchanged and ``gradebook.db`` stays as it was.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import socket
import threading
import time
import uuid

import pytest

from grader.calibrate import TimeLimits, load_limits
from grader.grading import grade_many
from grader.nbgrader_bridge import nbgrader_config
from grader.notebook import Submission
from grader.sandbox import isolation_level

from ..nbgrader_course import gradebook_scores, hidden_lines, make_course, nbgrader, submit
from .hostile_corpus import (
    CASES,
    CELL_LIMIT,
    HW01,
    MUTANT_SINC,
    WORKER_LIMITS,
    Context,
    build,
    features_of,
    serve_oracle,
    survivors,
)
from .submissions import make_submission

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # one autograde run of the whole corpus

LEVEL = isolation_level()
HAVE = features_of(LEVEL, os.getuid() == 0)
RUNNABLE = [c for c in CASES if set(c.needs) <= HAVE]
CONFIG = nbgrader_config() + (
    f"c.SandboxedAutograde.cell_timeout = {CELL_LIMIT}\n"
    f"c.SandboxedAutograde.memory_gib = {WORKER_LIMITS.memory_bytes / 1024**3}\n"
)
HONEST = ("honest_a", "partial_b", "zz_honest_c")
#: Cases whose file nbgrader's sanitizer turns into the correct notebook (ClearOutput removes the
#: 100 MB of output that course-grade refuses to read): they earn full marks there.
CLEARED_BY_NBGRADER = ("huge_notebook",)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def autograded(hw01, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-nbgrader")
    course = make_course(tmp / "course", [HW01], config=CONFIG)
    staging, escape = tmp / "staging", tmp / "escape"
    staging.mkdir()
    escape.mkdir()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    threading.Thread(target=serve_oracle, args=(server,), daemon=True).start()
    token = f"cgn{uuid.uuid4().hex[:8]}"
    honest = {
        "honest_a": make_submission(staging, "honest_a"),
        "partial_b": make_submission(staging, "partial_b", replace={"sinc_kernel": MUTANT_SINC}),
        "zz_honest_c": make_submission(staging, "zz_honest_c"),
    }
    submitted = {name: submit(course, HW01, name, path) for name, path in honest.items()}
    neighbour = submitted["honest_a"]
    ctx = Context(staging, escape, neighbour, server.getsockname()[1], token)
    neighbour_bytes = neighbour.read_bytes()
    for case in RUNNABLE:
        submitted[case.name] = submit(course, HW01, case.name, build(case, ctx))
    limits = TimeLimits(CELL_LIMIT, load_limits(hw01, "cpu").tests, "cpu", "hostile-corpus")
    alone = grade_many(
        hw01,
        [Submission(n, shutil.copy(p, tmp / f"{n}.ipynb")) for n, p in honest.items()],
        limits=limits,
        worker_limits=WORKER_LIMITS,
    )
    done = nbgrader(course, "autograde", HW01, "--force")
    returned = digest(course / "gradebook.db")
    time.sleep(1.0)  # an escaped child would write every 0.2 s
    server.close()
    feedback = nbgrader(course, "generate_feedback", HW01, "--force")
    questions = list(hw01.questions)
    graded = {s for s in submitted if gradebook_scores(course, HW01, s, questions) is not None}
    return {
        "graded": graded,
        "course": course,
        "done": done,
        "feedback": feedback,
        "alone": {r.name: {q.question: q.score for q in r.questions} for r in alone},
        "gradebook_unchanged": digest(course / "gradebook.db") == returned,
        "survivors": survivors(token),
        "escaped": sorted(p.name for p in escape.iterdir()),
        "neighbour_unchanged": neighbour.read_bytes() == neighbour_bytes,
    }


def graded_by_us(log: str, student: str) -> bool:
    return f"course-grade: {student}: " in log


def test_every_honest_notebook_reached_the_preprocessor(autograded):
    assert all(graded_by_us(autograded["done"].stderr, name) for name in HONEST)


@pytest.mark.parametrize("case", RUNNABLE, ids=[c.name for c in RUNNABLE])
def test_nothing_is_gained(case, autograded, hw01):
    scores = gradebook_scores(autograded["course"], HW01, case.name, list(hw01.questions))
    if scores is None:  # nbgrader itself refused the file: no grade at all, nothing gained
        assert not graded_by_us(autograded["done"].stderr, case.name), case.name
        return
    expected = case.expected_scores(hw01.questions)
    if case.name in CLEARED_BY_NBGRADER:
        expected = {q: float(p) for q, p in hw01.questions.items()}
    assert scores == expected, case.attack


def test_honest_neighbours_score_as_alone(autograded, hw01):
    for name in HONEST:
        scores = gradebook_scores(autograded["course"], HW01, name, list(hw01.questions))
        assert scores == autograded["alone"][name], name
    assert sum(autograded["alone"]["honest_a"].values()) == hw01.max_total
    assert sum(autograded["alone"]["partial_b"].values()) < hw01.max_total


def test_feedback_holds_no_hidden_test_and_no_student_markup(autograded):
    assert autograded["feedback"].returncode == 0, autograded["feedback"].stderr[-3000:]
    pages = list(autograded["course"].glob("feedback/*/*/*.html"))
    assert {p.parts[-3] for p in pages} == autograded["graded"]
    secret = hidden_lines()
    for path in pages:
        text = path.read_text()
        plain = html.unescape(text)
        assert "BEGIN HIDDEN TESTS" not in plain, path
        assert not [line for line in secret if line in plain], path
        assert "<script>alert(1)</script>" not in text and "'pwned'</script>" not in text, path
        assert "\x1b" not in text, path
        assert "LEAK:" not in plain, path  # no hidden input relayed by a visible check


def test_nothing_outlives_autograde(autograded):
    if "kills_detached" not in HAVE:
        pytest.skip(f"needs processes of the worker killed; this machine's isolation is {LEVEL}")
    assert autograded["survivors"] == []
    assert autograded["escaped"] == []
    assert autograded["neighbour_unchanged"]
    assert autograded["gradebook_unchanged"]
