"""The data-only boundary between a sandboxed worker and the trusted grader.

Everything that crosses is JSON with a few tagged forms; nothing is pickled, evaluated or
sympified. Allowed values: ``None``, ``bool``, ``int``, ``float``, ``complex``, ``str``, lists,
tuples, dicts with string keys, numpy arrays of numeric or boolean dtype (raw bytes with dtype and
shape), and :class:`~.testfns.Fn` test-function specs (a name and numeric parameters, rebuilt
from the trusted registry on the other side). Decoding error messages never quote what was
received (a reply may carry hidden inputs back).

:func:`to_data` turns whatever a submission returned into that form. It runs in the worker, next
to student code, so it is only a converter, never a judge: an object that lies in ``__eq__``,
``__float__`` or ``__array__`` turns into the numbers it claims, and those numbers are judged by
the trusted side. :func:`decode` on the trusted side accepts nothing but the forms above.

This module imports only the standard library and numpy, and only relative siblings, because it
is copied into the sandbox as part of the ``harness`` package.
"""

from __future__ import annotations

import base64
import json
import math
import os
import struct
from typing import Any, BinaryIO

import numpy as np

from .testfns import Fn

#: Largest message accepted in either direction (bytes of JSON): above the largest honest one,
#: a ``done`` event carrying every image a notebook may show (40 of 2 MiB, in base64).
MAX_MESSAGE_BYTES = 128 * 1024 * 1024
#: Most JSON containers (``[`` and ``{``) and values a message may hold, counted on the bytes
#: before anything is parsed: with the size cap they bound what decoding builds (a few hundred
#: MB at worst, where 128 MiB of nested empty lists would make 6 GB of list objects).
MAX_CONTAINERS = 2**18
MAX_VALUES = 2**21
#: Deepest nesting of lists, tuples and dicts accepted.
MAX_DEPTH = 32
#: Array dtype kinds that may cross: bool, signed and unsigned int, float, complex.
ARRAY_KINDS = frozenset("biufc")

#: Frame header: the payload length as an unsigned 64-bit big-endian integer.
HEADER = struct.Struct(">Q")


class BoundaryError(ValueError):
    """A value cannot cross the boundary (wrong type, too deep, too big, malformed)."""


