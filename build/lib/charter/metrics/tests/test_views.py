"""Pages of metrics and sources, the inbound URL, the goal panel, query counts, isolation."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.goals.models import CheckIn
from charter.metrics.models import Metric, MetricValue, SourceRun
from charter.metrics.services import metric_create, metric_value_record, source_create


def _inbound(client, token, body, **kwargs):
    return client.post(
        reverse("metric_inbound_token", args=[token]),
        json.dumps(body),
        content_type="application/json",
        **kwargs,
    )


def test_inbound_post_writes_a_value(client, owner, metric):
    source = source_create(actor=owner, name="Status page", kind="inbound", metric_id=metric.pk)
    response = _inbound(client, source.token, {"value": 12.5})
    assert response.status_code == 200 and response.json()["value"] == 12.5
    value = MetricValue.objects.for_org(owner.organization).get()
    assert (value.value, value.source_id, value.author_id) == (12.5, source.pk, owner.user_id)
    # A form field and a Bearer header work too.
    assert (
        client.post(reverse("metric_inbound_token", args=[source.token]), {"value": "13"}).status_code == 200
    )
    header = {"HTTP_AUTHORIZATION": f"Bearer {source.token}"}
    assert client.post(reverse("metric_inbound"), {"value": "14"}, **header).status_code == 200
    metric.refresh_from_db()
    assert metric.current == 14
    assert SourceRun.objects.for_org(owner.organization).filter(trigger="inbound", ok=True).count() == 3


def test_inbound_to_a_key_result_is_a_check_in(client, owner, key_result):
    source = source_create(actor=owner, name="CRM", kind="inbound", key_result_id=key_result.pk)
    assert _inbound(client, source.token, {"value": 30}).status_code == 200
    assert CheckIn.objects.for_org(owner.organization).get().value == 30


def test_inbound_refuses_an_unknown_token_and_a_non_number(client, owner, metric):
    source = source_create(actor=owner, name="Status page", kind="inbound", metric_id=metric.pk)
    assert _inbound(client, "not-a-real-token", {"value": 1}).status_code == 401
    assert client.post(reverse("metric_inbound"), {"value": "1"}).status_code == 401
    for body in ({"value": "twelve"}, {"value": True}, {}, ["x"]):
        response = _inbound(client, source.token, body)
        assert response.status_code == 422 and response.json()["errors"]["value"]
    assert (
        client.post(
            reverse("metric_inbound_token", args=[source.token]), "{bad", content_type="application/json"
        ).status_code
        == 422
    )
    assert MetricValue.objects.for_org(owner.organization).count() == 0
    source.refresh_from_db()
    assert source.consecutive_failures == 5 and "not a number" in source.last_error
    assert client.get(reverse("metric_inbound_token", args=[source.token])).status_code == 405


def test_an_inactive_source_token_is_unknown(client, owner, metric):
    source = source_create(actor=owner, name="Off", kind="inbound", metric_id=metric.pk, is_active=False)
    assert _inbound(client, source.token, {"value": 1}).status_code == 401


def _grow(owner, n, start):
    for i in range(start, n):
        metric = metric_create(actor=owner, name=f"Metric {i:03}", healthy=10, critical=1)
        metric_value_record(actor=owner, metric_id=metric.pk, value=i % 12)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_metrics(owner, login, django_assert_num_queries):
    client = login(owner)
    _grow(owner, 10, 0)
    url = reverse("metric_list")
    client.get(url)  # the first request of a session does its own one-off writes
    count = _count(client, url)
    _grow(owner, 100, 10)
    with django_assert_num_queries(count):
        page = client.get(url).content.decode()
    assert "Metric 099" in page and "Critical" in page and "Healthy" in page


def test_metric_page_shows_health_chart_and_sources(owner, login, metric, key_result):
    metric_value_record(actor=owner, metric_id=metric.pk, value=99.2)
    source_create(actor=owner, name="Status page", kind="inbound", metric_id=metric.pk)
    page = login(owner).get(reverse("metric_detail", args=[metric.pk])).content.decode()
    assert "Warning" in page and 'id="metric-data"' in page and "Status page" in page
    assert "metrics/metric_chart.js" in page and "<script>" not in page


def test_create_edit_and_record_through_the_pages(owner, login, cycle):
    from charter.goals.tests.factories import make_goal

    goal = make_goal(owner, cycle, "Reliable")
    client = login(owner)
    bad = client.post(
        reverse("metric_create"),
        {"name": "Latency", "direction": "lower", "healthy": "500", "critical": "200"},
    )
    assert bad.status_code == 422 and "must be below" in bad.content.decode()
    assert Metric.objects.for_org(owner.organization).count() == 0
    response = client.post(
        reverse("metric_create"),
        {
            "name": "Latency",
            "direction": "lower",
            "healthy": "200",
            "critical": "500",
            "unit": "ms",
            "goal_ids": [goal.pk],
        },
    )
    metric = Metric.objects.for_org(owner.organization).get()
    assert response.status_code == 302 and list(metric.goals.all()) == [goal]
    assert client.post(reverse("metric_value_create", args=[metric.pk]), {"value": "abc"}).status_code == 422
    assert client.post(reverse("metric_value_create", args=[metric.pk]), {"value": "650"}).status_code == 302
    metric.refresh_from_db()
    assert metric.health == "critical"
    edit = client.post(
        reverse("metric_edit", args=[metric.pk]),
        {"name": "p95 latency", "direction": "lower", "healthy": "300"},
    )
    assert edit.status_code == 302
    goal_page = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert "Metrics and data sources" in goal_page
    # Unlinked by the edit (no goals posted).
    assert "No metric linked to this goal." in goal_page


def test_goal_panel_shows_linked_metrics_and_failing_sources(owner, login, key_result):
    metric = metric_create(actor=owner, name="Activation rate", goal_ids=[key_result.goal_id])
    source = source_create(actor=owner, name="CRM feed", kind="inbound", key_result_id=key_result.pk)
    login(owner).post(reverse("metric_inbound_token", args=[source.token]), {"value": "x"})
    page = login(owner).get(reverse("goal_detail", args=[key_result.goal_id])).content.decode()
    assert metric.name in page and "CRM feed" in page and "Failing (1 in a row)" in page


def test_source_page_pull_now_and_log(owner, login, metric, server):
    base, routes = server
    routes["/v.json"] = (200, b'{"value": 99.99}')
    client = login(owner)
    response = client.post(
        reverse("source_create"),
        {
            "name": "Probe",
            "kind": "json",
            "url": base + "/v.json",
            "json_path": "value",
            "csv_row": -1,
            "interval_minutes": 15,
            "is_active": "on",
            "allow_private": "on",
            "metric_id": metric.pk,
        },
    )
    assert response.status_code == 302
    source_url = response["Location"]
    pulled = client.post(source_url + "pull/", follow=True).content.decode()
    assert "Pulled 99.99" in pulled and "OK" in pulled
    routes["/v.json"] = (500, b"")
    failed = client.post(source_url + "pull/", follow=True).content.decode()
    assert "HTTP 500" in failed and "Failing (1 in a row)" in failed


def test_another_organizations_metric_and_source_are_404(owner, other_owner, login, metric):
    source = source_create(actor=owner, name="Status page", kind="inbound", metric_id=metric.pk)
    client = login(other_owner)
    for url in (
        reverse("metric_detail", args=[metric.pk]),
        reverse("source_detail", args=[source.pk]),
        reverse("metric_edit", args=[metric.pk]),
        reverse("source_create") + f"?metric={metric.pk}",
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("metric_value_create", args=[metric.pk]), {"value": "1"}).status_code == 404
    assert MetricValue.objects.for_org(owner.organization).count() == 0


def test_a_viewer_reads_but_does_not_manage(owner, login, metric):
    from charter.organizations.models import Role
    from charter.organizations.tests.factories import make_person

    viewer = make_person(owner, Role.VIEWER)
    source = source_create(actor=owner, name="Status page", kind="inbound", metric_id=metric.pk)
    client = login(viewer)
    page = client.get(reverse("source_detail", args=[source.pk])).content.decode()
    assert source.token not in page
    assert "Record a value" not in client.get(reverse("metric_detail", args=[metric.pk])).content.decode()
    assert client.post(reverse("metric_value_create", args=[metric.pk]), {"value": "1"}).status_code == 403
