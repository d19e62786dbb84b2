"""Make the bundled hw01 sample submissions from the student notebook, as students would.

* ``full_marks``: every stub filled with a correct implementation (the reference's);
* ``partial``: two functions wrong in plausible ways (mutants), one left as the stub;
* ``broken``: a full-marks notebook cut off halfway, as an interrupted upload leaves it.

    .venv/bin/python samples/make_samples.py
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import nbformat

from grader.layout import release_notebook
from grader.notebook import with_cells_replaced
from grader.suites import load_assignment

HW01 = "hw01_delta_sequences"
OUT = Path(__file__).resolve().parent / HW01


def main() -> None:
    assignment = load_assignment(HW01)
    module = importlib.import_module(assignment.reference)
    correct = {q: inspect.getsource(getattr(module, q)) for q in assignment.questions}
    mutants = {m.name: m for m in assignment.mutants}
    partial = dict(correct)
    for name in ("sinc_nan_at_zero", "pairing_truncated"):
        partial[mutants[name].question] = mutants[name].source
    del partial["lorentzian_sympy"]
    OUT.mkdir(exist_ok=True)
    nbformat.write(with_cells_replaced(release_notebook(HW01), correct), OUT / "full_marks.ipynb")
    nbformat.write(with_cells_replaced(release_notebook(HW01), partial), OUT / "partial.ipynb")
    text = (OUT / "full_marks.ipynb").read_bytes()
    (OUT / "broken.ipynb").write_bytes(text[: len(text) // 2])
    print(f"wrote full_marks, partial and broken to {OUT}")


if __name__ == "__main__":
    main()
