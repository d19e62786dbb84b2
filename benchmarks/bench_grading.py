"""Seconds per hw01 submission: ``course-grade grade`` against ``nbgrader autograde``.

All grade the same notebooks (copies of the bundled full-marks and partial samples) in one run,
side by side, in ``--rounds`` interleaved rounds; the script prints the median seconds per
submission of each, the ratios of the medians, and whether the scores agree. Calibration is done
(and cached) before the timing starts, as in a real course. nbgrader runs twice:

* with course-grade's preprocessor (``course-grade nbgrader-config``), the supported set-up,
  whose scores must equal course-grade's;
* with nbgrader's own ``Execute`` on a copy of the assignment whose test cells keep only their
  visible checks: the notebook run in a kernel, which is what the old in-kernel path cost before
  its hidden suites ran (a lower bound of it; its scores are not course-grade's).

    .venv/bin/python benchmarks/bench_grading.py [--copies N] [--jobs J...] [--samples NAME...]
                                                 [--rounds R]

``nbgrader autograde`` runs one notebook at a time; ``course-grade grade --jobs J`` grades J
submissions at once, each in its own sandbox, so both ``--jobs 1`` and the machine's cores are
timed by default, and ``--jobs 1 --fresh-workers`` (a fresh interpreter per submission instead
of the warm pool) shows what the pool saves.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from grader.calibrate import load_limits, resolve_device
from grader.layout import ROOT, solution_notebook
from grader.nbgrader_bridge import GUARD_ID, nbgrader_config
from grader.suites import load_assignment

HW01 = "hw01_delta_sequences"


def run(command: list[str], cwd: Path) -> float:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - started


def visible_only(source: Path, out: Path) -> None:
    """``source`` without its guard cell and with each test cell cut before its hidden block."""
    nb = nbformat.read(source, as_version=4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != GUARD_ID]
    for cell in nb.cells:
        cell.source = cell.source.split("### BEGIN HIDDEN TESTS")[0]
    nbformat.write(nb, out)


def make_course(course: Path, config: str, source: Path, students: dict[str, Path]) -> None:
    """An nbgrader course at ``course`` releasing ``source``, with ``students`` submitted."""
    (course / "source" / HW01).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(f"{config}c = get_config()\n")
    shutil.copy(source, course / "source" / HW01 / f"{HW01}.ipynb")
    nbgrader = [sys.executable, "-m", "nbgrader", "generate_assignment", HW01, "--force"]
    run([*nbgrader, f"--CourseDirectory.root={course}"], course)
    for student, notebook in students.items():
        folder = course / "submitted" / student / HW01
        folder.mkdir(parents=True)
        shutil.copy(notebook, folder / f"{HW01}.ipynb")


def nbgrader_totals(course: Path, students: dict[str, Path]) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {s: gradebook.find_submission(HW01, s).score for s in students}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of each sample (default 3)")
    parser.add_argument(
        "--jobs",
        type=int,
        nargs="+",
        default=[1, os.cpu_count() or 1],
        help="course-grade --jobs values, each timed in the same run (default: 1 and the cores)",
    )
    parser.add_argument(
        "--samples",
        nargs="+",
        default=["full_marks", "partial"],
        help="which bundled samples to copy (default: full_marks partial)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    args = parser.parse_args()
    assignment = load_assignment(HW01)
    load_limits(assignment, resolve_device("auto"))
    students = {
        f"{sample}-{k}": ROOT / "samples" / HW01 / f"{sample}.ipynb"
        for sample in args.samples
        for k in range(args.copies)
    }
    n = len(students)
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        sandboxed, kernel = Path(tmp) / "sandboxed", Path(tmp) / "kernel"
        make_course(sandboxed, nbgrader_config(), solution_notebook(HW01), students)
        visible_only(solution_notebook(HW01), Path(tmp) / f"{HW01}.ipynb")
        make_course(kernel, "", Path(tmp) / f"{HW01}.ipynb", students)
        grade = [sys.executable, "-m", "grader", "grade", HW01, str(sandboxed / "submitted")]
        variants = {f"--jobs {jobs}": ["--jobs", str(jobs)] for jobs in dict.fromkeys(args.jobs)}
        variants["--jobs 1 --fresh-workers"] = ["--jobs", "1", "--fresh-workers"]
        courses = {"nbgrader + preprocessor": sandboxed, "nbgrader Execute": kernel}
        times: dict[str, list[float]] = {name: [] for name in [*courses, *variants]}
        for _ in range(args.rounds):
            for name, options in variants.items():
                out = ["--out", str(Path(tmp) / f"out-{name.replace(' ', '')}")]
                times[name].append(run([*grade, *out, *options], Path(tmp)))
            for name, course in courses.items():
                autograde = [sys.executable, "-m", "nbgrader", "autograde", HW01, "--force"]
                times[name].append(run([*autograde, f"--CourseDirectory.root={course}"], course))
        seconds = {name: statistics.median(values) / n for name, values in times.items()}
        totals = {name: nbgrader_totals(course, students) for name, course in courses.items()}
        for name in variants:
            with open(Path(tmp) / f"out-{name.replace(' ', '')}" / "grades.csv") as handle:
                rows = csv.DictReader(handle)
                totals[name] = {row["submission"]: float(row["total"]) for row in rows}
    reference = totals["--jobs 1"]
    print(f"hw01_delta_sequences, {n} submissions ({', '.join(args.samples)} x {args.copies}),")
    print(f"{os.cpu_count()} cores, median of {args.rounds} rounds, seconds per submission:")
    ours = seconds["--jobs 1"]
    for name, value in seconds.items():
        same = all(abs(totals[name][s] - reference[s]) < 1e-6 for s in students)
        print(
            f"  {name:26s} {value:6.2f} s   {value / ours:5.2f}x course-grade --jobs 1"
            f"   scores equal to course-grade's: {same}"
        )
    print(f"(max {assignment.max_total:g} points)")


if __name__ == "__main__":
    main()
