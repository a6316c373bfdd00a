from datetime import date

from charter.pulse import rules


def test_enps_is_promoters_minus_detractors_in_percent():
    # 4 promoters (9, 10), 3 passives (7, 8), 3 detractors (0-6) of 10: 40% - 30% = 10
    counts = {10: 2, 9: 2, 8: 2, 7: 1, 6: 1, 3: 1, 0: 1}
    assert rules.enps(counts) == 10.0
    assert rules.enps({10: 5}) == 100.0
    assert rules.enps({0: 3, 6: 2}) == -100.0
    assert rules.enps({}) is None
    assert rules.enps_to_100(10.0) == 55.0


def test_mean_and_scale_mapping():
    assert rules.mean({5: 2, 3: 2}) == 4.0
    assert rules.scale_to_100(4.0, rules.SCALE5) == 75.0
    assert rules.scale_to_100(1, rules.SCALE5) == 0.0


def test_answers_must_fit_the_scale():
    assert rules.answer_error(rules.SCALE5, 0, "") == "Pick a number from 1 to 5."
    assert rules.answer_error(rules.SCALE10, 0, "") is None
    assert rules.answer_error(rules.SCALE10, True, "") is not None
    assert rules.answer_error(rules.TEXT, None, " ") is not None


def test_schedule_dates():
    assert rules.next_opening(date(2026, 1, 31), "monthly") == date(2026, 2, 28)
    assert rules.closes_on(date(2026, 1, 5), "weekly") == date(2026, 1, 11)
    assert rules.closes_on(date(2026, 1, 5), "monthly") == date(2026, 1, 11)


def test_five_is_enough_four_is_not():
    assert not rules.enough(4)
    assert rules.enough(5)
