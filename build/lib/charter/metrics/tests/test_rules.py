"""Pure rules of metrics: health for each direction, threshold order, the JSON path and CSV readers."""

import pytest

from charter.metrics import extract, rules
from charter.metrics.rules import CRITICAL, HEALTHY, HIGHER, LOWER, UNKNOWN, WARNING


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, UNKNOWN),
        (100, HEALTHY),
        (99.9, HEALTHY),
        (99.7, WARNING),
        (99.5, WARNING),
        (99.2, CRITICAL),
        (99, CRITICAL),
        (50, CRITICAL),
    ],
)
def test_health_when_higher_is_better(value, expected):
    assert rules.health(HIGHER, value, healthy=99.9, warning=99.5, critical=99.2) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(100, HEALTHY), (200, HEALTHY), (300, WARNING), (400, WARNING), (500, CRITICAL), (900, CRITICAL)],
)
def test_health_when_lower_is_better(value, expected):
    assert rules.health(LOWER, value, healthy=200, warning=400, critical=500) == expected


def test_health_with_some_thresholds_only():
    assert rules.health(HIGHER, 5) == HEALTHY
    assert rules.health(HIGHER, 5, critical=3) == HEALTHY
    assert rules.health(HIGHER, 3, critical=3) == CRITICAL
    assert rules.health(LOWER, 5, healthy=4) == WARNING


def test_thresholds_must_follow_the_direction():
    assert rules.validate_thresholds(HIGHER, 99.9, 99.5, 99) == {}
    assert rules.validate_thresholds(LOWER, 200, 400, 500) == {}
    assert "warning" in rules.validate_thresholds(HIGHER, 90, 95, None)
    assert "critical" in rules.validate_thresholds(LOWER, 200, None, 100)
    assert "direction" in rules.validate_thresholds("sideways")


def test_retry_delay_doubles_and_is_capped():
    assert [rules.retry_delay_seconds(n) for n in (1, 2, 3)] == [60, 120, 240]
    assert rules.retry_delay_seconds(50) == rules.BACKOFF_CAP_SECONDS


DOC = {"data": {"items": [{"value": 12.5}, {"value": "7"}], "odd key": 3}}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("data.items[0].value", 12.5),
        ("$.data.items[-1].value", "7"),
        ('data["odd key"]', 3),
        ("data.items[1]", {"value": "7"}),
    ],
)
def test_json_path_reads_fields_and_indexes(path, expected):
    assert extract.json_value(DOC, path) == expected


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("data.items[5].value", "No item [5] in $.data.items"),
        ("data.nope", "No field “nope” in $.data"),
        ("data[0]", "No item [0] in $.data"),
    ],
)
def test_json_path_names_the_missing_step(path, message):
    with pytest.raises(
        extract.ExtractError, match=message.replace("[", r"\[").replace("]", r"\]").replace("$", r"\$")
    ):
        extract.json_value(DOC, path)


@pytest.mark.parametrize("path", ["", "data..x", "data[x]", "a b"])
def test_bad_paths_are_refused(path):
    with pytest.raises(extract.ExtractError):
        extract.parse_path(path)


CSV = "day,visits,errors\n2026-01-01,10,1\n2026-01-02,12,0\n\n"


def test_csv_reads_the_last_row_by_default_and_a_chosen_row():
    assert extract.csv_value(CSV, "visits") == "12"
    assert extract.csv_value(CSV, "visits", 0) == "10"
    assert extract.csv_value(CSV, "2") == "0"
    with pytest.raises(extract.ExtractError, match="No column"):
        extract.csv_value(CSV, "nope")
    with pytest.raises(extract.ExtractError, match="No data row 7"):
        extract.csv_value(CSV, "visits", 7)


@pytest.mark.parametrize(("raw", "expected"), [(3, 3.0), ("12.5", 12.5), (" 1,200 ", 1200.0), ("-4", -4.0)])
def test_numbers(raw, expected):
    assert extract.to_number(raw) == expected


@pytest.mark.parametrize("raw", [True, None, "n/a", "", "nan", "inf", [1], {"v": 1}])
def test_non_numbers_are_refused(raw):
    with pytest.raises(extract.ExtractError):
        extract.to_number(raw)
