"""Reading submissions: find the notebooks, parse and validate them, pick the cells to run.

Every failure here is a :class:`MalformedNotebook` with a sentence a student can act on; the
batch turns it into a ``malformed`` record and moves on.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

# nbformat imports jsonschema, which imports the optional rfc3987_syntax package when installed
# (jupyter-events pulls it in) and so compiles its lark grammar: 1.5 to 3 s in every grading
# process, for IRI format checks that the notebook schema never asks for. Leave it out.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

import nbformat  # noqa: E402 (after the line above)

from grader import untrusted  # noqa: E402

#: grade_id prefix of ungraded experiment cells (minutes of training, say) that the grader skips:
#: no graded function may live there, and a student who moves one there only loses its points.
EXPERIMENT_PREFIX = "experiment_"
#: Notebooks larger than this are not parsed (a plotted notebook is a few MB at most).
MAX_NOTEBOOK_BYTES = 32 * 1024**2


class MalformedNotebook(Exception):
    """A submission that cannot be read as a notebook; the message says why."""


@dataclass(frozen=True)
class Submission:
    """One notebook to grade; ``name`` is its row in the gradebook. ``missing``: why there is
    nothing to read at ``path`` ("" when there is); ``others``: notebooks beside it, not graded."""

    name: str
    path: Path
    missing: str = ""
    others: tuple[str, ...] = ()


def nbgrader_meta(cell: nbformat.NotebookNode) -> dict:
    """A cell's nbgrader metadata; empty unless it is an object (a submission may write
    anything there)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def grade_id(cell: nbformat.NotebookNode) -> str:
    """A cell's nbgrader ``grade_id``; empty unless it is a string."""
    value = nbgrader_meta(cell).get("grade_id", "")
    return value if isinstance(value, str) else ""


def written_questions(path: Path) -> dict[str, float]:
    """The manually graded answers of the notebook at ``path`` (nbgrader's graded markdown
    solution cells): grade_id -> points, in notebook order."""
    nb = nbformat.read(path, as_version=4)
    return {
        grade_id(cell): float(nbgrader_meta(cell).get("points", 0))
        for cell in nb.cells
        if cell.cell_type == "markdown"
        and nbgrader_meta(cell).get("grade")
        and nbgrader_meta(cell).get("solution")
    }


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
        meta = nbgrader_meta(cell)
        if "grade_id" in meta:
            kind = "test" if _is_test_cell(meta) else cell.cell_type
            kinds[meta["grade_id"]] = kind if kind in ("test", "code") else "markdown"
            if kind == "code" and meta.get("locked") and not meta.get("solution"):
                locked[meta["grade_id"]] = cell.source
    return Release(kinds, locked)


def read_cells(path: Path, release: Release | None = None) -> list[tuple[str, str]]:
    """``(name, source)`` of each code cell a submission runs, in order (see
    :func:`code_cell_positions`), a locked cell's source as released; ``name`` is the cell's
    grade_id where the release has it, else "" (a cell the student added or renamed).
    MalformedNotebook with a reason when ``path`` is not a readable, valid notebook."""
    nb = read_notebook(path)
    locked = release.locked if release is not None else {}
    known = release.kinds if release is not None else {}
    cells = [nb.cells[i] for i in code_cell_positions(nb, release)]
    return [
        (grade_id(c) if grade_id(c) in known else "", locked.get(grade_id(c), c.source))
        for c in cells
    ]


def read_code_cells(path: Path, release: Release | None = None) -> list[str]:
    """The sources of :func:`read_cells`."""
    return [source for _, source in read_cells(path, release)]


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
        cell_id = grade_id(cell)
        kind = release.kinds.get(cell_id) if release is not None else None
        if kind is None:
            kind = "test" if _is_test_cell(nbgrader_meta(cell)) else cell.cell_type
        if kind == "code" and not cell_id.startswith(EXPERIMENT_PREFIX):
            positions.append(position)
    return positions


