"""The demo organization's decision history gives delegation advice of each kind, with the defaults."""

import pytest
from django.core.management import call_command

from charter.cli.demo.content import OWNER_EMAIL
from charter.delegation import rules, selectors
from charter.organizations.models import Organization, User
from charter.organizations.selectors import actor_for


@pytest.fixture
def maya(db, tmp_path):
    call_command("demo", stdout=(tmp_path / "out.txt").open("w"))
    return actor_for(user=User.objects.get(email=OWNER_EMAIL), organization=Organization.objects.get())


def test_the_demo_gives_advice_of_each_kind(maya):
    result = selectors.delegation_advice(actor=maya)
    by_kind = {a.kind: a for a in result["advice"]}
    assert set(by_kind) == set(rules.ADVICE_KINDS), [a.evidence for a in result["advice"]]
    assert by_kind[rules.RAISE].evidence == (
        "Budget under 10k, Platform: 14 of the last 15 proposals approved unchanged, median wait 2.1 days: "
        "consider level 6."
    )
    assert by_kind[rules.RAISE].leader_name == "Raj Patel"
    assert by_kind[rules.CLARIFY].evidence == (
        "Tech stack, Platform: 4 of the team's last 8 decisions superseded (1 reversed by a leader): clarify "
        "the intent, or consider level 6."
    )
    assert by_kind[rules.BOTTLENECK].leader_name == "Maya Chen"
    bottleneck = by_kind[rules.BOTTLENECK].evidence
    assert bottleneck.startswith("Maya Chen: 6 records waiting, median wait ")
    assert bottleneck.endswith(
        "4 of them wait in Roadmap, Leadership: consider level 4 there, so the team decides without waiting."
    )
    assert any(v.not_enough for v in result["verdicts"].values()), "most cells have too little history"
    assert [a.kind for a in selectors.advice_list(actor=maya, for_me=True)] == [rules.BOTTLENECK]
