"""``nbgrader autograde`` through the sandbox: a preprocessor in place of nbgrader's ``Execute``.

Under nbgrader, :class:`SandboxedAutograde` grades each sanitized notebook with course-grade's
own engine (the sandbox, the warm pool, the data boundary, the calibrated limits, the same
suites) from a trusted grading process that it keeps for the whole ``autograde`` run, so that
consecutive notebooks share one warm pool and one pytest collection. It then writes the notebook
back as nbgrader expects to find it after execution:

* every student cell gets the outputs it produced inside the sandbox (printed text, figures,
  its traceback), so that ``generate_feedback`` shows the student their work; only at the
  bubblewrap levels, where student code cannot read the suites (it could print them otherwise);
* every autograder test cell of a question gets a short text (points, which visible check
  failed, how many hidden checks failed and how, never their names, source or inputs) and an
  ``execute_result`` holding the points, from which nbgrader's ``SaveAutoGrades`` records
  exactly the partial credit ``course-grade grade`` gives.

No kernel is started: student code runs only in the sandbox. The hidden block of each test
cell, and a locked guard cell at the top of every notebook, only stop the kernel when a course
runs ``autograde`` without this preprocessor (:data:`KERNEL_GUARD`), so that a misconfigured
course fails on its first notebook with a message naming the fix instead of grading in the
kernel. :func:`nbgrader_config` is the whole set-up (``course-grade nbgrader-config``).
"""

from __future__ import annotations

import atexit
import os
import queue
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float, Unicode

from grader import GraderError, cell_outputs, untrusted
from grader.calibrate import TimeLimits, load_limits, resolve_device
from grader.grading import JobOptions, SubmissionResult, fault_record, serve_queue
from grader.layout import release_notebook
from grader.notebook import (
    Submission,
    code_cell_positions,
    grade_id,
    nbgrader_meta,
    read_release,
)
from grader.runner import Failure, QuestionScore
from grader.sandbox import Limits, isolation_level
from grader.status import Status
from grader.suites import Assignment, assignment_names, load_assignment

PREPROCESSOR = f"{__name__}.SandboxedAutograde"
#: grade_id of the locked guard cell that the build puts before every notebook's first code cell.
GUARD_ID = "autograde_guard"
#: Seconds given to the grading process to finish its last notebook and close its pools.
CLOSE_SECONDS = 30.0

_MISCONFIGURED = (
    "course-grade: this notebook must be autograded in course-grade's sandbox, not in a kernel. "
    "Run `course-grade nbgrader-config >> nbgrader_config.py` in the course folder (it puts "
    f"{PREPROCESSOR} in place of nbgrader.preprocessors.Execute in "
    "c.Autograde.autograde_preprocessors) and run nbgrader autograde again."
)
#: Kernel code of the guard cell and of every hidden block: a no-op in Jupyter and in
#: ``nbgrader validate``; under ``nbgrader autograde`` it can only run when the kernel executes
#: the notebook, that is when this preprocessor is missing, and then it ends the kernel with the
#: message on the kernel's stderr (nbgrader's log), so that no notebook is graded there. The
#: kernel forwards its stderr from a thread: the second's pause lets the message through.
KERNEL_GUARD = (
    "import os as _os, time as _time\n"
    '_os.environ.get("NBGRADER_EXECUTION") == "autograde" and '
    f"(_os.write(2, {(_MISCONFIGURED + chr(10)).encode()!r}), _time.sleep(1), _os._exit(78))"
)


def nbgrader_config() -> str:
    """The block for ``nbgrader_config.py`` that makes ``autograde`` grade through the sandbox."""
    return f'''\
# --- course-grade (printed by `course-grade nbgrader-config`) ---
import os as _os, sys as _sys
c = get_config()
# nbgrader runs `alembic` (generate_assignment, db commands) from PATH: this interpreter's first.
_os.environ["PATH"] = _os.path.dirname(_sys.executable) + _os.pathsep + _os.environ["PATH"]
# Student code runs only in course-grade's sandbox, and the hidden suites only in the trusted
# grader: the preprocessor below takes the place of nbgrader.preprocessors.Execute.
c.Autograde.autograde_preprocessors = [
    "{PREPROCESSOR}",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# A deleted autograder cell comes back, so that its question is scored as course-grade scores it.
c.OverwriteCells.add_missing_cells = True
# Time limits are multiples of the reference's calibrated times (`course-grade calibrate`);
# these override them, or pick the device and the warm pool:
# c.SandboxedAutograde.cell_timeout = 0.0       # seconds per cell; 0: calibrated
# c.SandboxedAutograde.notebook_timeout = 0.0   # seconds per notebook; 0: from the limits
# c.SandboxedAutograde.device = "auto"          # auto, cpu or cuda
# c.SandboxedAutograde.fresh_workers = False
# Feedback shows the test cells' outputs but never their hidden blocks, nor a student's script.
c.HTMLExporter.sanitize_html = True
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# --- end of course-grade ---
'''


