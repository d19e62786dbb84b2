"""The cells' outputs on the nbgrader path: recorded in a real worker, checked on the trusted
side (:func:`grader.cell_outputs.parse`), which must be total over whatever a worker sends."""

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader import cell_outputs, untrusted
from grader.cell_outputs import Display, Stream, Traceback
from grader.harness.capture import MAX_IMAGES, MAX_TEXT_CHARS
from grader.sandbox import Limits, Worker, bwrap_works

from .workers import run_cells_done

LEVEL = "bubblewrap" if bwrap_works() else "rlimits"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()

#: Any JSON value a worker could send, nested a little.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
OUTPUT = st.fixed_dictionaries(
    {"kind": st.sampled_from(["stream", "display", "traceback", "html"])},
    optional={
        "name": st.sampled_from(["stdout", "stderr", "other"]),
        "text": st.text(max_size=50),
        "data": st.dictionaries(
            st.sampled_from(["text/plain", "image/png", "image/jpeg", "text/html"]),
            st.text(max_size=30) | st.just(PNG),
        ),
    },
)


@settings(max_examples=300, deadline=None)
@given(raw=JSON | st.dictionaries(st.text(max_size=3), st.lists(OUTPUT, max_size=4)))
def test_parse_accepts_only_its_shapes_and_never_fails_otherwise(raw):
    try:
        parsed = cell_outputs.parse(raw, cells=5)
    except ValueError:
        return
    for index, outputs in parsed.items():
        assert 0 <= index < 5
        for out in outputs:
            texts = [out.text] if not isinstance(out, Display) else [out.data.get("text/plain", "")]
            assert all(untrusted.clean(t, len(t), lines=True) == t for t in texts)
            if isinstance(out, Display):
                assert set(out.data) <= {"text/plain", "image/png", "image/jpeg"}
                for mime in set(out.data) - {"text/plain"}:
                    raw_image = base64.b64decode(out.data[mime], validate=True)
                    assert raw_image.startswith(cell_outputs.IMAGE_MAGIC[mime])
            assert cell_outputs.to_nbformat([out])


@pytest.mark.parametrize(
    "raw",
    [
        {"0": [{"kind": "display", "data": {"text/html": "<script>alert(1)</script>"}}]},
        {"0": [{"kind": "display", "data": {"image/png": "not base64!"}}]},
        {"0": [{"kind": "display", "data": {"image/png": base64.b64encode(b"GIF89a").decode()}}]},
        {"0": [{"kind": "display", "data": {"image/png": PNG}}] * (MAX_IMAGES + 1)},
        {"0": [{"kind": "stream", "name": "stdin", "text": "x"}]},
        {"0": [{"kind": "stream", "name": "stdout", "text": "x", "extra": 1}]},
        {"7": []},
        {"-1": []},
        {"0": "text"},
        [],
    ],
)
def test_parse_rejects_what_the_recorder_never_sends(raw):
    with pytest.raises(ValueError):
        cell_outputs.parse(raw, cells=5)


def test_parse_replaces_control_characters_and_keeps_within_the_text_budget():
    first = "a\x1b[2J\x1b]0;pwned\x07b\tc\n"
    raw = {
        "0": [{"kind": "stream", "name": "stdout", "text": first}],
        "1": [{"kind": "stream", "name": "stderr", "text": "y" * (2 * MAX_TEXT_CHARS)}],
        "2": [{"kind": "traceback", "text": "lost"}],
    }
    parsed = cell_outputs.parse(raw, cells=3)
    assert parsed[0] == [Stream("stdout", "a\ufffd[2J\ufffd]0;pwned\ufffdb\tc\n")]
    assert len(parsed[1][0].text) == MAX_TEXT_CHARS - len(first)  # one budget for all cells
    assert parsed[2] == [Traceback("")]


@pytest.fixture
def worker():
    started = Worker(preload=["numpy", "matplotlib.pyplot"], limits=Limits(), level=LEVEL)
    yield started
    started.close()


def test_a_worker_records_prints_displays_figures_and_tracebacks(worker):
    cells = [
        "print('hello')\nimport sys\nprint('warn', file=sys.stderr)",
        "from IPython.display import display\ndisplay(41 + 1)",
        "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()",
        "1 / 0",
        "x = 1  # nothing shown",
    ]
    done = run_cells_done(worker, cells, outputs=True)
    parsed = cell_outputs.parse(done["outputs"], len(cells))
    assert parsed[0] == [Stream("stdout", "hello\n"), Stream("stderr", "warn\n")]
    assert parsed[1] == [Display({"text/plain": "42"})]
    (figure,) = parsed[2]
    assert base64.b64decode(figure.data["image/png"]).startswith(b"\x89PNG")
    assert "ZeroDivisionError" in parsed[3][0].text
    assert parsed[4] == []
    assert set(done["errors"]) == {"3"}


def test_without_outputs_asked_the_done_event_has_none(worker):
    done = run_cells_done(worker, ["print('hello')"], outputs=False)
    assert "outputs" not in done and done["errors"] == {}


def test_a_figure_too_slow_to_draw_is_stopped_by_the_cell_limit(worker):
    slow = (
        "import matplotlib.pyplot as plt, time\n"
        "fig = plt.figure()\n"
        "fig.savefig = lambda *a, **k: time.sleep(60)"
    )
    done = run_cells_done(worker, [slow, "print('next')"], timeout=2.0, outputs=True)
    assert done["errors"]["0"].startswith("timed out")
    assert cell_outputs.parse(done["outputs"], 2)[1] == [Stream("stdout", "next\n")]
