"""A row's link from a template reversed once is the link `reverse` gives for that id."""

import pytest
from django.urls import reverse

from charter.core import links
from charter.core.links import id_url_template


@pytest.mark.parametrize("name", ["goal_detail", "key_result_create", "decision_detail", "team_detail"])
def test_the_template_gives_the_url_reverse_gives_for_every_id(name):
    template = id_url_template(name)
    for pk in (1, 9, 10, 987654, 987654321, 2**31 - 1):
        assert template.format(pk) == reverse(name, args=[pk])


def test_a_route_that_does_not_show_its_id_is_refused(monkeypatch):
    monkeypatch.setattr(links, "reverse", lambda name, args, **kwargs: "/goals/")
    with pytest.raises(ValueError, match="does not show its id"):
        id_url_template("goal_detail")
