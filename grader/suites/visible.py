"""The notebooks' visible checks, run on the trusted side for every assignment: each gates its
question (see :mod:`grader.runner`, which collects this module with each suite and parametrizes
the test by the assignment's ``VISIBLE`` questions)."""

from grader.checks import run_visible
from grader.impl import Impl
from grader.suites import Assignment


def test_visible_checks(impl: Impl, assignment: Assignment, question: str) -> None:
    run_visible(assignment.visible[question], assignment.visible_names, impl, question)
