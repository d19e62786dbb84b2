"""What each cell shows, for the nbgrader path: printed text, displays, figures, tracebacks.

When the run request asks for ``outputs``, the worker records per cell what Jupyter would have
shown under it, so that ``nbgrader generate_feedback`` can show the student their own work:

* ``{"kind": "stream", "name": "stdout" | "stderr", "text": ...}`` for printed text;
* ``{"kind": "display", "data": {mime: text}}`` for ``display(...)`` and for every pyplot figure
  open at the end of the cell (drawn to PNG, then closed, as Jupyter's inline backend does);
* ``{"kind": "traceback", "text": ...}`` for the cell's error, in IPython's plain format.

Everything is bounded here (:data:`MAX_TEXT_CHARS`, :data:`MAX_IMAGES`, :data:`MAX_IMAGE_BYTES`)
and checked again on the trusted side (:mod:`grader.cell_outputs`), which decides what is kept:
this module runs next to student code, so it is a recorder, never a judge.
"""

from __future__ import annotations

import base64
import io
import sys
import warnings
from typing import Any

#: Characters of printed text and tracebacks kept over the whole notebook.
MAX_TEXT_CHARS = 200_000
#: Figures and images kept over the whole notebook, and the largest one (bytes of PNG).
MAX_IMAGES = 40
MAX_IMAGE_BYTES = 2 * 1024**2
#: The display formats kept (the trusted side allows no others).
MIME_TYPES = ("text/plain", "image/png", "image/jpeg")


class CellRecorder:
    """The outputs of every cell run so far, keyed by the cell's index (as a string)."""

    def __init__(self) -> None:
        self.cells: dict[str, list[dict[str, Any]]] = {}
        self._current: list[dict[str, Any]] = []
        self._text_left = MAX_TEXT_CHARS
        self._images_left = MAX_IMAGES

    def start(self, index: int) -> None:
        self._current = self.cells.setdefault(str(index), [])

    def _text(self, text: str) -> str:
        kept = text[: max(self._text_left, 0)]
        self._text_left -= len(text)
        return kept

    def stream(self, name: str, text: str) -> None:
        text = self._text(text)
        if not text:
            return
        last = self._current[-1] if self._current else None
        if last is not None and last["kind"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self._current.append({"kind": "stream", "name": name, "text": text})

    def display(self, data: dict[str, Any]) -> None:
        kept = {}
        for mime in MIME_TYPES:
            value = data.get(mime)
            if not isinstance(value, str):
                continue
            if mime == "text/plain":
                kept[mime] = self._text(value)
            elif len(value) <= MAX_IMAGE_BYTES * 4 // 3 + 4 and self._images_left > 0:
                kept[mime] = value
        if any(mime != "text/plain" for mime in kept):
            self._images_left -= 1
        if kept:
            self._current.append({"kind": "display", "data": kept})

    def traceback(self, text: str) -> None:
        text = self._text(text)
        if text:
            self._current.append({"kind": "traceback", "text": text})

    def figures(self) -> None:
        """Draw every open pyplot figure as a PNG display, then close them all."""
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is None:
            return
        for number in plt.get_fignums():
            figure = plt.figure(number)
            buffer = io.BytesIO()
            try:
                figure.savefig(buffer, format="png", bbox_inches="tight")
            except Exception as exc:
                self.stream("stderr", f"[the figure could not be drawn: {type(exc).__name__}]\n")
                continue
            width, height = figure.get_size_inches() * figure.dpi
            png = base64.b64encode(buffer.getvalue()).decode("ascii")
            self.display({"image/png": png, "text/plain": f"<Figure size {width:g}x{height:g}>"})
        plt.close("all")


class Tee(io.TextIOBase):
    """A stream that records what is written as ``name`` and passes it on to ``target``."""

    def __init__(self, target: Any, name: str, recorder: CellRecorder) -> None:
        self._target = target
        self._name = name
        self._recorder = recorder

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._recorder.stream(self._name, str(text))
        return self._target.write(text)

    def flush(self) -> None:
        self._target.flush()


def install(shell: Any) -> CellRecorder:
    """Record ``shell``'s output from now on: streams, the display publisher, tracebacks."""
    from IPython.core.displaypub import DisplayPublisher

    recorder = CellRecorder()

    class Publisher(DisplayPublisher):
        def publish(self, data: dict, metadata: Any = None, *args: Any, **kwargs: Any) -> None:
            recorder.display(data)

    shell.display_pub = Publisher(shell=shell)
    shell._showtraceback = lambda etype, value, stb: recorder.traceback("\n".join(stb) + "\n")
    sys.stdout = Tee(sys.stdout, "stdout", recorder)
    sys.stderr = Tee(sys.stderr, "stderr", recorder)
    # Figures are drawn at the end of each cell; Agg's "cannot be shown" warning says nothing.
    warnings.filterwarnings("ignore", message=".*non-interactive.*cannot be shown")
    return recorder
