"""The hostile corpus graded by course-grade and by ``nbgrader autograde``, case by case.

Builds every case of ``tests/grader/hostile_corpus.py``, grades the corpus with course-grade (one
batch, honest notebooks mixed in, at this machine's best isolation level) and then with one
``nbgrader autograde`` run in a temporary nbgrader course configured by ``course-grade
nbgrader-config`` (course-grade's preprocessor in place of nbgrader's kernel, with the corpus's
cell limit and memory cap). Prints a markdown table (and writes it with ``--out``): per case, the
scores each path gave (out of the assignment's total), and whether nbgrader gave points that
course-grade judged unearned, took points that course-grade kept, or let a process of the
submission outlive the grading and write outside it.

Every case is bounded by construction (see the corpus module); both paths run it in
course-grade's sandbox, at this machine's isolation level.

    .venv/bin/python scripts/security_table.py [--out FILE] [--cases NAME...]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader.layout import solution_notebook
from grader.nbgrader_bridge import nbgrader_config, run_nbgrader
from grader.sandbox import isolation_level
from grader.suites import load_assignment
from tests.grader.hostile_corpus import (
    CASES,
    CELL_LIMIT,
    HW01,
    WORKER_LIMITS,
    Context,
    build,
    features_of,
    grade_corpus,
    serve_oracle,
    survivors,
)

CONFIG = nbgrader_config().replace("{", "{{").replace("}", "}}") + (
    "c.CourseDirectory.root = {root!r}\n"
    f"c.SandboxedAutograde.cell_timeout = {CELL_LIMIT}\n"
    f"c.SandboxedAutograde.memory_gib = {WORKER_LIMITS.memory_bytes / 1024**3}\n"
)
#: Longest the nbgrader autograde run of the whole corpus may take before the script stops it.
NBGRADER_LIMIT = 1800


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    return run_nbgrader(course, *args, timeout=NBGRADER_LIMIT)


def nbgrader_scores(course: Path, student: str, questions: list[str]) -> dict[str, float] | None:
    """The gradebook's per-question autograded scores for ``student``, None if it has none."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            return {
                q: float(gradebook.find_grade(f"test_{q}", HW01, HW01, student).score)
                for q in questions
            }
        except MissingEntry:
            return None


def autograde_corpus(tmp: Path, names: list[str], port: int) -> dict[str, dict]:
    """Autograde every case in one ``nbgrader autograde`` run (each with its own escape folder,
    neighbour and process name); per case its scores (or None) and what escaped."""
    course = tmp / "course"
    (course / "source" / HW01).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course)))
    shutil.copy(solution_notebook(HW01), course / "source" / HW01 / f"{HW01}.ipynb")
    done = nbgrader(course, "generate_assignment", HW01, "--force")
    if done.returncode != 0:
        raise SystemExit(f"nbgrader generate_assignment failed:\n{done.stderr[-2000:]}")
    questions = list(load_assignment(HW01).questions)
    watched = {}
    for case in [c for c in CASES if c.name in names]:
        built, escape = tmp / "built" / case.name, tmp / "escape" / case.name
        built.mkdir(parents=True)
        escape.mkdir(parents=True)
        neighbour = Path(shutil.copy(solution_notebook(HW01), built / "neighbour.ipynb"))
        token = f"cgx{uuid.uuid4().hex[:8]}"
        ctx = Context(built, escape, neighbour, port, token)
        folder = course / "submitted" / case.name / HW01
        folder.mkdir(parents=True)
        shutil.copy(build(case, ctx), folder / f"{HW01}.ipynb")
        watched[case.name] = (escape, neighbour, neighbour.read_bytes(), token)
    run = nbgrader(course, "autograde", HW01, "--force")
    time.sleep(1.0)  # a detached child writes every 0.2 s
    outcomes = {}
    for name, (escape, neighbour, before, token) in watched.items():
        outcomes[name] = {
            "scores": nbgrader_scores(course, name, questions),
            "exit": run.returncode,
            "survivors": len(survivors(token)),
            "escaped": sorted(p.name for p in escape.iterdir())
            + (["neighbour's notebook"] if neighbour.read_bytes() != before else []),
        }
    return outcomes


def _fmt(x: float) -> str:
    return f"{x:g}"


def verdict(ours: dict[str, float], theirs: dict[str, float] | None, escaped: list[str]) -> str:
    """How nbgrader's record differs from course-grade's (which the corpus test asserts)."""
    notes = []
    if theirs is None:
        notes.append("no grade recorded")
    else:
        more = [q for q in ours if theirs[q] > ours[q]]
        less = [q for q in ours if theirs[q] < ours[q]]
        if more:
            notes.append("**unearned** points on " + ", ".join(more))
        if less:
            notes.append("points lost on " + ", ".join(less))
    if escaped:
        notes.append("**wrote after the kernel ended**: " + ", ".join(escaped))
    return "; ".join(notes) or "same"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the table to this markdown file")
    parser.add_argument("--cases", nargs="+", help="only these cases (default: all)")
    args = parser.parse_args()
    names = args.cases or [c.name for c in CASES]
    assignment = load_assignment(HW01)
    level = isolation_level()
    have = features_of(level, os.getuid() == 0)
    total = _fmt(assignment.max_total)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    threading.Thread(target=serve_oracle, args=(server,), daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="security-table-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "cg").mkdir()
        ours = grade_corpus(assignment, tmp / "cg", have)
        theirs = autograde_corpus(tmp, names, server.getsockname()[1])
    server.close()
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {platform.node()} "
        f"({os.cpu_count()} CPUs, {platform.system()} {platform.release()}), course-grade "
        f"isolation `{level}`, as {'root' if os.getuid() == 0 else 'a non-root user'}; "
        f"course-grade graded the corpus in one batch in {ours['seconds']:.0f} s.",
        "",
        f"| case | attack | course-grade (of {total}) | nbgrader autograde (of {total}) | "
        "nbgrader vs course-grade |",
        "|---|---|---|---|---|",
    ]
    for case in [c for c in CASES if c.name in names]:
        result = ours["results"].get(case.name)
        nb = theirs[case.name]
        if result is None:
            mine = "skipped here (needs " + ", ".join(case.needs) + ")"
            row_ours = dict.fromkeys(assignment.questions, 0.0)
        else:
            row_ours = {q.question: q.score for q in result.questions}
            mine = f"{_fmt(result.total)} `{result.status}`"
        nb_total = "no grade"
        if nb["scores"] is not None:
            nb_total = _fmt(round(sum(nb["scores"].values()), 4))
        if nb["exit"] not in (0, 1):
            nb_total += f" (nbgrader exit {nb['exit']})"
        lines.append(
            f"| {case.name} | {case.attack} | {mine} | {nb_total} | "
            f"{verdict(row_ours, nb['scores'], nb['escaped'])} |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    if args.out:
        args.out.write_text(table)


if __name__ == "__main__":
    main()
