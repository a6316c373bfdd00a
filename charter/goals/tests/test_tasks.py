"""The weekly check-in reminder's title agrees with its count."""

from charter.goals.tasks import _title


def test_the_reminder_title_agrees_with_its_count():
    assert _title(1) == "1 key result waits for your weekly check-in"
    assert _title(3) == "3 key results wait for your weekly check-in"
