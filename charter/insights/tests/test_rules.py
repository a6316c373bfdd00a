"""Every indicator formula and profile factor on hand-built numbers with known answers."""

from datetime import date, datetime, timedelta

from charter.insights import rules

START = date(2026, 1, 5)


def test_attainment_rate():
    assert rules.attainment_rate([0.7, 0.5, 0.9, 0.2], 0.7).value == 50.0
    assert rules.attainment_rate([], 0.7).value is None


def test_check_in_participation_counts_weeks_since_creation():
    today = START + timedelta(days=20)  # week 2: weeks 0, 1, 2 expected
    krs = [
        (START, [START, START + timedelta(days=1), START + timedelta(days=15)]),  # weeks 0 and 2: 2 of 3
        (START + timedelta(days=14), [START + timedelta(days=16)]),  # created in week 2: 1 of 1
    ]
    figure = rules.check_in_participation(krs, START, today)
    assert figure.value == 75.0 and figure.detail == "3 of 4 key-result weeks"
    assert rules.check_in_participation([], START, today).value is None


def test_status_distribution():
    figure = rules.status_distribution(["on_track", "on_track", "at_risk", "stale"])
    assert figure.parts == {"on_track": 2, "at_risk": 1, "off_track": 0, "stale": 1, "none": 0}
    assert figure.value == 50.0
    figure = rules.status_distribution(["on_track", "none"])  # not checked in yet: counted, not on track
    assert figure.value == 50.0 and figure.detail.endswith("1 no status yet")
    assert rules.status_distribution([]).value is None


def test_decisions():
    assert rules.decision_latency([1.0, 10.0, 4.0]).value == 4.0
    assert rules.decision_latency([]).value is None
    assert rules.escalation_rate([True, False, False, False]).value == 25.0
    assert rules.escalation_rate([]).value is None


def test_back_briefs():
    assert rules.back_brief_confirmation_time([2.0, 6.0]).value == 4.0
    assert rules.back_brief_confirmation_time([]).value is None
    assert rules.back_brief_confirmed_share(3, 4).value == 75.0
    assert rules.back_brief_confirmed_share(0, 0).value is None


def test_ideas_per_member():
    assert rules.ideas_per_member(3, 4).value == 0.75
    assert rules.ideas_per_member(1, 4, adopted=True).code == "ideas_adopted_per_member"
    assert rules.ideas_per_member(3, 0).value is None


def test_pulse_figure_hidden_below_threshold():
    assert rules.pulse_figure("pulse_engagement", "Pulse engagement", 70.0, True, 6).value == 70.0
    assert rules.pulse_figure("pulse_engagement", "Pulse engagement", 70.0, False, 3).value is None


def test_hours_between():
    assert rules.hours_between(datetime(2026, 1, 1, 8), datetime(2026, 1, 2, 10)) == 26.0


def test_focus():
    assert rules.focus(aligned=3, with_intent=1, goals=4).value == 50.0
    assert rules.focus(0, 0, 0).value is None


def test_engagement_uses_what_is_known():
    assert rules.engagement(60.0, 80.0).value == 70.0
    assert rules.engagement(60.0, None).value == 60.0
    assert rules.engagement(None, None).value is None


def test_latency_score():
    assert rules.latency_score(10) == 100
    assert rules.latency_score(400) == 0
    assert rules.latency_score(180) == 50
    assert rules.latency_score(None) is None


def test_decision_making():
    # (1/2 * 100 + 7/7 * 100 + 100) / 3
    assert rules.decision_making(1, 2, 7.0, 24.0).value == round(250 / 3, 1)
    assert rules.decision_making(0, 0, 7.0, None).value is None  # no decisions: not enough data


def test_innovation():
    # 2 ideas for 4 members = 0.5 per member -> 50; 1 of 2 adopted = 0.5 / 0.25 capped -> 100
    assert rules.innovation(2, 1, 4).value == 75.0
    assert rules.innovation(0, 0, 4).value == 0.0  # members and no ideas: a real 0
    assert rules.innovation(0, 0, 0).value is None


def test_satisfaction_needs_five_respondents():
    assert rules.satisfaction(80.0, 5).value == 80.0
    assert rules.satisfaction(80.0, 4).value is None
    assert rules.satisfaction(None, 9).value is None


def test_reference_profiles_cover_the_five_factors():
    assert set(rules.MISSION_BASED) == set(rules.FACTORS) == set(rules.MICRO_MANAGEMENT)
    assert all(rules.MISSION_BASED[f] > rules.MICRO_MANAGEMENT[f] for f in rules.FACTORS)


def test_details_count_in_words_and_latency_reads_in_minutes_or_hours():
    assert rules.innovation(1, 0, 1).detail == "1 idea submitted, 0 adopted, 1 member"
    assert rules.ideas_per_member(2, 3).detail == "2 ideas, 3 members"
    detail = rules.decision_making(0, 0, None, None).detail
    assert detail == "0 of 0 decisions within authority, mean level not enough data, latency not enough data"
    assert rules.decision_latency([5.0]).detail == "1 decided decision"
    assert rules.satisfaction(None, 1).detail == "1 respondent"
    assert [rules.hours_text(h) for h in (None, 0.0, 0.3, 1.0, 26.5)] == [
        "not enough data", "under an hour", "18 min", "1 h", "26.5 h"
    ]  # fmt: skip


def test_a_same_day_latency_shows_in_minutes_not_zero_hours():
    from charter.insights.templatetags.insights import figure_value

    assert figure_value(rules.decision_latency([0.01])) == "under an hour"
    assert figure_value(rules.decision_latency([0.5])) == "30 min"
    assert figure_value(rules.decision_latency([3.0])) == "3 h"