class _GradingProcess:
    """A trusted process grading one notebook at a time (:func:`~grader.grading.serve_queue`)."""

    def __init__(self, options: JobOptions) -> None:
        self.options = options
        context = get_context("spawn")
        self.todo, self.made = context.Queue(), context.Queue()
        self.process = context.Process(
            target=serve_queue, args=(options, self.todo, self.made), name="course-grade"
        )
        self.process.start()

    def grade(self, submission: Submission, timeout: float) -> SubmissionResult | str:
        """The record of ``submission``, or why there is none (the process died or overran)."""
        self.todo.put(submission)
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.made.get(timeout=0.5)
            except queue.Empty:
                if not self.process.is_alive():
                    return f"the grading process stopped (exit status {self.process.exitcode})"
                if time.monotonic() > deadline:
                    return f"grading did not finish within {timeout:.0f} s"

    def close(self, *, wait: float = CLOSE_SECONDS) -> None:
        if self.process.is_alive() and wait > 0:
            self.todo.put(None)
            self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()  # its sandboxes die with it (bubblewrap's --die-with-parent)
            self.process.join()
        self.todo.cancel_join_thread()


#: The grading processes of this nbgrader run, one per assignment and set of options (nbgrader
#: makes a new preprocessor for every notebook, so they cannot live on the preprocessor).
_PROCESSES: dict[tuple, _GradingProcess] = {}


@atexit.register
def _close_all() -> None:
    while _PROCESSES:
        _PROCESSES.popitem()[1].close()


def test_cell_outputs(
    q: QuestionScore, result: SubmissionResult, student_text: bool
) -> list[NotebookNode]:
    """What a question's test cell shows: the points, and what failed, in words that hold no
    hidden test's name, source or input, and no text of the submission's (which could quote
    them); the ``execute_result`` is the points for nbgrader. The grading status's reason only
    with ``student_text``."""
    lines = [f"course-grade: {q.score:g} / {q.max_score:g} points"]
    if not q.tests:
        reason = result.reason if student_text and result.reason else "no check ran"
        lines.append(f"Not graded: {reason}")
    for t in q.tests:
        if t.visible and t.failure is not None:
            # Only a wrong value's message is the grader's own words (the visible line): an
            # error's text is the submission's, which may quote hidden inputs it has seen.
            trusted = t.failure is Failure.WRONG
            what = f"({t.message})" if trusted else f"(the function {t.failure.value})"
            lines.append(f"A visible check failed, so this question scores 0 {what}")
    hidden = [t for t in q.tests if not t.visible]
    failed = [t.failure for t in hidden if t.failure is not None]
    if hidden:
        summary = f"Hidden checks: {len(hidden) - len(failed)} of {len(hidden)} passed"
        kinds = {kind: failed.count(kind) for kind in dict.fromkeys(failed)}
        details = [f"{n} {kind.value}" for kind, n in kinds.items()]
        lines.append(summary + (f"; {', '.join(details)}" if details else ""))
    if result.status is not Status.OK and q.score < q.max_score and q.tests:
        reason = f" ({result.reason})" if student_text else ""
        lines.append(f"Grading status: {result.status}{reason}")
    text = untrusted.clean("\n".join(lines), 3000, lines=True) + "\n"
    points = min(max(q.score, 0.0), q.max_score)
    return [
        new_output("stream", name="stdout", text=text),
        new_output("execute_result", data={"text/plain": repr(points)}, execution_count=None),
    ]


def fill_notebook(
    nb: NotebookNode, result: SubmissionResult, positions: list[int], student_text: bool
) -> None:
    """Write ``result`` into ``nb``: the test cells' texts and points, and with
    ``student_text`` the student cells' outputs and errors at ``positions`` (those of the code
    cells that were run; see the module docstring)."""
    scores = {f"test_{q.question}": q for q in result.questions}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            q = scores.get(grade_id(cell))
            if q is not None and nbgrader_meta(cell).get("grade"):
                cell.outputs = test_cell_outputs(q, result, student_text)
    for index, position in enumerate(positions if student_text else []):
        cell = nb.cells[position]
        if cell.cell_type != "code":
            continue  # a solution cell retyped as markdown runs, but has nowhere to show it
        outputs = result.cell_outputs.get(index, [])
        cell.outputs = cell_outputs.to_nbformat(outputs)
        error = result.cell_errors.get(index)
        if error and not any(isinstance(o, cell_outputs.Traceback) for o in outputs):
            text = untrusted.clean(error, lines=True)
            cell.outputs.append(new_output("stream", name="stderr", text=text + "\n"))
        cell.execution_count = index + 1


