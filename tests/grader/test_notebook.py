"""Reading submissions: clear reasons for broken files, test cells left out, names unique."""

import contextlib
import json
import os

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader import untrusted
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


def test_nbgrader_tree_grades_the_assignment_notebook_by_name_and_lists_the_rest(tmp_path):
    """As nbgrader reads a submitted/ tree: <student>/<assignment>/<assignment>.ipynb, whatever
    else is there; a student without it still gets a (missing) submission, with the reason."""
    for student, names in {
        "alice": ["hw.ipynb"],
        "bob": ["Untitled.ipynb", "hw.ipynb", "a-copy.ipynb"],
        "carol": ["Untitled.ipynb"],
        "dave": [],
    }.items():
        folder = tmp_path / student / "hw"
        folder.mkdir(parents=True)
        for name in names:
            write_nb(folder / name, [new_code_cell("x = 1")])
    (tmp_path / "erin").mkdir()  # no hw/ folder at all
    subs = {s.name: s for s in find_submissions([tmp_path], "hw")}
    assert list(subs) == ["alice", "bob", "carol", "dave", "erin"]
    assert subs["bob"].path == tmp_path / "bob" / "hw" / "hw.ipynb" and not subs["bob"].missing
    assert subs["bob"].others == ("Untitled.ipynb", "a-copy.ipynb")
    assert "no hw.ipynb" in subs["carol"].missing and "Untitled.ipynb" in subs["carol"].missing
    assert "no hw.ipynb" in subs["dave"].missing
    assert "does not exist" in subs["erin"].missing
    assert not subs["alice"].missing and subs["alice"].others == ()


def test_names_are_unique_and_safe_across_folders(tmp_path):
    paths = []
    stems = [("a", "x"), ("b", "x"), ("c", "x-2"), ("d", ".."), ("e", "=HYPERLINK(1)")]
    for folder, stem in stems:
        (tmp_path / folder).mkdir()
        paths.append(write_nb(tmp_path / folder / f"{stem}.ipynb", []))
    subs = find_submissions(paths, "hw")
    assert [s.name for s in subs] == ["x", "x-3", "x-2", "submission", "_HYPERLINK_1_"]
    assert [s.path for s in subs] == paths


def test_links_and_special_files_inside_a_folder_are_never_read(tmp_path):
    solution = write_nb(tmp_path / "solution.ipynb", [new_code_cell("x = 1")])
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "linked.ipynb").symlink_to(solution)
    (folder / "dangling.ipynb").symlink_to(tmp_path / "nothing.ipynb")
    os.mkfifo(folder / "fifo.ipynb")
    write_nb(folder / "real.ipynb", [new_code_cell("x = 2")])
    subs = {s.name: s for s in find_submissions([folder], "hw")}
    assert "symbolic link" in subs["linked"].missing and "symbolic link" in subs["dangling"].missing
    assert "not a regular file" in subs["fifo"].missing
    assert not subs["real"].missing
    with pytest.raises(MalformedNotebook, match="not a regular file"):
        read_code_cells(folder / "fifo.ipynb")  # and does not block on the pipe
    with pytest.raises(MalformedNotebook, match="cannot read"):
        read_code_cells(folder / "linked.ipynb")


def test_a_symlinked_student_folder_is_not_followed(tmp_path):
    outside = tmp_path / "outside" / "hw"
    outside.mkdir(parents=True)
    write_nb(outside / "hw.ipynb", [new_code_cell("x = 1")])
    tree = tmp_path / "submitted"
    (tree / "alice" / "hw").mkdir(parents=True)
    write_nb(tree / "alice" / "hw" / "hw.ipynb", [])
    (tree / "mallory").mkdir()
    (tree / "mallory" / "hw").symlink_to(outside)
    subs = {s.name: s for s in find_submissions([tree], "hw")}
    assert "symbolic link" in subs["mallory"].missing and not subs["alice"].missing


