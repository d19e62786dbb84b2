"""Text that a submission controls, made safe once for each place it is written.

A submission controls much of what a record holds: cell error text, exception messages, file and
folder names, and every field of the worker's replies. The grader never writes such a string
anywhere as it came. :func:`clean` turns any value into bounded, valid, printable Unicode (the
one place that happens, when a record is made), and each sink has its own function on top:

- :func:`markdown_code`: an inline code span, so Markdown and HTML in it stay literal;
- :func:`csv_cell`: no spreadsheet formula (a leading ``= + - @``, tab or carriage return);
- :func:`terminal`: a ``rich`` Text, never parsed as console markup;
- :func:`path_name` and :func:`unique_names`: a folder name under ``--out`` that cannot leave it,
  unique across the batch.

Every function here is total: whatever it is given, it returns, in time linear in its limit.
"""

from __future__ import annotations

import re
import unicodedata

from rich.text import Text

#: Characters kept of one untrusted string (an error message, a reason).
MAX_TEXT = 2000
#: Characters kept of a folder name made from a file or student name.
MAX_NAME = 80
#: Unicode categories replaced: controls, format characters (bidirectional overrides,
#: zero-width joiners), surrogates, private use and unassigned code points.
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
#: What a spreadsheet reads as the start of a formula.
FORMULA_START = tuple("=+-@\t\r")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
#: A number written in a text.
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])")
#: Names of the batch's own files and folders under ``--out``: never a submission's folder.
RESERVED_NAMES = frozenset({"grades.csv", "report", "report.html"})


def clean(value: object, limit: int = MAX_TEXT, *, lines: bool = False) -> str:
    """``value`` as printable text of at most ``limit`` characters (an ellipsis marks a cut).

    Bytes are decoded as UTF-8 with replacement; other non-strings become their type's name (a
    hostile ``__str__`` is never called). Unsafe code points (see ``_UNSAFE``) become U+FFFD;
    line breaks and tabs become spaces unless ``lines``, which keeps ``\\n`` and tabs.
    """
    if isinstance(value, bytes | bytearray):
        text = bytes(value[: 4 * limit + 4]).decode("utf-8", "replace")
    elif isinstance(value, str):
        text = str.__str__(value)
    else:
        text = f"<{type(value).__name__}>"
    cut = len(text) > limit
    out = []
    for char in text[:limit]:
        if lines and char in "\n\t":
            out.append(char)
        elif char in "\t\n\r":
            out.append(" ")
        elif unicodedata.category(char) in _UNSAFE:
            out.append(REPLACEMENT)
        else:
            out.append(char)
    return "".join(out) + ("…" if cut else "")


def without_numbers(text: str) -> str:
    """``text`` with every number replaced by an ellipsis: for grader text that quotes what a
    submission chose after it saw hidden inputs (a returned shape, an exit status, a frame
    length), each of which could spell out an input."""
    return _NUMBER.sub("…", text)


def markdown_code(value: object, limit: int = MAX_TEXT) -> str:
    """``value`` as a Markdown inline code span: nothing in it is rendered (CommonMark: a span
    opened by a run of n backticks ends only at another run of exactly n)."""
    text = clean(value, limit)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def csv_cell(value: object, limit: int = MAX_TEXT) -> str:
    """``value`` for a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = clean(value, limit)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def terminal(value: object, limit: int = MAX_TEXT) -> Text:
    """``value`` for the console: plain text, with no markup, escape or control sequence."""
    return Text(clean(value, limit))


def path_name(value: object) -> str:
    """A single, portable folder name made from ``value``: ASCII letters, digits and ``._-``
    only, never starting with a dot or dash (so never ``.`` or ``..``), at most ``MAX_NAME``."""
    name = _NAME_UNSAFE.sub("_", clean(value, MAX_NAME)).lstrip(".-")
    return name or "submission"


def unique_names(names: list[str]) -> list[str]:
    """Folder-safe names for ``names``, unique even on a case-insensitive file system.

    Deterministic: a name that appears once (after :func:`path_name`) keeps it; the second and
    later of a repeated name, and a name of :data:`RESERVED_NAMES`, get the first free ``-2``,
    ``-3``, ... suffix, free meaning taken neither by another given name, nor by an earlier
    suffix, nor reserved.
    """
    safe = [path_name(name) for name in names]
    counts: dict[str, int] = {name: 1 for name in RESERVED_NAMES}  # as if taken already
    for name in safe:
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    taken = set(counts)
    out, first = [], set()
    for name in safe:
        key = name.casefold()
        if key not in RESERVED_NAMES and (counts[key] == 1 or key not in first):
            first.add(key)
            out.append(name)
            continue
        suffix = 2
        while f"{key}-{suffix}" in taken:
            suffix += 1
        taken.add(f"{key}-{suffix}")
        out.append(f"{name}-{suffix}")
    return out
