"""Hidden inputs drawn at grading time: seeded from the course secret and the submission's
code, reproduced exactly by the same secret, and never a reason for the reference to lose."""

import multiprocessing
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader import UsageError, draws
from grader.calibrate import load_limits
from grader.grading import grade_many
from grader.layout import solution_notebook
from grader.notebook import Submission
from grader.reports import write_reports
from grader.suites import load_assignment

from .submissions import make_submission

SOURCES = st.lists(st.text(max_size=30), max_size=4)


def test_the_secret_comes_from_the_option_the_environment_or_this_machine(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_GRADE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv(draws.SEED_ENV, "from the environment, long enough")
    assert draws.course_secret("given on the command line") == "given on the command line"
    assert draws.course_secret() == "from the environment, long enough"
    monkeypatch.delenv(draws.SEED_ENV)
    made = draws.course_secret()
    assert len(made) == 32 and draws.course_secret() == made  # made once, then kept
    path = tmp_path / "cache" / draws.SECRET_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(UsageError, match="--seed must be at least 16"):
        draws.course_secret("short")
    monkeypatch.setenv(draws.SEED_ENV, "   ")
    with pytest.raises(UsageError, match=draws.SEED_ENV):
        draws.course_secret()


def _make_secret(cache, barrier, made):
    os.environ["COURSE_GRADE_CACHE"] = cache
    os.environ.pop(draws.SEED_ENV, None)
    barrier.wait()
    made.put(draws.course_secret())


def test_graders_starting_at_once_agree_on_the_machines_secret(tmp_path):
    context = multiprocessing.get_context("spawn")
    for trial in range(3):
        barrier, made = context.Barrier(4), context.Queue()
        args = (str(tmp_path / f"cache{trial}"), barrier, made)
        procs = [context.Process(target=_make_secret, args=args) for _ in range(4)]
        for proc in procs:
            proc.start()
        secrets = {made.get(timeout=60) for _ in procs}
        for proc in procs:
            proc.join()
        assert len(secrets) == 1 and len(secrets.pop()) == 32


@settings(max_examples=40, deadline=None)
@given(secret=st.text(min_size=16, max_size=20), a=SOURCES, b=SOURCES)
def test_the_seed_is_a_function_of_the_secret_and_the_code(secret, a, b):
    assert draws.submission_seed(secret, a) == draws.submission_seed(secret, list(a))
    assert (draws.submission_seed(secret, a) == draws.submission_seed(secret, b)) == (a == b)
    assert draws.submission_seed(secret, a) != draws.submission_seed(secret + "x", a)


def test_each_test_draws_its_own_inputs():
    first = draws.rng_for(7, "test_a.py::test_x").random(4)
    assert (first == draws.rng_for(7, "test_a.py::test_x").random(4)).all()
    assert not (first == draws.rng_for(7, "test_a.py::test_y").random(4)).any()
    assert not (first == draws.rng_for(8, "test_a.py::test_x").random(4)).any()


#: Wrong on a coin flip of numpy's global generator, unseeded: the same on a regrade only
#: because the worker seeds the global generators from the submission's seed.
COIN = """\
_right = lorentzian
def lorentzian(x, eps):
    wrong = np.ndim(eps) > 0 or float(eps) != 1.0  # the visible checks use eps = 1
    return _right(x, eps) * (1.0 + 1e-3 * (wrong and np.random.rand() < 0.5))
"""


@pytest.mark.slow
def test_the_same_secret_regrades_byte_for_byte_and_another_draws_anew(hw01, tmp_path):
    """A submission that answers by a table of orders (right on the asymptotic order only) and
    one that flips coins, beside the reference: same secret, same gradebook; another secret,
    other seeds."""
    table = make_submission(
        tmp_path,
        "order_table",
        replace={m.question: m.source for m in hw01.mutants if m.name == "order_table"},
    )
    coin = make_submission(tmp_path, "coin", extra_cells=[COIN])
    subs = [
        Submission("reference", solution_notebook(hw01.name)),
        Submission("table", table),
        Submission("coin", coin),
    ]
    limits = load_limits(hw01, "cpu")
    books, seeds, flips = [], [], []
    for secret in ("the autumn term secret",) * 2 + ("the spring term secret",):
        results = grade_many(hw01, subs, limits=limits, secret=secret)
        out = tmp_path / f"out-{len(books)}"
        write_reports(hw01, results, out)
        books.append((out / "grades.csv").read_bytes())
        seeds.append([r.seed for r in results])
        flips.append([(t.name, t.passed) for q in results[2].questions for t in q.tests])
        assert results[0].total == hw01.max_total and results[1].total < hw01.max_total
        assert 0 < results[2].total < hw01.max_total
    assert books[0] == books[1] and seeds[0] == seeds[1] and flips[0] == flips[1]
    assert len({*seeds[0], *seeds[2]}) == 6  # per submission and per secret


#: The assignments whose suites draw inputs, and a few submissions' worth of other draws.
DRAWING = ["hw01_delta_sequences", "hw06_double_descent", "hw08_transition_to_linearity"]


@pytest.mark.slow
@pytest.mark.parametrize("name", DRAWING)
def test_the_reference_keeps_full_marks_whatever_is_drawn(name, tmp_path):
    """Three more draws per assignment (the code differs by a comment, so the seed does)."""
    assignment = load_assignment(name)
    subs = [
        Submission(
            f"variant{k}",
            make_submission(tmp_path, f"v{k}", extra_cells=[f"# {k}"], assignment=name),
        )
        for k in range(3)
    ]
    results = grade_many(
        assignment, subs, limits=load_limits(assignment, "cpu"), secret="yet another course secret"
    )
    assert len({r.seed for r in results}) == 3
    for r in results:
        lost = {q.question: q.score for q in r.questions if q.score < q.max_score}
        assert r.total == assignment.max_total, (r.seed, lost, r.reason)
