"""A decision's decide-by day (`needed_by`): refused in the past on record, kept through every interface,
shown on the decision page and in the log, "overdue" once past while the record still waits."""

import json
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from charter.core.errors import ValidationError
from charter.delegation import rules, services
from charter.delegation.models import Decision
from charter.organizations.services import token_create

from .factories import make_cast, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(owner):
    return make_cast(owner)


def _today() -> date:
    return timezone.localdate()


def test_the_rules_refuse_a_past_day_and_call_a_waiting_record_overdue():
    today = date(2026, 12, 7)
    assert rules.needed_by_error(None, today) == ""
    assert rules.needed_by_error(today, today) == ""
    assert "2026-12-06" in rules.needed_by_error(date(2026, 12, 6), today)
    assert rules.is_overdue(date(2026, 12, 6), True, today)
    assert not rules.is_overdue(today, True, today)
    assert not rules.is_overdue(date(2026, 12, 6), False, today)  # decided: no longer overdue
    assert not rules.is_overdue(None, True, today)


def test_record_keeps_the_day_and_refuses_a_past_one_on_the_field(cast):
    due = _today() + timedelta(days=5)
    kept = record(cast.bob, cast.product, cast.domain, "Raise prices", needed_by=due).decision
    assert Decision.objects.for_org(cast.owner.organization).get(pk=kept.pk).needed_by == due
    assert record(cast.bob, cast.product, cast.domain, needed_by=_today()).decision.needed_by == _today()
    assert record(cast.bob, cast.product, cast.domain).decision.needed_by is None
    with pytest.raises(ValidationError) as refused:
        record(cast.bob, cast.product, cast.domain, "Too late", needed_by=_today() - timedelta(days=1))
    assert set(refused.value.errors) == {"needed_by"}
    assert "already past" in refused.value.errors["needed_by"][0]
    assert not Decision.objects.for_org(cast.owner.organization).filter(title="Too late").exists()
    # With other errors, every field's error is given at once.
    with pytest.raises(ValidationError) as both:
        services.decision_record(
            actor=cast.bob, team_id=cast.product.pk, domain_id=cast.domain.pk, title=" ", decision="x",
            needed_by=date(2000, 1, 1),
        )  # fmt: skip
    assert set(both.value.errors) == {"title", "needed_by"}


def test_today_is_the_recorders_own(cast):
    """At 23:30 UTC on 7 December it is already the 8th in Tokyo: the 7th is past there, not in UTC."""
    moment = datetime(2026, 12, 7, 23, 30, tzinfo=ZoneInfo("UTC"))
    cast.bob.user.time_zone = "Asia/Tokyo"
    with mock.patch("django.utils.timezone.now", return_value=moment):
        with pytest.raises(ValidationError) as refused:
            record(cast.bob, cast.product, cast.domain, needed_by=date(2026, 12, 7))
        assert "needed_by" in refused.value.errors
        cast.bob.user.time_zone = "UTC"
        assert record(cast.bob, cast.product, cast.domain, needed_by=date(2026, 12, 7)).decision.pk


