"""The hostile corpus (``hostile_corpus.py``) graded in one batch with honest submissions mixed in.

Each case must get exactly its expected record (status, every question's score, the reason); the
honest submissions must score exactly what they score in a clean run without hostile neighbours;
nothing a case starts may outlive its worker or write outside its sandbox. Cases that rely on an
isolation feature this machine lacks (no bubblewrap, no cgroups, not root) skip and say which.
"""

import os

import pytest

from grader.sandbox import isolation_level

from .hostile_corpus import CASES, FEATURES, features_of, grade_corpus

LEVEL = isolation_level()
HAVE = features_of(LEVEL, os.getuid() == 0)


def missing(case):
    return [f for f in case.needs if f not in HAVE]


@pytest.fixture(scope="module")
def corpus(hw01, tmp_path_factory):
    return grade_corpus(hw01, tmp_path_factory.mktemp("hostile"), HAVE)


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
        context = f"{name}: mixed {mixed.reason!r} {mixed.cell_errors}, alone {alone.reason!r}"
        assert (mixed.status, scores(mixed)) == (alone.status, scores(alone)), context
    assert corpus["alone"]["honest_a"].total == hw01.max_total
    assert corpus["alone"]["partial_b"].total < hw01.max_total


def test_nothing_outlives_its_worker_or_writes_outside_it(corpus):
    if "kills_detached" not in HAVE:
        pytest.skip(f"needs {FEATURES['kills_detached']}; this machine's isolation is {LEVEL}")
    assert corpus["survivors"] == []
    assert corpus["escaped"] == []
    assert corpus["neighbour_unchanged"]
