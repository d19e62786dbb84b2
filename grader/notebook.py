"""Reading submissions: find the notebooks, parse and validate them, pick the cells to run.

Every failure here is a :class:`MalformedNotebook` with a sentence a student can act on; the
batch turns it into a ``malformed`` record and moves on.
"""

from __future__ import annotations

import json
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

# nbformat imports jsonschema, which imports the optional rfc3987_syntax package when installed
# (jupyter-events pulls it in) and so compiles its lark grammar: 1.5 to 3 s in every grading
# process, for IRI format checks that the notebook schema never asks for. Leave it out.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

import nbformat  # noqa: E402 (after the line above)

#: grade_id prefix of ungraded experiment cells (minutes of training, say) that the grader skips:
#: no graded function may live there, and a student who moves one there only loses its points.
EXPERIMENT_PREFIX = "experiment_"
#: Notebooks larger than this are not parsed (a plotted notebook is a few MB at most).
MAX_NOTEBOOK_BYTES = 32 * 1024**2


class MalformedNotebook(Exception):
    """A submission that cannot be read as a notebook; the message says why."""


@dataclass(frozen=True)
class Submission:
    """One notebook to grade; ``name`` is its row in the gradebook."""

    name: str
    path: Path


def _is_test_cell(meta: dict) -> bool:
    """nbgrader's autograder test cell: graded, not a solution."""
    return bool(meta.get("grade")) and not meta.get("solution")


@dataclass(frozen=True)
class Release:
    """What a released notebook says of its nbgrader cells: each grade_id's kind (``test``,
    ``code`` or ``markdown``), and the source of each locked code cell, which a submission's copy
    cannot change (nbgrader's autograde restores it too)."""

    kinds: dict[str, str]
    locked: dict[str, str]


def read_release(path: Path) -> Release:
    """The :class:`Release` of the released notebook at ``path``."""
    kinds, locked = {}, {}
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if "grade_id" in meta:
            kind = "test" if _is_test_cell(meta) else cell.cell_type
            kinds[meta["grade_id"]] = kind if kind in ("test", "code") else "markdown"
            if kind == "code" and meta.get("locked") and not meta.get("solution"):
                locked[meta["grade_id"]] = cell.source
    return Release(kinds, locked)


def read_code_cells(path: Path, release: Release | None = None) -> list[str]:
    """The sources of the code cells a submission runs, in order (see :func:`code_cell_positions`),
    a locked cell's as released; MalformedNotebook with a reason when ``path`` is not a readable,
    valid notebook."""
    nb = read_notebook(path)
    locked = release.locked if release is not None else {}
    cells = [nb.cells[i] for i in code_cell_positions(nb, release)]
    return [locked.get(c.metadata.get("nbgrader", {}).get("grade_id"), c.source) for c in cells]


def code_cell_positions(nb: nbformat.NotebookNode, release: Release | None = None) -> list[int]:
    """Where, in ``nb.cells``, the code cells a submission runs are, without the test cells.

    Test cells (nbgrader ``grade`` without ``solution``) are left out: the hidden suite runs on
    the trusted side, so whatever a student typed into them cannot affect the grade. So are the
    long experiment cells (grade_id starting with :data:`EXPERIMENT_PREFIX`), which nothing graded
    depends on. ``release`` (from :func:`read_release`) decides, as nbgrader does, what a
    cell with a released grade_id is, whatever the submission's copy says: a solution cell
    retyped as markdown or re-marked as a test still runs, a test cell re-marked as a solution
    does not, and a written answer turned into code does not.
    """
    positions = []
    for position, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        grade_id = str(meta.get("grade_id", ""))
        kind = release.kinds.get(grade_id) if release is not None else None
        if kind is None:
            kind = "test" if _is_test_cell(meta) else cell.cell_type
        if kind == "code" and not grade_id.startswith(EXPERIMENT_PREFIX):
            positions.append(position)
    return positions


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path``, read and validated; MalformedNotebook saying what is wrong."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise MalformedNotebook(f"cannot read the file: {exc.strerror}") from None
    if size == 0:
        raise MalformedNotebook("the file is empty")
    if size > MAX_NOTEBOOK_BYTES:
        raise MalformedNotebook(
            f"the file is {size / 1024**2:.0f} MB, over the {MAX_NOTEBOOK_BYTES // 1024**2} MB "
            "limit: clear the outputs (Kernel > Restart & Clear Output) and submit again"
        )
    try:
        text = path.read_bytes().decode("utf-8")
        json.loads(text)
    except UnicodeDecodeError:
        raise MalformedNotebook("the file is not text (is it a notebook?)") from None
    except json.JSONDecodeError as exc:
        raise MalformedNotebook(
            f"the file is not valid JSON ({exc.msg} at line {exc.lineno}): it may be truncated; "
            "save the notebook in Jupyter and submit again"
        ) from None
    except RecursionError:
        raise MalformedNotebook("the file is JSON nested too deeply to be a notebook") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
    except Exception as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise MalformedNotebook(f"the file is not a valid Jupyter notebook: {first_line}") from None
    return nb


def with_cells_replaced(path: Path, replace: dict[str, str]) -> nbformat.NotebookNode:
    """The notebook at ``path`` with each cell whose nbgrader grade_id is a key of ``replace``
    given that key's source; ValueError naming ``replace`` when a grade_id is not in it."""
    nb = nbformat.read(path, as_version=4)
    found = set()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in replace:
            cell.source = replace[grade_id]
            found.add(grade_id)
    missing = sorted(set(replace) - found)
    if missing:
        raise ValueError(f"replace names cells {missing} that {path.name} does not have")
    return nb


def _nbgrader_tree(folder: Path, assignment: str) -> list[Submission]:
    found = []
    for student in sorted(p for p in folder.iterdir() if p.is_dir()):
        notebooks = sorted((student / assignment).glob("*.ipynb"))
        if notebooks:
            found.append(Submission(student.name, notebooks[0]))
    return found


def find_submissions(paths: list[Path], assignment: str) -> list[Submission]:
    """Expand files and folders into submissions with unique names.

    A folder whose sub-folders hold ``<student>/<assignment>/*.ipynb`` is an nbgrader
    ``submitted/`` tree (one submission per student, named by student id); any other folder
    contributes its ``*.ipynb`` files, named by file stem.
    """
    found: list[Submission] = []
    for path in paths:
        if path.is_dir():
            tree = _nbgrader_tree(path, assignment)
            if tree:
                found += tree
            else:
                notebooks = sorted(path.glob("*.ipynb"))
                found += [Submission(nb.stem, nb) for nb in notebooks]
        else:
            found.append(Submission(path.stem, path))
    seen: dict[str, int] = {}
    unique = []
    for sub in found:
        count = seen.get(sub.name, 0)
        seen[sub.name] = count + 1
        unique.append(sub if count == 0 else Submission(f"{sub.name}-{count + 1}", sub.path))
    return unique