def _api(client, actor, method, url, body=None):
    _, raw = token_create(actor=actor, name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    if method == "GET":
        return client.get(f"/api/v1{url}", headers=headers)
    return client.post(
        f"/api/v1{url}", data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_rest_round_trip_with_overdue_and_field_errors(client, cast):
    due = _today() + timedelta(days=3)
    body = {"team_id": cast.product.pk, "domain_id": cast.domain.pk, "title": "Raise", "decision": "+5%"}
    created = _api(client, cast.bob, "POST", "/decisions", body | {"needed_by": due.isoformat()})
    assert created.status_code == 201, created.content
    out = created.json()["decision"]
    assert out["needed_by"] == due.isoformat() and out["overdue"] is False
    read = _api(client, cast.bob, "GET", f"/decisions/{out['id']}").json()
    assert read["needed_by"] == due.isoformat() and read["overdue"] is False
    # A day that passed while the record waits: overdue; once decided, no longer.
    Decision.objects.for_org(cast.owner.organization).filter(pk=out["id"]).update(
        needed_by=_today() - timedelta(days=2)
    )
    assert _api(client, cast.bob, "GET", f"/decisions/{out['id']}").json()["overdue"] is True
    decided = _api(client, cast.ana, "POST", f"/decisions/{out['id']}/respond", {"action": "decide"})
    assert decided.status_code == 200 and decided.json()["decision"]["overdue"] is False
    # Without it: null. In the past: 422 on the field. Not a day: 422 too.
    plain = _api(client, cast.bob, "POST", "/decisions", body).json()["decision"]
    assert plain["needed_by"] is None and plain["overdue"] is False
    past = _api(client, cast.bob, "POST", "/decisions", body | {"needed_by": "2001-01-01"})
    assert past.status_code == 422 and "needed_by" in past.json()["errors"]
    garbage = _api(client, cast.bob, "POST", "/decisions", body | {"needed_by": "next friday"})
    assert garbage.status_code == 422 and "needed_by" in json.dumps(garbage.json())


def test_the_form_takes_the_day_and_puts_a_past_one_beside_the_field(cast, login):
    web = login(cast.bob)
    form = web.get(reverse("decision_create")).content.decode()
    assert 'type="date"' in form and 'name="needed_by"' in form and "Decide by" in form
    fields = {"team_id": cast.product.pk, "domain_id": cast.domain.pk, "title": "Raise", "decision": "+5%"}
    past = web.post(reverse("decision_create"), fields | {"needed_by": "2001-01-01"})
    page = past.content.decode()
    assert past.status_code == 422 and "already past" in page
    # The message sits beside the field, not in the form's general alert.
    assert '<div class="invalid-feedback d-block" id="id_needed_by_error">The decide-by day' in page
    assert "alert-danger" not in page
    bad = web.post(reverse("decision_create"), fields | {"needed_by": "31/31/2026"})
    assert bad.status_code == 422
    assert "The decide-by day must be a date, such as 2027-01-31." in bad.content.decode()
    due = _today() + timedelta(days=4)
    done = web.post(reverse("decision_create"), fields | {"needed_by": due.isoformat()}, follow=True)
    text = done.content.decode()
    assert done.status_code == 200 and f'datetime="{due.isoformat()}"' in text and "Decide by" in text
    assert "overdue" not in text
    assert Decision.objects.for_org(cast.owner.organization).get(title="Raise").needed_by == due


def test_the_page_and_the_log_say_overdue_while_waiting_only(cast, login):
    waiting = record(cast.bob, cast.product, cast.domain, "Waiting one", needed_by=_today()).decision
    soon = record(cast.bob, cast.product, cast.domain, "Soon one", needed_by=_today() + timedelta(1)).decision
    Decision.objects.for_org(cast.owner.organization).filter(pk=waiting.pk).update(needed_by=date(2026, 1, 5))
    web = login(cast.ana)
    page = web.get(reverse("decision_detail", args=[waiting.pk])).content.decode()
    assert "Decide by" in page and "5 Jan 2026" in page and "overdue" in page
    assert "overdue" not in web.get(reverse("decision_detail", args=[soon.pk])).content.decode()
    log = web.get(reverse("decision_log")).content.decode()
    assert 'decide by <time datetime="2026-01-05">5 Jan 2026</time>, overdue' in log
    assert f'decide by <time datetime="{soon.needed_by.isoformat()}">' in log
    assert log.count(", overdue") == 1
    services.decision_respond(actor=cast.ana, decision_id=waiting.pk, action="decide")
    page = web.get(reverse("decision_detail", args=[waiting.pk])).content.decode()
    assert "Decide by" in page and "overdue" not in page  # the day stays on the record
    log = web.get(reverse("decision_log")).content.decode()
    assert "overdue" not in log and "2026-01-05" not in log  # a decided row has no decide-by line


def test_home_lists_the_day_a_waiting_decision_is_needed_by(cast, login):
    due = record(cast.bob, cast.product, cast.domain, "Due one", needed_by=_today() + timedelta(2)).decision
    late = record(cast.bob, cast.product, cast.domain, "Late one", needed_by=_today()).decision
    Decision.objects.for_org(cast.owner.organization).filter(pk=late.pk).update(needed_by=date(2026, 1, 5))
    home = login(cast.ana).get(reverse("home")).content.decode()
    assert f'decide by <time datetime="{due.needed_by.isoformat()}">' in home
    assert (
        'decide by <time datetime="2026-01-05">5 Jan 2026</time>, <strong class="text-danger">overdue' in home
    )
    assert home.count(">overdue<") == 1
