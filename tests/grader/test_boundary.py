"""The data boundary: what may cross, what may not, and that lies turn into plain data."""

import contextlib
import json
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.harness import boundary
from grader.harness.testfns import Fn


@pytest.mark.parametrize(
    "value",
    [None, True, 3, -2.5, float("inf"), 1 + 2j, "text", [1, [2.0]], (1, "a"), {"k": [1, 2]}],
)
def test_plain_values_round_trip_unchanged(value):
    assert boundary.roundtrip(value) == value
    assert type(boundary.roundtrip(value)) is type(value)


@pytest.mark.parametrize("dtype", ["bool", "int32", "uint8", "float32", "float64", "complex128"])
def test_arrays_round_trip_with_dtype_and_shape(dtype):
    arr = (np.arange(6).reshape(2, 3) % 2).astype(dtype)
    back = boundary.roundtrip(arr)
    assert type(back) is np.ndarray and back.dtype == arr.dtype and back.shape == (2, 3)
    assert np.array_equal(back, arr)


def test_test_functions_cross_as_name_and_parameters():
    back = boundary.roundtrip(Fn("gauss", a=1.0))
    assert back == Fn("gauss", a=1.0)
    assert back(1.0) == 1.0


def test_float_subclass_with_rigged_comparison_becomes_a_plain_float():
    class Liar(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    back = boundary.roundtrip(Liar(2.0))
    assert type(back) is float and back == 2.0 and back != 3.0


def test_ndarray_subclass_becomes_a_plain_array():
    class Rigged(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, bool)

    back = boundary.roundtrip(np.zeros(3).view(Rigged))
    assert type(back) is np.ndarray
    assert not np.any(back == 1.0)


def test_object_with_lying_eq_cannot_cross():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    with pytest.raises(boundary.BoundaryError, match="AlwaysEqual"):
        boundary.to_data(AlwaysEqual())


def test_lying_array_protocol_yields_only_the_numbers_it_claims():
    class Claims:
        def __array__(self, dtype=None, copy=None):
            return np.array([1.0, 2.0])

    back = boundary.roundtrip(Claims())
    assert type(back) is np.ndarray and back.tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    "payload",
    [
        b'{"__ndarray__": "AAAA", "dtype": "|O", "shape": [1]}',
        b'{"__ndarray__": "AAAA", "dtype": "<f8", "shape": [5]}',
        b'{"__pickle__": "gASVAAAAAAAAAAA="}',
        b'{"__fn__": "os.system", "params": {}}',
        b"not json",
        b"[" * 100 + b"]" * 100,
    ],
)
def test_decode_rejects_anything_but_plain_data(payload):
    with pytest.raises(boundary.BoundaryError):
        boundary.decode(payload)


def test_deep_nesting_is_refused():
    deep = []
    for _ in range(boundary.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(boundary.BoundaryError, match="nested"):
        boundary.to_data(deep)


def test_a_message_larger_than_a_pipe_buffer_arrives_whole():
    """An unbuffered pipe (as the worker reads its requests) returns at most 64 KiB per read."""
    import os
    import threading

    big = {"v": np.arange(10**6, dtype=np.float64)}
    read_fd, write_fd = os.pipe()
    writer = threading.Thread(target=lambda: (boundary.send(write_fd, big), os.close(write_fd)))
    writer.start()
    with os.fdopen(read_fd, "rb", buffering=0) as stream:
        got = boundary.receive(stream)
    writer.join()
    np.testing.assert_array_equal(got["v"], big["v"])


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(payload=st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()))
def test_decode_of_any_bytes_returns_data_or_raises_a_boundary_error_only(payload):
    with contextlib.suppress(boundary.BoundaryError):
        boundary.decode(payload)


@settings(max_examples=200, deadline=None)
@given(secret=st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=12, max_size=20))
def test_decode_errors_never_quote_what_they_received(secret):
    """A reply may carry hidden inputs back into an error message, and so into feedback."""
    for payload in [
        {secret: 1},
        {"__ndarray__": "", "dtype": [[secret, "<f8"]], "shape": [0]},
        {"__ndarray__": "", "dtype": secret, "shape": [0]},
        {"__fn__": secret, "params": {}},
        {"__complex__": [secret, 1]},
    ]:
        with pytest.raises(boundary.BoundaryError) as info:
            boundary.decode(json.dumps(payload).encode())
        assert secret not in str(info.value)
    with pytest.raises(boundary.BoundaryError) as info:
        boundary.decode(b'["' + secret.encode() + b'" 1]')
    assert secret not in str(info.value)


@pytest.mark.parametrize(
    "bomb",
    [b"[" + b"[]," * (6 * 2**20) + b"[]]", b"[" + b"0," * (8 * 2**20) + b"0]"],
    ids=["nested empty lists", "many values"],
)
def test_a_decoding_bomb_is_refused_before_any_object_is_built(bomb):
    """16 MiB of ``[],`` would build 6 million lists (about 400 MB); the counts come first."""
    tracemalloc.start()
    try:
        with pytest.raises(boundary.BoundaryError, match="more than"):
            boundary.decode(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 2**20, peak


def test_the_largest_honest_messages_are_within_the_structure_caps():
    """A list of a million floats (a student who returns lists, not arrays) still crosses."""
    values = [float(i) for i in range(10**6)]
    assert boundary.roundtrip(values) == values


def test_an_integer_too_long_to_parse_is_a_boundary_error():
    with pytest.raises(boundary.BoundaryError):
        boundary.decode(b"1" * 5000)
