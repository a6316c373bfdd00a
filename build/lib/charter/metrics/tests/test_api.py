"""The metrics API: create, read, update, record and list values, sources and their runs."""

import json

from charter.organizations.services import token_create


def _headers(actor):
    return {"Authorization": f"Bearer {token_create(actor=actor, name='t')[1]}"}


def _post(client, url, body, h):
    return client.post(url, json.dumps(body), content_type="application/json", headers=h)


def test_metrics_round_trip(client, owner, cycle):
    h = _headers(owner)
    created = _post(
        client, "/api/v1/metrics", {"name": "Churn", "direction": "lower", "healthy": 2, "critical": 5}, h
    )
    assert created.status_code == 201, created.content
    metric_id = created.json()["id"]
    bad = _post(
        client, "/api/v1/metrics", {"name": "Bad", "direction": "lower", "healthy": 5, "critical": 2}, h
    )
    assert bad.status_code == 422 and "critical" in bad.json()["errors"]
    assert (
        _post(client, f"/api/v1/metrics/{metric_id}/values", {"value": 3.5, "note": "Q1"}, h).status_code
        == 201
    )
    got = client.get(f"/api/v1/metrics/{metric_id}", headers=h).json()
    assert (got["current"], got["health"]) == (3.5, "warning")
    values = client.get(f"/api/v1/metrics/{metric_id}/values", headers=h).json()
    assert values["count"] == 1 and values["items"][0]["note"] == "Q1"
    patched = client.patch(
        f"/api/v1/metrics/{metric_id}",
        json.dumps({"critical": None}),
        content_type="application/json",
        headers=h,
    )
    assert (
        patched.status_code == 200 and patched.json()["critical"] is None and patched.json()["healthy"] == 2
    )
    assert client.get("/api/v1/metrics", headers=h).json()["count"] == 1


def test_sources_round_trip(client, owner, metric, server):
    base, routes = server
    routes["/x"] = (200, b'{"v": 99.95}')
    h = _headers(owner)
    body = {"name": "Probe", "kind": "json", "metric_id": metric.pk, "url": base + "/x", "json_path": "v"}
    assert _post(client, "/api/v1/sources", body, h).status_code == 422  # private address, no flag
    created = _post(client, "/api/v1/sources", {**body, "allow_private": True}, h)
    assert created.status_code == 201 and "token" not in created.json()
    source_id = created.json()["id"]
    run = _post(client, f"/api/v1/sources/{source_id}/run", {}, h).json()
    assert run["ok"] and run["value"] == 99.95
    assert client.get(f"/api/v1/sources/{source_id}/runs", headers=h).json()["count"] == 1
    assert client.get(f"/api/v1/sources/{source_id}", headers=h).json()["last_value"] == 99.95
    assert client.get(f"/api/v1/sources?metric_id={metric.pk}", headers=h).json()["count"] == 1
