"""Making submissions for tests: the solution notebook with some cells replaced or added."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from grader.layout import solution_notebook
from grader.notebook import with_cells_replaced

HW01 = "hw01_delta_sequences"


def make_submission(
    folder: Path,
    name: str,
    replace: dict[str, str] | None = None,
    extra_cells: list[str] | None = None,
    assignment: str = HW01,
) -> Path:
    """The solution notebook with function cells replaced (by question) and cells appended."""
    nb = with_cells_replaced(solution_notebook(assignment), replace or {})
    nb.cells += [new_code_cell(src) for src in extra_cells or []]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path
