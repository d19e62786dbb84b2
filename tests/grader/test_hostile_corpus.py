"""The hostile corpus (``hostile_corpus.py``) graded in one batch with honest submissions mixed in.

Each case must get exactly its expected record (status, every question's score, the reason); the
honest submissions must score exactly what they score in a clean run without hostile neighbours;
nothing a case starts may outlive its worker or write outside its sandbox. Cases that rely on an
isolation feature this machine lacks (no bubblewrap, no cgroups, not root) skip and say which.
"""

import json
import os
import shutil
import socket
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import pytest

from grader.calibrate import TimeLimits, load_limits
from grader.grading import grade_many
from grader.notebook import Submission
from grader.sandbox import Limits, isolation_level

from .hostile_corpus import CASES, FEATURES, Context, build, features_of
from .submissions import make_submission

LEVEL = isolation_level()
HAVE = features_of(LEVEL, os.getuid() == 0)
#: A smaller memory cap than the default, so the memory bomb is stopped at 2 GB.
WORKER_LIMITS = Limits(memory_bytes=2 * 1024**3)
#: Short cell limit so the looping cases cost seconds; hidden tests keep calibrated limits.
CELL_LIMIT = 5.0

MUTANT_SINC = """\
import numpy as np


def sinc_kernel(x, eps):
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sin(x / eps) / (np.pi * x)
"""


def missing(case):
    return [f for f in case.needs if f not in HAVE]


def serve_oracle(server: socket.socket) -> None:
    """Answer ``[x, eps]`` lines with the Lorentzian's values (what an outside helper would do)."""
    while True:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            x, eps = json.loads(conn.makefile().readline())
            x, eps = np.asarray(x, dtype=float), np.asarray(eps, dtype=float)
            conn.sendall(json.dumps((eps / (np.pi * (x**2 + eps**2))).tolist()).encode() + b"\n")


def survivors(token: str) -> list[int]:
    """Pids of live processes named ``token`` (what the detached cases call themselves)."""
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == token:
                found.append(int(comm.parent.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def corpus(hw01, tmp_path_factory):
    """Grade every runnable case in one batch, honest notebooks interleaved; also grade the
    honest notebooks alone (from copies, first) for the neighbour comparison."""
    tmp = tmp_path_factory.mktemp("hostile")
    folder, escape, clean = tmp / "submissions", tmp / "escape", tmp / "clean"
    for path in (folder, escape, clean):
        path.mkdir()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    threading.Thread(target=serve_oracle, args=(server,), daemon=True).start()
    token = f"cgx{uuid.uuid4().hex[:8]}"
    honest = {
        "honest_a": make_submission(folder, "honest_a"),
        "partial_b": make_submission(folder, "partial_b", replace={"sinc_kernel": MUTANT_SINC}),
        "honest_c": make_submission(folder, "honest_c"),
    }
    ctx = Context(folder, escape, honest["honest_a"], server.getsockname()[1], token)
    neighbour_bytes = ctx.neighbour.read_bytes()
    limits = TimeLimits(CELL_LIMIT, load_limits(hw01, "cpu").tests, "cpu", "hostile-corpus")
    copies = [Submission(name, shutil.copy(path, clean)) for name, path in honest.items()]
    alone = grade_many(hw01, copies, limits=limits, worker_limits=WORKER_LIMITS)
    cases = [Submission(c.name, build(c, ctx)) for c in CASES if not missing(c)]
    third = len(cases) // 3
    order = [
        Submission("partial_b", honest["partial_b"]),
        *cases[:third],
        *cases[third : 2 * third],
        Submission("honest_a", honest["honest_a"]),  # after the detached child: its target
        *cases[2 * third :],
        Submission("honest_c", honest["honest_c"]),
    ]
    started = time.perf_counter()
    mixed = grade_many(hw01, order, limits=limits, worker_limits=WORKER_LIMITS)
    seconds = time.perf_counter() - started
    time.sleep(0.5)  # an escaped child writes every 0.2 s
    server.close()
    yield {
        "order": [s.name for s in order],
        "results": {r.name: r for r in mixed},
        "alone": {r.name: r for r in alone},
        "survivors": survivors(token),
        "escaped": sorted(p.name for p in escape.iterdir()),
        "neighbour_unchanged": ctx.neighbour.read_bytes() == neighbour_bytes,
        "seconds": seconds,
    }


def scores(result):
    return {q.question: q.score for q in result.questions}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gets_its_exact_record(case, corpus, hw01):
    if missing(case):
        needed = "; ".join(FEATURES[f] for f in missing(case))
        pytest.skip(f"needs {needed}; this machine's isolation level is {LEVEL}")
    result = corpus["results"][case.name]
    failed = {
        q.question: [t.message for t in q.tests if not t.passed][:2]
        for q in result.questions
        if q.score < q.max_score
    }
    context = f"{case.attack}: status {result.status!r}, reason {result.reason!r}, "
    context += f"cell errors {result.cell_errors}, failed {failed}"
    assert result.status == case.status, context
    assert scores(result) == case.expected_scores(hw01.questions), context
    assert case.reason in result.reason, context
    assert (result.reason != "") == (case.status != "ok"), context
    if case.cell_error:
        assert any(case.cell_error in e for e in result.cell_errors.values()), context


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


def test_every_submission_of_the_batch_gets_a_record(corpus):
    assert list(corpus["results"]) == corpus["order"]
    assert all(r.isolation == LEVEL for r in corpus["results"].values())


def test_honest_neighbours_score_as_in_a_clean_run(corpus, hw01):
    """The honest and partial notebooks graded among the hostile ones score exactly as alone."""
    for name, alone in corpus["alone"].items():
        mixed = corpus["results"][name]
        assert (mixed.status, scores(mixed)) == (alone.status, scores(alone)), name
    assert corpus["alone"]["honest_a"].total == hw01.max_total
    assert corpus["alone"]["partial_b"].total < hw01.max_total


def test_nothing_outlives_its_worker_or_writes_outside_it(corpus):
    if "kills_detached" not in HAVE:
        pytest.skip(f"needs {FEATURES['kills_detached']}; this machine's isolation is {LEVEL}")
    assert corpus["survivors"] == []
    assert corpus["escaped"] == []
    assert corpus["neighbour_unchanged"]
