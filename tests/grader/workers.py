"""Driving a sandboxed worker by hand in tests: run cells, call a function."""

from typing import Any

from grader.sandbox import Worker


def run_cells(worker: Worker, cells: list[str], timeout: float = 5.0) -> dict[str, str]:
    """Run ``cells`` in ``worker``; the errors by cell index, as the worker reports them."""
    return run_cells_done(worker, cells, timeout)["errors"]


def run_cells_done(
    worker: Worker, cells: list[str], timeout: float = 5.0, outputs: bool = False
) -> dict[str, Any]:
    """Run ``cells`` in ``worker`` (recording their ``outputs`` if asked); the ``done`` event."""
    request = {"op": "run", "cells": cells, "skip": [], "cell_timeout": timeout}
    worker.send({**request, "outputs": outputs})
    while True:
        message = worker.receive(60)
        if message.get("event") == "done":
            return message


def call(worker: Worker, name: str, *args: Any) -> dict[str, Any]:
    """The worker's reply to calling ``name(*args)``."""
    return worker.request({"op": "call", "fn": name, "args": list(args)}, 30)
