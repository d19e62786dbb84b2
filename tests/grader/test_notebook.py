"""Reading submissions: clear reasons for broken files, test cells left out, names unique."""

import json

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.notebook import (
    MalformedNotebook,
    find_submissions,
    read_code_cells,
    read_release,
)


def write_nb(path, cells):
    nbformat.write(new_notebook(cells=cells), path)
    return path


def test_autograder_test_cells_are_not_run(tmp_path):
    test_cell = new_code_cell("assert False")
    test_cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "grade_id": "t",
        "points": 1,
    }
    path = write_nb(tmp_path / "a.ipynb", [new_code_cell("x = 1"), test_cell])
    assert read_code_cells(path) == ["x = 1"]


def nbgrader_cell(cell, grade_id, grade=False, solution=False, locked=False):
    cell.metadata["nbgrader"] = {
        "grade_id": grade_id,
        "grade": grade,
        "solution": solution,
        "locked": locked,
    }
    return cell


def test_the_release_decides_what_a_known_cell_is(tmp_path):
    """A solution cell retyped as markdown or re-marked as a test still runs; a test cell
    re-marked as a solution, and a written answer turned into code, do not."""
    release = write_nb(
        tmp_path / "release.ipynb",
        [
            nbgrader_cell(new_code_cell(""), "f", solution=True),
            nbgrader_cell(new_code_cell("assert f"), "test_f", grade=True),
            nbgrader_cell(new_code_cell(""), "g", solution=True),
            nbgrader_cell(new_markdown_cell(""), "answer", grade=True, solution=True),
        ],
    )
    kinds = read_release(release)
    assert kinds.kinds == {"f": "code", "test_f": "test", "g": "code", "answer": "markdown"}
    submitted = write_nb(
        tmp_path / "sub.ipynb",
        [
            nbgrader_cell(new_markdown_cell("f = 1"), "f", solution=True),
            nbgrader_cell(new_code_cell("f = 0"), "test_f", solution=True),
            nbgrader_cell(new_code_cell("g = 2"), "g", grade=True),
            nbgrader_cell(new_code_cell("h = 3"), "answer", grade=True, solution=True),
            new_code_cell("mine = 4"),
        ],
    )
    assert read_code_cells(submitted, kinds) == ["f = 1", "g = 2", "mine = 4"]
    assert read_code_cells(submitted) == ["f = 0", "h = 3", "mine = 4"]  # by its own metadata


@settings(max_examples=25, deadline=None)
@given(edited=st.text(max_size=40), own_lock=st.booleans())
def test_a_locked_cell_runs_as_released_whatever_the_submission_made_of_it(
    tmp_path_factory, edited, own_lock
):
    """As nbgrader's autograde restores locked cells, so does the reader: an edited, emptied or
    unlocked copy of a locked cell runs the released source."""
    tmp = tmp_path_factory.mktemp("locked")
    release = write_nb(
        tmp / "release.ipynb",
        [
            nbgrader_cell(new_code_cell("import numpy as np"), "imports", locked=True),
            nbgrader_cell(new_code_cell(""), "f", solution=True),
        ],
    )
    submitted = write_nb(
        tmp / "sub.ipynb",
        [
            nbgrader_cell(new_code_cell(edited), "imports", locked=own_lock),
            nbgrader_cell(new_code_cell("f = 1"), "f", solution=True, locked=True),
        ],
    )
    assert read_code_cells(submitted, read_release(release)) == ["import numpy as np", "f = 1"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b'{"cells": [', "not valid JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not text"),
        (json.dumps({"cells": "nope"}).encode(), "not a valid Jupyter notebook"),
    ],
)
def test_broken_files_get_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.ipynb"
    path.write_bytes(content)
    with pytest.raises(MalformedNotebook, match=reason):
        read_code_cells(path)


def test_truncated_notebook_is_malformed(tmp_path):
    path = write_nb(tmp_path / "t.ipynb", [new_code_cell("x = 1")])
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(MalformedNotebook, match="truncated"):
        read_code_cells(path)


def test_nbgrader_submitted_tree_is_one_submission_per_student(tmp_path):
    for student in ("alice", "bob"):
        folder = tmp_path / student / "hw"
        folder.mkdir(parents=True)
        write_nb(folder / "hw.ipynb", [new_code_cell("x = 1")])
    subs = find_submissions([tmp_path], "hw")
    assert [s.name for s in subs] == ["alice", "bob"]


def test_duplicate_stems_get_unique_names(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    paths = [write_nb(tmp_path / d / "x.ipynb", []) for d in ("a", "b")]
    assert [s.name for s in find_submissions(paths, "hw")] == ["x", "x-2"]


def test_experiment_cells_are_not_run(tmp_path):
    experiment = new_code_cell("train_for_ten_minutes()")
    experiment.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "experiment_7"}
    path = write_nb(tmp_path / "e.ipynb", [new_code_cell("x = 1"), experiment])
    assert read_code_cells(path) == ["x = 1"]
