"""The outputs of a submission's cells, as they come back from the sandbox: checked, then typed.

The worker records what each cell printed and displayed (:mod:`grader.harness.capture`); the
student's code shares that process, so the record is untrusted bytes. :func:`parse` accepts only
the three shapes below, only the display formats of :data:`MIME_TYPES`, images only when they
decode as PNG or JPEG, and text as :func:`grader.untrusted.clean` makes it, within the same
budgets as the recorder. Whatever else the message holds is a protocol error.
:func:`to_nbformat` turns the result into notebook outputs for nbgrader's feedback.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_output

from grader import untrusted
from grader.harness.capture import MAX_IMAGE_BYTES, MAX_IMAGES, MAX_TEXT_CHARS, MIME_TYPES

#: Leading bytes of the image formats accepted.
IMAGE_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}


@dataclass(frozen=True)
class Stream:
    """Text a cell printed; ``name`` is ``stdout`` or ``stderr``."""

    name: str
    text: str


@dataclass(frozen=True)
class Display:
    """A rich display (a figure, say): format -> payload (base64 for images)."""

    data: dict[str, str]


@dataclass(frozen=True)
class Traceback:
    """The cell's error, as IPython printed it."""

    text: str


CellOutput = Stream | Display | Traceback


def _image(mime: str, payload: Any) -> str:
    if not isinstance(payload, str):
        raise ValueError(f"a {mime} output is not a string")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"a {mime} output is not base64") from None
    if len(raw) > MAX_IMAGE_BYTES or not raw.startswith(IMAGE_MAGIC[mime]):
        raise ValueError(f"a {mime} output is not a {mime} image within the size limit")
    return base64.b64encode(raw).decode("ascii")


class _Budget:
    def __init__(self) -> None:
        self.text = MAX_TEXT_CHARS
        self.images = MAX_IMAGES

    def take_text(self, text: Any) -> str:
        if not isinstance(text, str):
            raise ValueError("an output's text is not a string")
        cut = text[: max(self.text, 0)]
        kept = untrusted.clean(cut, len(cut), lines=True)
        self.text -= len(text)
        return kept

    def take_image(self) -> None:
        self.images -= 1
        if self.images < 0:
            raise ValueError(f"more than {MAX_IMAGES} images")


def _output(raw: Any, budget: _Budget) -> CellOutput:
    if not isinstance(raw, dict):
        raise ValueError("an output is not an object")
    kind = raw.get("kind")
    if kind == "stream" and raw.get("name") in ("stdout", "stderr") and len(raw) == 3:
        return Stream(raw["name"], budget.take_text(raw.get("text")))
    if kind == "traceback" and len(raw) == 2:
        return Traceback(budget.take_text(raw.get("text")))
    data = raw.get("data")
    if kind == "display" and len(raw) == 2 and isinstance(data, dict) and data:
        if not set(data) <= set(MIME_TYPES):
            raise ValueError("a display has a format that is not allowed")
        if set(data) - {"text/plain"}:
            budget.take_image()
        return Display(
            {
                mime: budget.take_text(value) if mime == "text/plain" else _image(mime, value)
                for mime, value in data.items()
            }
        )
    raise ValueError("an output has an unknown shape")


def parse(raw: Any, cells: int) -> dict[int, list[CellOutput]]:
    """The outputs of a ``done`` message for a notebook of ``cells`` code cells; ValueError
    saying what is wrong for anything but the shapes of the module docstring."""
    if not isinstance(raw, dict):
        raise ValueError("the outputs are not an object")
    budget = _Budget()
    parsed = {}
    for key, outputs in raw.items():
        if not (isinstance(key, str) and key.isascii() and key.isdecimal() and int(key) < cells):
            raise ValueError("the outputs name a cell that was not run")
        if not isinstance(outputs, list):
            raise ValueError("a cell's outputs are not a list")
        parsed[int(key)] = [_output(item, budget) for item in outputs]
    return parsed


def to_nbformat(outputs: list[CellOutput]) -> list[NotebookNode]:
    """Notebook outputs (nbformat v4) for one cell's parsed outputs."""
    converted = []
    for out in outputs:
        if isinstance(out, Stream):
            converted.append(new_output("stream", name=out.name, text=out.text))
        elif isinstance(out, Display):
            converted.append(new_output("display_data", data=dict(out.data)))
        else:
            converted.append(new_output("stream", name="stderr", text=out.text))
    return converted
