"""The log scan (tests/log_scan.py) catches what it must, and Charter's log filters keep tokens out."""

import logging
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from charter.core.log_filters import redact
from tests.log_scan import SCAN

BASE_DIR = Path(__file__).resolve().parent.parent


def test_a_token_logged_at_debug_by_any_logger_is_caught():
    logging.getLogger("some.library").debug("using chr_0a1b2c3d_%s", "x" * 30)
    assert [leak for leak in SCAN.take() if "an API token" in leak and "'some.library'" in leak]


def test_a_generated_secret_is_caught_and_the_password_too():
    value = secrets.token_urlsafe(32)
    logging.getLogger("charter.anything").info("secret=%s", value)
    logging.getLogger("charter.anything").error("failed", exc_info=ValueError("correct-horse-battery-staple"))
    leaks = SCAN.take()
    assert any("a generated secret" in leak for leak in leaks)
    assert any("the factories' password" in leak for leak in leaks)


def test_harmless_records_pass():
    logging.getLogger("charter.anything").warning("a goal changed: %s", "Grow revenue")
    assert SCAN.take() == []


def test_the_redaction_blanks_push_urls_and_token_plaintexts():
    assert redact("Unprocessable Content: /inbound/AbC_12-xyz_9876543210/") == (
        "Unprocessable Content: /inbound/[redacted]/"
    )
    assert redact("header chr_0a1b2c3d_" + "s" * 43) == "header chr_[redacted]"


@pytest.mark.django_db
def test_a_refused_push_is_logged_without_its_token(client, owner, caplog):
    from charter.metrics.services import metric_create, source_create

    metric = metric_create(actor=owner, name="Signups")
    token = source_create(actor=owner, name="Push", kind="inbound", metric_id=metric.pk).token
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(reverse("metric_inbound_token", args=[token]), {"value": "many"})
    assert response.status_code == 422
    assert "/inbound/[redacted]/" in caplog.text and token not in caplog.text
    assert SCAN.take() == []


LEAKY_TEST = """
import logging


def test_leaks():
    logging.getLogger("leaky").debug("Authorization: Bearer chr_0a1b2c3d_%s", "z" * 40)


def test_clean():
    logging.getLogger("clean").debug("nothing to see")
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_run_whose_logs_hold_a_secret_fails(tmp_path, workers):
    (tmp_path / "test_leaky.py").write_text(LEAKY_TEST)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(BASE_DIR / "pyproject.toml"), "--rootdir", str(BASE_DIR)]
        + ["-p", "tests.log_scan", "-p", "no:cacheprovider", "-q", *workers, str(tmp_path / "test_leaky.py")],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "A secret reached the logs" in result.stdout
    assert "an API token" in result.stdout and "'leaky'" in result.stdout
    assert "ERROR" in result.stdout and "test_leaks - A secret reached the logs" in result.stdout
    assert "1 error" in result.stdout and "test_clean" not in result.stdout.split("short test summary")[-1]


def test_gunicorn_access_lines_lose_the_push_token():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from charter.core.gunicorn_logging import RedactingLogger

    token = secrets.token_urlsafe(24)
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/inbound/{token}/",
        "PATH_INFO": f"/inbound/{token}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.4",
    }
    response = SimpleNamespace(status="200 OK", sent=12, headers=[])
    request = SimpleNamespace(headers=[("AUTHORIZATION", f"Bearer {token}")])
    atoms = RedactingLogger(Config()).atoms(response, request, environ, timedelta(milliseconds=3))
    assert token not in repr(atoms)
    assert atoms["r"] == "POST /inbound/[redacted]/ HTTP/1.1"