def to_data(obj: Any, _depth: int = 0) -> Any:
    """Convert a returned value to plain data, in the worker (see the module docstring)."""
    if _depth > MAX_DEPTH:
        raise BoundaryError(f"value nested deeper than {MAX_DEPTH} levels")
    if obj is None or type(obj) in (bool, str):
        return obj
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return float(obj)
    if isinstance(obj, complex | np.complexfloating):
        return complex(obj)
    if isinstance(obj, str):
        return str.__str__(obj)
    if isinstance(obj, Fn):
        return Fn(obj.name, **obj.params)
    if isinstance(obj, list | tuple):
        items = [to_data(item, _depth + 1) for item in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if not isinstance(key, str):
                raise BoundaryError(f"dict keys must be strings, got {type(key).__name__}")
            out[str.__str__(key)] = to_data(value, _depth + 1)
        return out
    if type(obj).__module__.startswith("torch"):
        obj = obj.detach().cpu().numpy()
    try:
        arr = np.array(obj, copy=True, subok=False)
    except Exception as exc:
        raise BoundaryError(f"cannot return a value of type {type(obj).__name__}: {exc}") from None
    if arr.dtype.kind not in ARRAY_KINDS:
        raise BoundaryError(
            f"cannot return a value of type {type(obj).__name__} (array dtype {arr.dtype})"
        )
    return np.ascontiguousarray(arr)


def _encode(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return {
            "__ndarray__": base64.b64encode(obj.tobytes()).decode("ascii"),
            "dtype": obj.dtype.str,
            "shape": list(obj.shape),
        }
    if isinstance(obj, complex):
        return {"__complex__": [obj.real, obj.imag]}
    if isinstance(obj, tuple):
        return {"__tuple__": [_encode(item) for item in obj]}
    if isinstance(obj, Fn):
        return {"__fn__": obj.name, "params": dict(obj.params)}
    if isinstance(obj, list):
        return [_encode(item) for item in obj]
    if isinstance(obj, dict):
        return {"__dict__": {key: _encode(value) for key, value in obj.items()}}
    return obj


def encode(obj: Any) -> bytes:
    """Serialize plain data (as produced by :func:`to_data`) to JSON bytes."""
    return json.dumps(_encode(obj), allow_nan=True, separators=(",", ":")).encode("utf-8")


def _float(value: Any) -> float:
    if type(value) not in (int, float):
        raise BoundaryError(f"expected a number, got {type(value).__name__}")
    return float(value)


def _decode_array(tagged: dict) -> np.ndarray:
    dtype = np.dtype(tagged["dtype"])
    if dtype.kind not in ARRAY_KINDS or dtype.hasobject:
        raise BoundaryError("an array of this dtype may not cross")
    shape = tagged["shape"]
    if not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape):
        raise BoundaryError("malformed array shape")
    raw = base64.b64decode(tagged["__ndarray__"], validate=True)
    if len(raw) != dtype.itemsize * math.prod(shape):
        raise BoundaryError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _decode(obj: Any, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise BoundaryError(f"value nested deeper than {MAX_DEPTH} levels")
    if obj is None or type(obj) in (bool, int, float, str):
        return obj
    if type(obj) is list:
        return [_decode(item, depth + 1) for item in obj]
    if type(obj) is not dict or len(obj) == 0:
        raise BoundaryError(f"unexpected JSON value of type {type(obj).__name__}")
    if "__ndarray__" in obj and set(obj) == {"__ndarray__", "dtype", "shape"}:
        return _decode_array(obj)
    if set(obj) == {"__complex__"} and type(obj["__complex__"]) is list:
        re, im = (_float(v) for v in obj["__complex__"])
        return complex(re, im)
    if set(obj) == {"__tuple__"} and type(obj["__tuple__"]) is list:
        return tuple(_decode(item, depth + 1) for item in obj["__tuple__"])
    if set(obj) == {"__fn__", "params"} and type(obj["params"]) is dict:
        return Fn(str(obj["__fn__"]), **{str(k): _float(v) for k, v in obj["params"].items()})
    if set(obj) == {"__dict__"} and type(obj["__dict__"]) is dict:
        return {str(k): _decode(v, depth + 1) for k, v in obj["__dict__"].items()}
    raise BoundaryError("unknown tagged value")


def decode(payload: bytes) -> Any:
    """Parse JSON bytes from the other side into plain data; raise :class:`BoundaryError`."""
    if len(payload) > MAX_MESSAGE_BYTES:
        raise BoundaryError(f"a message over the limit of {MAX_MESSAGE_BYTES} bytes")
    containers = payload.count(b"[") + payload.count(b"{")
    values = containers + payload.count(b",")  # an upper bound: strings may hold these bytes
    if containers > MAX_CONTAINERS or values > MAX_VALUES:
        raise BoundaryError(
            f"message of more than {MAX_CONTAINERS} lists and objects or {MAX_VALUES} values"
        )
    try:
        obj = json.loads(payload.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UTF-8, JSON, an integer of too many digits
        raise BoundaryError(f"malformed message ({type(exc).__name__})") from None
    try:
        return _decode(obj)
    except BoundaryError:
        raise
    except Exception as exc:  # numpy's dtype parser alone raises several kinds (SyntaxError...)
        raise BoundaryError(f"malformed message ({type(exc).__name__})") from None


def roundtrip(obj: Any) -> Any:
    """What the trusted side receives when a worker returns ``obj``."""
    return decode(encode(to_data(obj)))


def frame(obj: Any) -> bytes:
    """One length-prefixed message: the header, then the JSON of ``obj`` as plain data."""
    payload = encode(to_data(obj))
    return HEADER.pack(len(payload)) + payload


def send(fd: int, obj: Any) -> None:
    """Write one length-prefixed message to file descriptor ``fd``."""
    view = memoryview(frame(obj))
    while view:
        written = os.write(fd, view)
        view = view[written:]


def receive(stream: BinaryIO) -> Any:
    """Read one length-prefixed message from a binary stream; EOFError if it closed."""
    header = _read_exact(stream, HEADER.size)
    if len(header) < HEADER.size:
        raise EOFError("the other side closed the channel")
    (size,) = HEADER.unpack(header)
    if size > MAX_MESSAGE_BYTES:
        raise BoundaryError(f"a message over the limit of {MAX_MESSAGE_BYTES} bytes")
    payload = _read_exact(stream, size)
    if len(payload) < size:
        raise EOFError("the other side closed the channel mid-message")
    return decode(payload)


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    """Read ``size`` bytes, or fewer only at end of stream: an unbuffered pipe returns what it
    holds (64 KiB at most) per read, so a large message takes many reads."""
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
