"""Untrusted text through every sink: whatever a submission controls, each sink stays intact."""

import csv
import html
import io
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

from grader import untrusted

#: Any text, lone surrogates and every control and format character included.
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
ANY = TEXT | st.binary(max_size=300) | st.integers() | st.none()


@settings(max_examples=300, deadline=None)
@given(value=ANY, limit=st.integers(1, 400), lines=st.booleans())
def test_clean_is_bounded_printable_utf8_and_idempotent(value, limit, lines):
    text = untrusted.clean(value, limit, lines=lines)
    assert len(text) <= limit + 1
    text.encode("utf-8")  # no lone surrogate
    allowed = "\n\t" if lines else ""
    for char in text:
        assert char in allowed or unicodedata.category(char) not in untrusted._UNSAFE
    assert untrusted.clean(text, len(text), lines=lines) == text


@settings(max_examples=300, deadline=None)
@given(value=TEXT)
def test_a_markdown_code_span_renders_as_literal_code_only(value):
    rendered = MarkdownIt("commonmark").render(untrusted.markdown_code(value)).strip()
    assert rendered.startswith("<p><code>") and rendered.endswith("</code></p>")
    inner = rendered[len("<p><code>") : -len("</code></p>")]
    assert html.unescape(inner).strip() == untrusted.clean(value).strip()


@settings(max_examples=300, deadline=None)
@given(value=TEXT)
def test_a_csv_cell_round_trips_and_never_starts_a_formula(value):
    cell = untrusted.csv_cell(value)
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell, "1"])
    (row,) = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert row == [cell, "1"]
    assert not cell.startswith(untrusted.FORMULA_START)


@settings(max_examples=200, deadline=None)
@given(value=TEXT)
def test_terminal_text_prints_as_itself(value):
    console = Console(file=io.StringIO(), width=1000, color_system=None, record=True)
    console.print(untrusted.terminal(value), soft_wrap=True)
    printed = console.export_text()
    assert untrusted.clean(value).strip() in printed.replace("\n", "")
    assert "\x1b" not in printed


@settings(max_examples=300, deadline=None)
@given(value=TEXT)
def test_a_path_name_is_one_safe_component(value, tmp_path_factory):
    name = untrusted.path_name(value)
    assert name not in ("", ".", "..") and "/" not in name and "\\" not in name
    assert not name.startswith((".", "-")) and name.isascii()
    assert len(name) <= untrusted.MAX_NAME + 1
    out = tmp_path_factory.getbasetemp()
    assert (out / name).resolve().parent == out.resolve()


@settings(max_examples=300, deadline=None)
@given(names=st.lists(st.sampled_from(["x", "X", "x-2", "x-3", "..", "=a", "a/b"]) | TEXT))
def test_unique_names_are_unique_deterministic_and_keep_single_safe_names(names):
    made = untrusted.unique_names(names)
    assert len(made) == len(names)
    assert len({m.casefold() for m in made}) == len(made)
    assert made == untrusted.unique_names(names)
    assert all(untrusted.path_name(m) == m for m in made)
    safe = [untrusted.path_name(n) for n in names]
    for original, name in zip(safe, made, strict=True):
        single = [s.casefold() for s in safe].count(original.casefold()) == 1
        if single and original.casefold() not in untrusted.RESERVED_NAMES:
            assert name == original
    assert untrusted.unique_names(made) == made  # names already unique and safe stay as they are


def test_collisions_with_renamed_names_are_resolved():
    assert untrusted.unique_names(["x", "x", "x-2", "X"]) == ["x", "x-3", "x-2", "X-4"]
    made = untrusted.unique_names(["..", ".", "=sum(A1)"])
    assert made == ["submission", "submission-2", "_sum_A1_"]


def test_the_batch_files_are_never_a_submission_folder():
    made = untrusted.unique_names(["grades.csv", "GRADES.CSV", "report", "report.html", "x"])
    assert not {m.casefold() for m in made} & untrusted.RESERVED_NAMES
    assert made[-1] == "x" and len(set(made)) == 5
