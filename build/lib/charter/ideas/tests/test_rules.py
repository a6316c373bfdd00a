"""The idea pipeline rules, without a database."""

import pytest

from charter.ideas import rules


@pytest.mark.parametrize("to", ["exploring", "adopted", "parked", "rejected"])
def test_new_ideas_may_move_anywhere(to):
    assert rules.move_error("new", to) is None


@pytest.mark.parametrize(
    "before, to, words",
    [
        ("new", "new", "already new"),
        ("adopted", "exploring", "stays adopted"),
        ("parked", "adopted", "can move to exploring, rejected"),
        ("new", "done", "Unknown status"),
    ],
)
def test_refused_moves_say_why(before, to, words):
    assert words in rules.move_error(before, to)


def test_rejected_ideas_can_be_reconsidered():
    assert rules.move_error("rejected", "exploring") is None
