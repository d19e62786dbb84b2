"""Build: solution notebooks from ``templates/`` + ``course_lib``, student notebooks via nbgrader.

A template is a jupytext percent file of exposition and code; cells whose metadata has a ``role``
are filled in from the reference module and the suite (principle 1: one source per function):

``imports``            the module's import statements
``provided names=...`` source of the named private helpers, read-only
``support names=...``  source of private helpers that a graded function calls and that would
                       give its answer away: inside a solution region, so students get a stub
``function name=f``    ``f``'s signature and docstring, body between ``### BEGIN/END SOLUTION``
``tests name=f``       the visible checks of ``f``, then a hidden block that only guards the
                       kernel (the suite runs in the trusted grader, see
                       :mod:`grader.nbgrader_bridge`)
``solution``           the cell's code as an exercise (``### BEGIN/END SOLUTION`` around it)
``experiment``         the same, for a long experiment: ``course-grade`` does not run it (see
                       :data:`grader.notebook.EXPERIMENT_PREFIX`), nbgrader and students do
``written grade_id= points=``  a manually graded markdown answer (the body is the model answer)

A locked guard cell (:data:`~grader.nbgrader_bridge.GUARD_ID`, no points) comes before the first
code cell: under an ``nbgrader autograde`` that runs the kernel, it stops the kernel before any
student code runs (:data:`~grader.nbgrader_bridge.KERNEL_GUARD`).

The student notebook is made from the solution notebook by ``nbgrader generate_assignment``
itself, in a temporary course. Output is deterministic, so ``--check`` can compare bytes.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import inspect
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import jupytext
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader import GraderError
from grader.layout import ROOT, TEMPLATES, release_notebook, solution_notebook
from grader.nbgrader_bridge import GUARD_ID, KERNEL_GUARD
from grader.notebook import EXPERIMENT_PREFIX
from grader.suites import Assignment, assignment_names, load_assignment

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
NO_VISIBLE = "# This question's checks are all hidden: they run when the notebook is graded.\n"
GUARD = "# Locked, for the autograder: running this cell does nothing.\n"


def _nbgrader(cell: nbformat.NotebookNode, grade_id: str, **flags: object) -> None:
    meta = {"grade": False, "solution": False, "locked": False, "schema_version": 3}
    meta.update(flags, grade_id=grade_id)
    cell.metadata = {"nbgrader": meta}


def imports_source(module: ModuleType) -> str:
    """The module's top-level import statements (``__future__`` excepted), in order."""
    source = inspect.getsource(module)
    lines = []
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Import | ast.ImportFrom)
            and getattr(node, "module", "") != "__future__"
        ):
            lines.append(ast.get_source_segment(source, node))
    return "\n".join(lines)


def _sources(module: ModuleType, names: str, where: str) -> str:
    """The source of each space-separated name in ``names``, joined as notebook code."""
    missing = [n for n in names.split() if not hasattr(module, n)]
    if missing:
        raise GraderError(f"{where} names {missing}, which {module.__name__} does not define")
    return "\n\n\n".join(inspect.getsource(getattr(module, n)) for n in names.split())


def function_source(module: ModuleType, name: str) -> str:
    """``name``'s source with its body (after the docstring) between solution delimiters."""
    source = inspect.getsource(getattr(module, name))
    func = ast.parse(source).body[0]
    if not isinstance(func, ast.FunctionDef) or len(func.body) < 2:
        raise GraderError(f"{module.__name__}.{name} needs a docstring and a body to be inlined")
    lines = source.splitlines()
    split = func.body[1].lineno - 1
    indent = " " * func.body[1].col_offset
    body = lines[split:]
    return "\n".join(
        [*lines[:split], f"{indent}### BEGIN SOLUTION", *body, f"{indent}### END SOLUTION"]
    )


def hidden_block(before: str) -> str:
    """``before``, then a hidden block holding the kernel guard (see the module docstring)."""
    return f"{before}### BEGIN HIDDEN TESTS\n{KERNEL_GUARD}\n### END HIDDEN TESTS"


def guard_cell() -> nbformat.NotebookNode:
    """The locked, pointless autograder cell that stops a kernel running ``autograde``."""
    cell = new_code_cell(hidden_block(GUARD))
    _nbgrader(cell, GUARD_ID, grade=True, locked=True, points=0)
    cell.id = "cell-guard"
    return cell


