"""``course-grade grade`` on one batch of honest notebooks mixed with every class of attack on the
trusted side and on the warm pool, with ``--jobs 2``, run as a TA would: in a subprocess.

Each honest notebook must score what it scores alone, the batch must exit 0, every submission
must get its row and its reports, nothing may be written outside ``--out``, and the grader's
peak memory must stay under 1 GB.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.layout import ROOT, solution_notebook

from .grader.hostile_corpus import (
    ACL_LEFTOVER,
    HUGE_FORGED_FRAME,
    LEAKY_LORENTZIAN,
    MARKUP_ERROR,
    MUTANT_SINC,
    OPEN_FILES,
    UNENCODABLE_ERROR,
)
from .grader.submissions import make_submission

HW01 = "hw01_delta_sequences"

PARTIAL = {"sinc_kernel": MUTANT_SINC}


def write_invalid_notebook(path: Path, markup: str) -> Path:
    """JSON that nbformat refuses, its validation message quoting ``markup``."""
    nb = json.loads(solution_notebook(HW01).read_text())
    nb["cells"][0]["cell_type"] = markup
    path.write_text(json.dumps(nb))
    return path


def build_batch(root: Path) -> tuple[list[Path], dict[str, Path]]:
    """The submission folders (loose files and an nbgrader tree), and the honest notebooks."""
    loose = root / "loose"
    for folder in ("a", "b", "c"):
        (loose / folder).mkdir(parents=True)
    honest = {
        "a1_honest": make_submission(loose / "a", "a1_honest"),
        "a3_partial": make_submission(loose / "a", "a3_partial", replace=PARTIAL),
        "a5_honest": make_submission(loose / "a", "a5_honest"),
        "x": make_submission(loose / "a", "x"),
        "x-2": make_submission(loose / "c", "x-2", replace=PARTIAL),
    }
    make_submission(loose / "a", "a0_acl", extra_cells=[ACL_LEFTOVER])
    make_submission(loose / "a", "a2_bad_text", extra_cells=[UNENCODABLE_ERROR, MARKUP_ERROR])
    make_submission(loose / "a", "a4_forged_frame", extra_cells=[HUGE_FORGED_FRAME])
    make_submission(loose / "a", "a6_open_files", extra_cells=[OPEN_FILES])
    make_submission(loose / "a", "a7_leaky", replace={"lorentzian": LEAKY_LORENTZIAN})
    write_invalid_notebook(loose / "a" / "[red]a8.ipynb", "[/red][bold]")
    make_submission(loose / "b", "x", replace={"sinc_kernel": MUTANT_SINC, "lorentzian": "x = 1"})
    make_submission(loose / "b", "..")
    make_submission(loose / "b", "=HYPERLINK(1)")
    (loose / "b" / "linked.ipynb").symlink_to(solution_notebook(HW01))
    tree = root / "submitted"
    for student in ("alice", "bob"):
        (tree / student / HW01).mkdir(parents=True)
    honest["alice"] = make_submission(tree / "alice" / HW01, HW01)
    make_submission(tree / "alice" / HW01, "Untitled", replace={"lorentzian": "x = 1"})
    make_submission(tree / "bob" / HW01, "Untitled")
    return [loose / "a", loose / "b", loose / "c", tree], honest


#: Runs a command and prints the largest resident set (KiB) of it or any descendant it waited for.
MEASURED = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print('peak', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)"
)


def course_grade(*args: str) -> tuple[subprocess.CompletedProcess, int]:
    """Run ``course-grade``; its result and the largest resident set (bytes) of the grader or
    of any process it started (the sandboxed workers included)."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, sys.executable, "-m", "grader", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    peak = int(done.stderr.rsplit("peak ", 1)[1].split()[0])
    return done, peak * 1024


def rows(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "grades.csv", encoding="utf-8") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def listing(root: Path) -> set[Path]:
    return {Path(d) / n for d, _, names in os.walk(root) for n in names}


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_a_hostile_batch_with_two_jobs_leaves_every_honest_grade_as_alone(tmp_path):
    folders, honest = build_batch(tmp_path / "in")
    before = listing(tmp_path)
    out = tmp_path / "out"
    done, peak = course_grade("grade", HW01, *map(str, folders), "--out", str(out), "--jobs", "2")
    assert done.returncode == 0, done.stderr[-4000:]
    assert listing(tmp_path) - listing(out) == before  # nothing written beside or above --out
    graded = rows(out)
    expected = {
        "a0_acl", "a1_honest", "a2_bad_text", "a3_partial", "a4_forged_frame", "a5_honest",
        "a6_open_files", "a7_leaky", "_red_a8", "x", "x-2", "x-3", "submission",
        "_HYPERLINK_1_", "linked", "alice", "bob",
    }  # fmt: skip
    assert set(graded) == expected, sorted(graded)
    for name in graded:
        folder = out / name
        assert (folder / "results.json").is_file() and (folder / "feedback.md").is_file(), name
    assert peak < 1024**3, peak

    alone_dir = tmp_path / "alone"
    alone_dir.mkdir()
    for name, path in honest.items():
        shutil.copy(path, alone_dir / f"{name}.ipynb")
    done, _ = course_grade("grade", HW01, str(alone_dir), "--out", str(tmp_path / "alone-out"))
    assert done.returncode == 0, done.stderr[-4000:]
    alone = rows(tmp_path / "alone-out")
    for name in honest:
        mixed = {k: v for k, v in graded[name].items() if k not in ("submission", "path")}
        assert mixed == {k: v for k, v in alone[name].items() if k not in ("submission", "path")}

    # The records say what happened, and which file each came from.
    assert graded["x"]["path"].endswith("a/x.ipynb") and graded["x-3"]["path"].endswith("b/x.ipynb")
    assert graded["x-2"]["path"].endswith("c/x-2.ipynb")
    assert float(graded["x-3"]["total"]) < float(graded["x-2"]["total"])
    assert graded["linked"]["status"] == "missing" and float(graded["linked"]["total"]) == 0
    assert graded["bob"]["status"] == "missing" and graded["_red_a8"]["status"] == "malformed"
    assert graded["a4_forged_frame"]["status"] == "protocol"
    alice = (out / "alice" / "feedback.md").read_text(encoding="utf-8")
    assert "Untitled.ipynb" in alice and float(graded["alice"]["total"]) == 20
    leaky = (out / "a7_leaky" / "feedback.md").read_text(encoding="utf-8")
    assert "LEAK" not in leaky.split("## lorentzian", 1)[1]
    assert "\x1b" not in done.stdout + done.stderr
