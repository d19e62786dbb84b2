"""Making submissions for tests: the solution notebook with some cells replaced or added."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from grader.layout import solution_notebook

HW01 = "hw01_delta_sequences"


def make_submission(
    folder: Path,
    name: str,
    replace: dict[str, str] | None = None,
    extra_cells: list[str] | None = None,
    assignment: str = HW01,
) -> Path:
    """The solution notebook with function cells replaced (by question) and cells appended."""
    nb = nbformat.read(solution_notebook(assignment), as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in (replace or {}):
            cell.source = replace[grade_id]
    nb.cells += [new_code_cell(src) for src in extra_cells or []]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path