class SandboxedAutograde(NbGraderPreprocessor):
    """Grades the notebook in course-grade's sandbox, from this (trusted) process."""

    assignment = Unicode(
        "", help="course-grade assignment (default: the notebook's name, else nbgrader's id)"
    ).tag(config=True)
    device = Unicode("auto", help="where student code may compute: auto, cpu or cuda").tag(
        config=True
    )
    cell_timeout = Float(0.0, help="seconds per cell; 0: the calibrated limit").tag(config=True)
    notebook_timeout = Float(
        0.0, help="seconds to grade one notebook; 0: from the calibrated limits"
    ).tag(config=True)
    memory_gib = Float(0.0, help="memory cap per worker (GiB); 0: the default").tag(config=True)
    fresh_workers = Bool(False, help="a fresh interpreter per notebook, no warm pool").tag(
        config=True
    )

    def _assignment_name(self, resources: dict) -> str:
        ids = resources.get("nbgrader", {})
        known = assignment_names()
        for name in (self.assignment, ids.get("notebook"), ids.get("assignment")):
            if name and name in known:
                return name
        raise GraderError(
            f"cannot tell which course-grade assignment notebook {ids.get('notebook')!r} of "
            f"{ids.get('assignment')!r} is: set c.SandboxedAutograde.assignment to one of "
            f"{', '.join(known)}"
        )

    def _options(self, assignment: Assignment) -> JobOptions:
        device = resolve_device(self.device)
        limits = load_limits(assignment, device)
        if self.cell_timeout > 0:
            limits = TimeLimits(self.cell_timeout, limits.tests, device, limits.fingerprint)
        worker_limits = Limits()
        if self.memory_gib > 0:
            worker_limits = Limits(memory_bytes=int(self.memory_gib * 1024**3))
        level = isolation_level()
        hidden = level.startswith("bubblewrap")  # the project's files are out of the worker's sight
        if not hidden:
            self.log.warning(
                "course-grade: at isolation level %s student code can read the hidden suites, so "
                "what its cells print is not written back into the feedback",
                level,
            )
        warm = not self.fresh_workers and hidden
        pool = ", workers forked from a warm pool" if warm else ""
        name = assignment.name
        self.log.info("course-grade: grading %s at isolation level %s%s", name, level, pool)
        return JobOptions(assignment.name, limits, device, level, warm, worker_limits, hidden)

    def _timeout(self, limits: TimeLimits, cells: int) -> float:
        if self.notebook_timeout > 0:
            return self.notebook_timeout
        return 3 * (limits.cell * (cells + 1) + sum(limits.tests.values())) + 120.0

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        assignment = load_assignment(self._assignment_name(resources))
        key = (assignment.name, self.device, self.cell_timeout, self.memory_gib)
        key += (self.fresh_workers,)
        if key in _PROCESSES and not _PROCESSES[key].process.is_alive():
            _PROCESSES.pop(key).close(wait=0)  # gone since the last notebook: start anew
        if key not in _PROCESSES:
            _PROCESSES[key] = _GradingProcess(self._options(assignment))
        process = _PROCESSES[key]
        release = read_release(release_notebook(assignment.name))
        positions = code_cell_positions(nb, release)
        student = str(resources.get("nbgrader", {}).get("student", "submission"))
        with tempfile.TemporaryDirectory(prefix="course-grade-nbgrader-") as tmp:
            submission = Submission(student, Path(tmp) / f"{assignment.name}.ipynb")
            nbformat.write(nb, submission.path)
            timeout = self._timeout(process.options.limits, len(positions))
            result = process.grade(submission, timeout)
        if isinstance(result, str):
            _PROCESSES.pop(key).close(wait=0)
            self.log.error("course-grade: %s: %s", student, result)
            result = fault_record(assignment, submission, process.options.level, result)
        else:
            self.log.info("course-grade: %s: %s, %g points", student, result.status, result.total)
        fill_notebook(nb, result, positions, process.options.outputs)
        return nb, resources


def run_nbgrader(course: Path, *args: str, timeout: float) -> subprocess.CompletedProcess:
    """``python -m nbgrader ARGS`` in the course folder ``course``, with this interpreter's
    ``bin/`` first on ``PATH`` (nbgrader runs ``alembic`` from there). A run that passes
    ``timeout`` seconds is stopped and returns status -1, saying so in its stderr."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    command = [sys.executable, "-m", "nbgrader", *args]
    try:
        return subprocess.run(
            command, cwd=course, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, -1, "", f"stopped after {timeout} s")