def _read_regular(path: Path) -> bytes:
    """The bytes of the regular file at ``path``, never following a final symbolic link nor
    blocking on a pipe or device; MalformedNotebook when it is none or too large."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise MalformedNotebook(f"cannot read the file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise MalformedNotebook("not a regular file")
        if info.st_size > MAX_NOTEBOOK_BYTES:
            raise MalformedNotebook(
                f"the file is {info.st_size / 1024**2:.0f} MB, over the "
                f"{MAX_NOTEBOOK_BYTES // 1024**2} MB limit: clear the outputs "
                "(Kernel > Restart & Clear Output) and submit again"
            )
        data = handle.read(MAX_NOTEBOOK_BYTES + 1)
    if not data:
        raise MalformedNotebook("the file is empty")
    if len(data) > MAX_NOTEBOOK_BYTES:  # it grew while being read
        raise MalformedNotebook(f"the file is over the {MAX_NOTEBOOK_BYTES // 1024**2} MB limit")
    return data


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path``, read and validated; MalformedNotebook saying what is wrong."""
    data = _read_regular(path)
    try:
        text = data.decode("utf-8")
        json.loads(text)
    except UnicodeDecodeError:
        raise MalformedNotebook("the file is not text (is it a notebook?)") from None
    except json.JSONDecodeError as exc:
        raise MalformedNotebook(
            f"the file is not valid JSON ({exc.msg}: line {exc.lineno}); it may be truncated: "
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
        cell_id = grade_id(cell)
        if cell_id in replace:
            cell.source = replace[cell_id]
            found.add(cell_id)
    missing = sorted(set(replace) - found)
    if missing:
        raise ValueError(f"replace names cells {missing} that {path.name} does not have")
    return nb


def _entry_problem(path: Path) -> str:
    """Why the folder entry ``path`` is not read as a notebook ("" when it is a regular file)."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return f"{path.name} cannot be read ({exc.strerror})"
    if stat.S_ISLNK(mode):
        return f"{path.name} is a symbolic link: only regular files are graded"
    if not stat.S_ISREG(mode):
        return f"{path.name} is not a regular file"
    return ""


def _listing(folder: Path) -> list[Path]:
    """The entries of ``folder``, sorted; none when it cannot be listed."""
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _is_dir(path: Path) -> bool:
    """A real folder: not a symbolic link to one."""
    return not path.is_symlink() and path.is_dir()


def _tree_student(student: Path, assignment: str) -> Submission:
    """A student's folder of an nbgrader ``submitted/`` tree, as nbgrader reads it: the graded
    notebook is the assignment's own, ``<student>/<assignment>/<assignment>.ipynb``."""
    folder = student / assignment
    expected = folder / f"{assignment}.ipynb"
    if not _is_dir(folder):
        what = "is a symbolic link" if folder.is_symlink() else "does not exist"
        return Submission(student.name, expected, missing=f"{assignment}/ {what}")
    others = tuple(p.name for p in _listing(folder) if p.suffix == ".ipynb" and p != expected)
    if os.path.lexists(expected):
        problem = _entry_problem(expected)
    else:
        problem = f"no {expected.name} in {assignment}/"
        problem += f" (it holds {', '.join(others[:5])}, not graded)" if others else ""
    return Submission(student.name, expected, missing=problem, others=others)


def _is_nbgrader_tree(folder: Path, assignment: str) -> bool:
    return any(_is_dir(p) and _is_dir(p / assignment) for p in _listing(folder))


def _folder(folder: Path, assignment: str) -> list[Submission]:
    """What a folder given on the command line holds (see :func:`find_submissions`)."""
    loose = [
        Submission(p.stem, p, missing=_entry_problem(p))
        for p in _listing(folder)
        if p.suffix == ".ipynb"
    ]
    if not _is_nbgrader_tree(folder, assignment):
        return loose
    students = [p for p in _listing(folder) if _is_dir(p)]
    return [*loose, *(_tree_student(p, assignment) for p in students)]


def find_submissions(paths: list[Path], assignment: str) -> list[Submission]:
    """Expand files and folders into submissions with unique, folder-safe names.

    A folder with a sub-folder ``<student>/<assignment>/`` is an nbgrader ``submitted/`` tree:
    one submission per student folder, named by student id, graded from
    ``<assignment>.ipynb`` as nbgrader does (other notebooks there are listed, a student without
    it gets a ``missing`` record). Every folder also contributes its own ``*.ipynb`` files, named
    by file stem (so a stray student folder never hides the notebooks beside it). The paths
    given are followed wherever they lead; inside them, only real folders and regular files are
    read (a symbolic link, from an extracted archive say, gets a ``missing`` record saying so).
    Names come from :func:`grader.untrusted.unique_names`.
    """
    found: list[Submission] = []
    for path in paths:
        resolved = path.resolve()
        if resolved.is_dir():
            found += _folder(resolved, assignment)
        else:
            found.append(Submission(path.stem, resolved, missing=_entry_problem(resolved)))
    names = untrusted.unique_names([sub.name for sub in found])
    return [dataclasses.replace(sub, name=name) for sub, name in zip(found, names, strict=True)]
