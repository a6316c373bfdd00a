"""The strategy map's cards (`goals/_map_cards.jinja`): their numbers read as Django's filters write
them."""

import pytest
from django.template.defaultfilters import floatformat

from charter.core.jinja import number
from charter.core.templatetags.charter import progress_bar
from charter.goals.partials import kr_value

VALUES = [None, 0.0, -0.0, 1.0, 2.0, 5.5, 123.9, 2.675, 0.125, 1.005, -3.5, -0.001, -0.005, 1e-7, 99.999]
VALUES += [12345678.9, 0.1 + 0.2, -12.345, 1e20, 1 / 3, -2 / 3]


@pytest.mark.parametrize("value", VALUES)
def test_numbers_read_as_floatformat_minus_two(value):
    assert number(value) == floatformat(value, "-2")


def test_key_result_value_and_progress_bar():
    kr = {"kind": "range", "progress": 1.2, "current": 7.5, "target": 5, "target_max": 8.25, "unit": "<d>"}
    assert kr_value(kr) == "7.50 → 5–8.25 <d>"
    assert kr_value({**kr, "kind": "milestone"}) == "done"
    bar = progress_bar(1.2, "Speed")
    assert 'value="1.200"' in bar and "progress-exceeded" in bar and ">120%<" in bar
