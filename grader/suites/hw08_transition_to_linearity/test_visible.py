"""The notebook's visible checks, run on the trusted side: each gates its question."""

import pytest

from grader.checks import run_visible, visible_params
from grader.suites.hw08_transition_to_linearity import QUESTIONS, VISIBLE, VISIBLE_NAMES


@pytest.mark.parametrize("question", visible_params(VISIBLE))
def test_visible_checks(impl, question):
    run_visible(VISIBLE[question], VISIBLE_NAMES, impl, list(QUESTIONS))
