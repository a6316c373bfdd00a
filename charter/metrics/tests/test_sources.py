"""Data sources against a local HTTP server: pulls, failures that write nothing, inbound, the schedule."""

import json

import pytest

from charter.core.errors import PermissionDenied, ValidationError
from charter.goals.models import CheckIn
from charter.goals.services import check_in_record
from charter.metrics import pulling, tasks
from charter.metrics.models import DataSource, MetricValue, SourceRun
from charter.metrics.services import source_create, source_update
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person


def _source(owner, target, **kwargs):
    kwargs.setdefault("allow_private", True)
    kwargs.setdefault("name", "Feed")
    return source_create(actor=owner, **target, **kwargs)


def _run(owner, source):
    return pulling.source_run_now(actor=owner, source_id=source.pk)


def _counts():
    return CheckIn.objects.unscoped().count(), MetricValue.objects.unscoped().count()


def test_a_json_pull_feeds_a_key_result_as_a_check_in_by_the_creator(owner, server, key_result):
    base, routes = server
    routes["/kpi.json"] = (200, json.dumps({"data": {"items": [{"value": 42}]}}).encode())
    check_in_record(actor=owner, key_result_id=key_result.pk, value=10, confidence=8)
    source = _source(
        owner,
        {"key_result_id": key_result.pk},
        kind="json",
        url=base + "/kpi.json",
        json_path="data.items[0].value",
    )
    run = _run(owner, source)
    assert run.ok and run.value == 42 and run.trigger == "manual"
    check_in = CheckIn.objects.for_org(owner.organization).order_by("-id").first()
    assert (check_in.value, check_in.confidence, check_in.author_id) == (42, 8, owner.user_id)
    assert "Feed" in check_in.note
    source.refresh_from_db()
    assert source.last_success_at and source.last_value == 42 and source.consecutive_failures == 0


def test_a_csv_pull_feeds_a_metric_from_the_last_row(owner, server, metric):
    base, routes = server
    routes["/uptime.csv"] = (200, b"day,uptime\n2026-01-01,99.1\n2026-01-02,99.95\n")
    source = _source(
        owner, {"metric_id": metric.pk}, kind="csv", url=base + "/uptime.csv", csv_column="uptime"
    )
    assert _run(owner, source).ok
    metric.refresh_from_db()
    assert metric.current == 99.95 and metric.health == "healthy"
    assert MetricValue.objects.for_org(owner.organization).get().source_id == source.pk


def test_a_key_result_never_checked_in_gets_confidence_5(owner, server, key_result):
    base, routes = server
    routes["/v"] = (200, b'{"v": "17"}')
    source = _source(owner, {"key_result_id": key_result.pk}, kind="json", url=base + "/v", json_path="v")
    assert _run(owner, source).ok
    assert CheckIn.objects.for_org(owner.organization).get().confidence == 5


@pytest.mark.parametrize(
    ("answer", "path", "error"),
    [
        ((500, b"oops"), "value", "HTTP 500"),
        ((200, b"{not json"), "value", "not valid JSON"),
        ((200, b'{"other": 1}'), "value", "No field “value”"),
        ((200, b'{"value": "n/a"}'), "value", "not a number"),
        ((404, b""), "value", "HTTP 404"),
    ],
)
def test_a_failing_pull_is_shown_on_the_source_and_writes_nothing(
    owner, server, metric, key_result, answer, path, error
):
    base, routes = server
    routes["/x"] = answer
    for target in ({"metric_id": metric.pk}, {"key_result_id": key_result.pk}):
        source = _source(owner, target, kind="json", url=base + "/x", json_path=path)
        before = _counts()
        run = _run(owner, source)
        assert not run.ok and error in run.error
        assert _counts() == before
        source.refresh_from_db()
        assert error in source.last_error and source.last_error_at and source.consecutive_failures == 1
        assert source.next_run_at > source.last_error_at and source.last_success_at is None
        _run(owner, source)
        source.refresh_from_db()
        assert source.consecutive_failures == 2


def test_a_connection_error_is_a_failure(owner, metric):
    source = _source(owner, {"metric_id": metric.pk}, kind="json", url="http://127.0.0.1:9/x", json_path="v")
    before = _counts()
    assert "Connection failed" in _run(owner, source).error
    assert _counts() == before


def test_a_private_address_is_refused_without_the_flag(owner, metric, server):
    base, routes = server
    routes["/x"] = (200, b'{"v": 1}')
    with pytest.raises(ValidationError) as refused:
        _source(
            owner, {"metric_id": metric.pk}, kind="json", url=base + "/x", json_path="v", allow_private=False
        )
    assert "url" in refused.value.errors
    # Allowed at save, then withdrawn straight in the table: the fetch checks again and writes nothing.
    source = _source(owner, {"metric_id": metric.pk}, kind="json", url=base + "/x", json_path="v")
    DataSource.objects.for_org(owner.organization).filter(pk=source.pk).update(allow_private=False)
    run = _run(owner, source)
    assert not run.ok and "private or reserved" in run.error
    assert MetricValue.objects.for_org(owner.organization).count() == 0