def test_experiment_cells_are_not_run(tmp_path):
    experiment = new_code_cell("train_for_ten_minutes()")
    experiment.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "experiment_7"}
    path = write_nb(tmp_path / "e.ipynb", [new_code_cell("x = 1"), experiment])
    assert read_code_cells(path) == ["x = 1"]


#: File names a zip or a student could produce: any characters a Linux file name may hold.
FILE_NAME = st.text(
    st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=30
).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)


@settings(max_examples=60, deadline=None)
@given(
    layout=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), FILE_NAME), max_size=12),
    content=st.binary(max_size=64),
)
def test_any_file_names_give_one_unique_safe_submission_each(layout, content, tmp_path_factory):
    """Whatever the files are called, each ``.ipynb`` is one submission, with a unique folder-safe
    name, read without raising anything but MalformedNotebook."""
    root = tmp_path_factory.mktemp("names")
    files = set()
    for folder, name in layout:
        path = root / folder / f"{name}.ipynb"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        files.add(path)
    folders = sorted({root / folder for folder, _ in layout})
    subs = find_submissions(folders, "hw")
    assert sorted(s.path for s in subs) == sorted(files)
    names = [s.name for s in subs]
    assert len({n.casefold() for n in names}) == len(names)
    assert all(untrusted.path_name(n) == n for n in names)
    for sub in subs:
        with contextlib.suppress(MalformedNotebook):
            read_code_cells(sub.path)


@settings(max_examples=200, deadline=None)
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_the_reader_of_any_bytes_raises_nothing_but_malformed(content, tmp_path_factory):
    path = tmp_path_factory.mktemp("bytes") / "nb.ipynb"
    path.write_bytes(content)
    with contextlib.suppress(MalformedNotebook):
        read_code_cells(path)


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
NBGRADER_META = st.fixed_dictionaries(
    {},
    optional={
        "grade_id": ANY_JSON | st.sampled_from(["lorentzian", "test_lorentzian", "experiment_1"]),
        "grade": ANY_JSON,
        "solution": ANY_JSON,
        "locked": ANY_JSON,
        "points": ANY_JSON,
    },
)
CELL = st.fixed_dictionaries(
    {
        "cell_type": st.sampled_from(["code", "markdown", "raw"]),
        "metadata": st.fixed_dictionaries({}, optional={"nbgrader": NBGRADER_META | ANY_JSON}),
        "source": st.text(max_size=20) | st.lists(st.text(max_size=8), max_size=3),
    }
)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(CELL, max_size=6))
def test_any_nbgrader_metadata_gives_cells_or_a_reason(cells, tmp_path_factory, hw01_release):
    """Whatever a notebook's nbgrader metadata holds, reading it gives code cells or a reason."""
    for cell in cells:
        if cell["cell_type"] == "code":
            cell.update(outputs=[], execution_count=None)
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    for index, cell in enumerate(cells):
        cell["id"] = f"c{index}"
    path = tmp_path_factory.mktemp("meta") / "nb.ipynb"
    path.write_text(json.dumps(nb))
    for release in (None, hw01_release):
        try:
            sources = read_code_cells(path, release)
        except MalformedNotebook:
            continue
        assert all(isinstance(source, str) for source in sources)


@pytest.fixture(scope="module")
def hw01_release():
    from grader.layout import release_notebook

    return read_release(release_notebook("hw01_delta_sequences"))


def test_a_student_folder_never_hides_the_notebooks_beside_it(tmp_path):
    write_nb(tmp_path / "aa.ipynb", [])
    write_nb(tmp_path / "zz.ipynb", [])
    (tmp_path / "evil" / "hw").mkdir(parents=True)
    write_nb(tmp_path / "evil" / "hw" / "hw.ipynb", [])
    assert [s.name for s in find_submissions([tmp_path], "hw")] == ["aa", "zz", "evil"]
