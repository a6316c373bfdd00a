"""The pure rules of reviews and of goal revisions."""

import pytest

from charter.goals.revisions import describe, word_diff
from charter.reviews import rules


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        (None, 0.0),
        (-0.3, 0.0),
        (0.0, 0.0),
        (0.04, 0.0),
        (0.05, 0.1),
        (0.449, 0.4),
        (0.65, 0.7),
        (0.7, 0.7),
        (1.0, 1.0),
        (1.6, 1.0),
    ],
)
def test_suggested_grade_is_clamped_progress_rounded_to_a_tenth(progress, expected):
    assert rules.suggested_grade(progress) == expected


def test_attained_against_the_mark():
    assert rules.attained(0.7, 0.7) is True
    assert rules.attained(0.69, 0.7) is False
    assert rules.attained(None, 0.7) is None


def test_lock_reason_by_state():
    assert rules.lock_reason("Q1", "active") is None
    assert rules.lock_reason("Q1", "reviewing") is None
    assert "closed" in rules.lock_reason("Q1", "closed")
    assert "planning" in rules.lock_reason("Q1", "planning")


def test_grade_errors():
    assert rules.grade_errors(0.5) == []
    assert rules.grade_errors(None)
    assert "1.2" in rules.grade_errors(1.2)[0]


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("faster onboarding for all", "faster onboarding for new customers") == [
        ("same", "faster onboarding for"),
        ("removed", "all"),
        ("added", "new customers"),
    ]
    assert word_diff(None, "new") == [("added", "new")]


def test_describe_labels_fields_and_diffs_texts_only():
    rows = describe({"end_state": ["a b", "a c"], "target": [10, 20]})
    assert rows[0]["label"] == "End state" and rows[0]["diff"]
    assert rows[1]["label"] == "Target" and rows[1]["diff"] == [] and rows[1]["new"] == 20