def test_only_an_admin_may_allow_private_addresses(owner, metric):
    leader = make_person(owner, Role.LEADER)
    with pytest.raises(PermissionDenied):
        source_create(
            actor=leader,
            name="x",
            kind="json",
            metric_id=metric.pk,
            url="https://example.com/x",
            json_path="v",
            allow_private=True,
        )
    source = source_create(actor=leader, name="x", kind="inbound", metric_id=metric.pk)
    with pytest.raises(PermissionDenied):
        source_update(actor=leader, source_id=source.pk, allow_private=True)


def test_a_source_feeds_exactly_one_target_of_the_organization(owner, other_owner, metric, key_result):
    with pytest.raises(ValidationError):
        source_create(actor=owner, name="x", kind="inbound", metric_id=metric.pk, key_result_id=key_result.pk)
    with pytest.raises(ValidationError):
        source_create(actor=owner, name="x", kind="inbound")
    from charter.core.errors import NotFound

    with pytest.raises(NotFound):
        source_create(actor=other_owner, name="x", kind="inbound", metric_id=metric.pk)


def test_the_scheduler_enqueues_due_pulls_and_not_others(owner, metric, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    queued = []
    fake = type("FakeTask", (), {"enqueue": staticmethod(lambda **kw: queued.append(kw["source_id"]))})
    monkeypatch.setattr(tasks, "source_pull", fake)
    make = lambda name, **kw: _source(owner, {"metric_id": metric.pk}, name=name, **kw)  # noqa: E731
    never_ran = make("new", kind="json", url="https://example.com/a", json_path="v")
    due = make("due", kind="json", url="https://example.com/b", json_path="v")
    later = make("later", kind="csv", url="https://example.com/c", csv_column="v")
    off = make("off", kind="json", url="https://example.com/d", json_path="v", is_active=False)
    inbound = make("inbound", kind="inbound")
    now = timezone.now()
    rows = DataSource.objects.for_org(owner.organization)
    rows.filter(pk=due.pk).update(next_run_at=now - timedelta(minutes=1))
    rows.filter(pk=later.pk).update(next_run_at=now + timedelta(minutes=30))
    assert sorted(tasks.source_pulls_enqueue("2026-01-01T00:00")) == sorted([never_ran.pk, due.pk])
    assert sorted(queued) == sorted([never_ran.pk, due.pk])
    assert off.pk not in queued and inbound.pk not in queued
    # Enqueued sources are claimed ahead: the next minute does not enqueue them again.
    assert tasks.source_pulls_enqueue("2026-01-01T00:01") == []


def test_the_pull_task_runs_the_source(owner, server, metric):
    base, routes = server
    routes["/v"] = (200, b"[3]")
    source = _source(owner, {"metric_id": metric.pk}, kind="json", url=base + "/v", json_path="[0]")
    assert tasks.source_pull.call(source_id=source.pk) == "ok"
    assert SourceRun.objects.for_org(owner.organization).get().trigger == "schedule"


def test_an_inbound_source_cannot_be_pulled(owner, metric):
    source = source_create(actor=owner, name="push", kind="inbound", metric_id=metric.pk)
    with pytest.raises(ValidationError):
        _run(owner, source)


def test_a_creator_who_left_makes_the_source_fail(owner, metric):
    from charter.organizations.models import Membership

    leader = make_person(owner, Role.LEADER)
    source = source_create(actor=leader, name="push", kind="inbound", metric_id=metric.pk)
    Membership.objects.for_org(owner.organization).filter(user_id=leader.user_id).update(is_active=False)
    result = pulling.inbound_receive(pulling.inbound_source(source.token), 5)
    assert not result.ok and "no longer a member" in result.error
    assert MetricValue.objects.for_org(owner.organization).count() == 0


# ---- issue 15: findings 11 and 16 ----------------------------------------------------------------


def test_a_leader_cannot_point_a_private_source_at_another_address(owner, metric, server):
    # An admin allowed private addresses for this source; the leader who manages sources could then
    # re-point it at any internal URL, since the right was checked only when the flag changed.
    base, routes = server
    routes["/x"] = (200, b'{"v": 1}')
    leader = make_person(owner, Role.LEADER)
    source = _source(owner, {"metric_id": metric.pk}, kind="json", url=base + "/x", json_path="v")
    for url in (base + "/admin-only", "http://169.254.169.254/latest/meta-data/"):
        with pytest.raises(PermissionDenied, match="change the URL"):
            source_update(actor=leader, source_id=source.pk, url=url)
    source.refresh_from_db()
    assert source.url == base + "/x" and source.allow_private
    # What does not move it stays the leader's to change; so is turning the flag off.
    source_update(actor=leader, source_id=source.pk, name="Renamed", url=base + "/x")
    source_update(actor=leader, source_id=source.pk, allow_private=False, url="https://example.com/x")
    source.refresh_from_db()
    assert (source.name, source.url, source.allow_private) == ("Renamed", "https://example.com/x", False)
    # An admin may move it.
    source_update(actor=owner, source_id=source.pk, allow_private=True, url=base + "/x")


@pytest.mark.parametrize(
    "kind, body, extra",
    [
        ("json", b'{"v": "SECRET-db-password-hunter2"}', {"json_path": "v"}),
        ("json", b'{"v": {"token": "SECRET-db-password-hunter2"}}', {"json_path": "v"}),
        ("json", b'{"v": ["SECRET-db-password-hunter2"]}', {"json_path": "v"}),
        ("csv", b"SECRET-db-password-hunter2,other\n1,2\n", {"csv_column": "value"}),
        ("csv", b"value\nSECRET-db-password-hunter2\n", {"csv_column": "value"}),
        ("json", b"SECRET-db-password-hunter2", {"json_path": "v"}),
        ("json", b"[" * 100_000, {"json_path": "v"}),
        ("csv", b'value\n"SECRET-db-password-hunter2' + b"x" * 200_000 + b'"\n', {"csv_column": "value"}),
        ("csv", b"value\nSECRET-db-password-hunter2\x00\n", {"csv_column": "value"}),
    ],
)
def test_a_failed_run_never_shows_the_fetched_document(client, owner, metric, server, kind, body, extra):
    base, routes = server
    routes["/doc"] = (200, body)
    source = _source(owner, {"metric_id": metric.pk}, kind=kind, url=base + "/doc", **extra)
    run = _run(owner, source)
    assert not run.ok and run.error
    source.refresh_from_db()
    viewer = make_person(owner, Role.VIEWER)
    from charter.organizations.services import token_create

    headers = {"Authorization": f"Bearer {token_create(actor=viewer, name='v')[1]}"}
    seen = [
        run.error,
        source.last_error,
        client.get(f"/api/v1/sources/{source.pk}/runs", headers=headers).content.decode(),
        client.get(f"/api/v1/sources/{source.pk}", headers=headers).content.decode(),
    ]
    assert all("SECRET" not in text and "hunter2" not in text for text in seen), seen


def test_a_backslash_before_the_at_is_refused_on_save_and_fails_a_run_cleanly(owner, metric, server):
    base, routes = server
    routes["/x"] = (200, b'{"v": 1}')
    port = base.rsplit(":", 1)[1]
    bad = f"http://127.0.0.1:{port}\\@host.invalid/x"
    with pytest.raises(ValidationError) as refused:
        _source(owner, {"metric_id": metric.pk}, kind="json", url=bad, json_path="v")
    assert "backslash" in refused.value.errors["url"][0]
    # Stored before the check: the run fails with the reason (no 500, nothing fetched, nothing written).
    source = _source(owner, {"metric_id": metric.pk}, kind="json", url=base + "/x", json_path="v")
    DataSource.objects.for_org(owner.organization).filter(pk=source.pk).update(url=bad)
    run = _run(owner, source)
    assert not run.ok and "backslash" in run.error
    assert MetricValue.objects.for_org(owner.organization).count() == 0


def test_a_pull_resolves_once_and_connects_to_the_checked_address(owner, metric, server, monkeypatch):
    import socket

    from charter.core import outbound

    base, routes = server
    routes["/x"] = (200, b'{"v": 7}')
    port = int(base.rsplit(":", 1)[1])
    calls = []

    def resolver(host, port, *args, **kwargs):  # the loopback to the check, then somewhere else
        calls.append(host)
        ip = "127.0.0.1" if len(calls) == 1 else "10.1.1.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    connections = []
    real = socket.create_connection

    def connect(address, *args):
        connections.append(address)
        return real(address, *args)

    monkeypatch.setattr(outbound, "getaddrinfo", resolver)
    monkeypatch.setattr(outbound, "create_connection", connect)
    url = f"http://metrics.test:{port}/x"
    source = _source(owner, {"metric_id": metric.pk}, kind="json", url=url, json_path="v")
    assert _run(owner, source).value == 7
    assert calls == ["metrics.test"] and connections == [("127.0.0.1", port)]
    # Without the flag the same first answer is refused before any connection.
    calls.clear(), connections.clear()
    DataSource.objects.for_org(owner.organization).filter(pk=source.pk).update(allow_private=False)
    routes["/x"] = (200, b'{"v": 8}')
    run = _run(owner, source)
    assert not run.ok and "resolves to 127.0.0.1" in run.error
    assert calls == ["metrics.test"] and connections == []
    assert list(MetricValue.objects.for_org(owner.organization).values_list("value", flat=True)) == [7]


def test_an_inbound_source_keeps_no_url(owner, metric):
    source = source_create(
        actor=owner, name="push", kind="inbound", metric_id=metric.pk, url="http://" + "a" * 100_000
    )
    source.refresh_from_db()
    assert source.url == ""
