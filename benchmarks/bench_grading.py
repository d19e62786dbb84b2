"""Seconds per hw01 submission: ``course-grade grade`` against ``nbgrader autograde``.

Both grade the same notebooks (copies of the bundled full-marks and partial samples) in one run,
side by side, in ``--rounds`` interleaved rounds; the script prints the median seconds per
submission of each, the ratio of the medians, and whether the scores agree. Calibration is done
(and cached) before the timing starts, as in a real course.

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

from grader.calibrate import load_limits, resolve_device
from grader.layout import ROOT, solution_notebook
from grader.nbgrader_bridge import RECOMMENDED_CONFIG
from grader.suites import load_assignment

HW01 = "hw01_delta_sequences"


def run(command: list[str], cwd: Path) -> float:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - started


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
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        course = Path(tmp)
        (course / "nbgrader_config.py").write_text("c = get_config()\n" + RECOMMENDED_CONFIG)
        (course / "source" / HW01).mkdir(parents=True)
        shutil.copy(solution_notebook(HW01), course / "source" / HW01 / f"{HW01}.ipynb")
        nbgrader = [sys.executable, "-m", "nbgrader"]
        run(
            [*nbgrader, "generate_assignment", HW01, "--force", f"--CourseDirectory.root={course}"],
            course,
        )
        students = []
        for sample in args.samples:
            for k in range(args.copies):
                student = f"{sample}-{k}"
                folder = course / "submitted" / student / HW01
                folder.mkdir(parents=True)
                shutil.copy(ROOT / "samples" / HW01 / f"{sample}.ipynb", folder / f"{HW01}.ipynb")
                students.append(student)
        n = len(students)
        grade = [sys.executable, "-m", "grader", "grade", HW01, str(course / "submitted")]
        variants = {f"--jobs {jobs}": ["--jobs", str(jobs)] for jobs in dict.fromkeys(args.jobs)}
        variants["--jobs 1 --fresh-workers"] = ["--jobs", "1", "--fresh-workers"]
        times: dict[str, list[float]] = {name: [] for name in ["nbgrader", *variants]}
        for _ in range(args.rounds):
            for name, options in variants.items():
                out = ["--out", str(course / f"out-{name.replace(' ', '')}")]
                times[name].append(run([*grade, *out, *options], course))
            autograde = [*nbgrader, "autograde", HW01, "--force"]
            times["nbgrader"].append(run([*autograde, f"--CourseDirectory.root={course}"], course))
        seconds = {name: statistics.median(values) for name, values in times.items()}
        theirs = seconds.pop("nbgrader")
        from nbgrader.api import Gradebook

        our_totals = {}
        for name in seconds:
            with open(course / f"out-{name.replace(' ', '')}" / "grades.csv") as handle:
                rows = csv.DictReader(handle)
                our_totals[name] = {row["submission"]: float(row["total"]) for row in rows}
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            their_totals = {s: gradebook.find_submission(HW01, s).score for s in students}
    print(f"hw01_delta_sequences, {n} submissions ({', '.join(args.samples)} x {args.copies}),")
    print(f"{os.cpu_count()} cores, median of {args.rounds} rounds;")
    print(f"  nbgrader autograde: {theirs / n:6.2f} s per submission")
    for name, ours in seconds.items():
        same = all(abs(our_totals[name][s] - their_totals[s]) < 1e-6 for s in students)
        print(
            f"  course-grade grade {name}: {ours / n:6.2f} s per submission,"
            f" ratio {theirs / ours:4.1f}x, scores equal: {same}"
        )
    print(f"(max {assignment.max_total:g} points)")


if __name__ == "__main__":
    main()