def solution_notebook_from_template(assignment: Assignment) -> nbformat.NotebookNode:
    """The nbgrader source notebook of ``assignment``, built from its template."""
    template = TEMPLATES / f"{assignment.name}.py"
    if not template.is_file():
        raise GraderError(f"template {template} is missing")
    module = importlib.import_module(assignment.reference)
    cells = []
    for index, cell in enumerate(jupytext.read(template).cells):
        meta = dict(cell.metadata)
        role = meta.pop("role", None)
        if cell.cell_type == "markdown":
            new = new_markdown_cell(cell.source)
            if role == "written":
                _nbgrader(new, meta["grade_id"], grade=True, solution=True, points=meta["points"])
        elif role == "imports":
            new = new_code_cell(imports_source(module))
            _nbgrader(new, "imports", locked=True)
        elif role == "provided":
            new = new_code_cell(
                _sources(module, meta["names"], f"{template.name} cell {index + 1}")
            )
            _nbgrader(new, f"provided_{index}", locked=True)
        elif role == "support":
            code = _sources(module, meta["names"], f"{template.name} cell {index + 1}")
            new = new_code_cell(f"### BEGIN SOLUTION\n{code}\n### END SOLUTION")
            _nbgrader(new, f"support_{index}", solution=True)
        elif role == "function":
            new = new_code_cell(function_source(module, meta["name"]))
            _nbgrader(new, meta["name"], solution=True)
        elif role == "tests":
            name = meta["name"]
            new = new_code_cell(hidden_block(assignment.visible.get(name, NO_VISIBLE)))
            _nbgrader(
                new, f"test_{name}", grade=True, locked=True, points=assignment.questions[name]
            )
        elif role in ("solution", "experiment"):
            new = new_code_cell(f"### BEGIN SOLUTION\n{cell.source}\n### END SOLUTION")
            prefix = EXPERIMENT_PREFIX if role == "experiment" else "exercise_"
            _nbgrader(new, f"{prefix}{index}", solution=True)
        elif role is None:
            new = new_code_cell(cell.source)
        else:
            raise GraderError(f"{template.name}: cell {index + 1} has an unknown role {role!r}")
        new.id = f"cell-{index:03d}"
        if new.cell_type == "code" and not any(c.cell_type == "code" for c in cells):
            cells.append(guard_cell())
        cells.append(new)
    graded = {c.metadata["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c.metadata}
    missing = [q for q in assignment.questions if q not in graded or f"test_{q}" not in graded]
    if missing:
        raise GraderError(f"{template.name} lacks a function or tests cell for {missing}")
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC})
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def release_from_solution(name: str, solution: Path, out: Path) -> None:
    """``nbgrader generate_assignment`` on ``solution``; the student notebook goes to ``out``."""
    with tempfile.TemporaryDirectory(prefix="course-grade-build-") as tmp:
        source = Path(tmp) / "source" / name
        source.mkdir(parents=True)
        shutil.copy(solution, source / f"{name}.ipynb")
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        env["JUPYTER_CONFIG_DIR"] = str(Path(tmp) / "jupyter")
        command = [
            sys.executable,
            "-m",
            "nbgrader",
            "generate_assignment",
            name,
            "--force",
            f"--CourseDirectory.root={tmp}",
            "--log-level=ERROR",
        ]
        done = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True)
        released = Path(tmp) / "release" / name / f"{name}.ipynb"
        if done.returncode != 0 or not released.is_file():
            raise GraderError(
                f"nbgrader generate_assignment failed for {name}:\n{done.stderr[-2000:]}"
            )
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(released, out)


def build(names: list[str], root: Path | None = None) -> list[Path]:
    """Write the solution and student notebooks of ``names`` (under ``root``, default in place)."""
    written = []
    for name in names:
        assignment = load_assignment(name)
        solution = solution_notebook(name)
        release = release_notebook(name)
        if root is not None:
            solution = root / solution.relative_to(ROOT)
            release = root / release.relative_to(ROOT)
        solution.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(solution_notebook_from_template(assignment), solution)
        release_from_solution(name, solution, release)
        written += [solution, release]
    return written


def main(*, check: bool = False, assignments: list[str] | None = None) -> list[str]:
    """``course-grade build``: regenerate, or with ``check`` list the stale files (none written)."""
    names = assignments or [n for n in assignment_names() if (TEMPLATES / f"{n}.py").is_file()]
    if not check:
        return [str(p) for p in build(names)]
    stale = []
    with tempfile.TemporaryDirectory(prefix="course-grade-check-") as tmp:
        for fresh in build(names, Path(tmp)):
            current = ROOT / fresh.relative_to(tmp)
            old = current.read_text() if current.is_file() else ""
            if old != fresh.read_text():
                diff = difflib.unified_diff(
                    old.splitlines(), fresh.read_text().splitlines(), lineterm="", n=0
                )
                stale.append(f"{current}: {' | '.join(list(diff)[2:6])[:300]}")
    return stale
