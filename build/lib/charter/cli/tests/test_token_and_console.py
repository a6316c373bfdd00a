"""`charter token create`, and the real `charter` console script refusing a bad goals file."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from charter.organizations.models import ApiToken
from charter.organizations.services import token_authenticate
from charter.organizations.tests.factories import make_person


def test_token_create_prints_the_raw_token_once(owner):
    member = make_person(owner)
    out, err = StringIO(), StringIO()
    call_command(
        "token",
        "create",
        "--email",
        member.user.email,
        "--name",
        "CI",
        "--days",
        "30",
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    token = token_authenticate(raw)
    assert token is not None and token.user == member.user and token.organization == owner.organization
    assert "shown only now" in err.getvalue()
    assert raw not in err.getvalue()
    assert ApiToken.objects.for_org(owner.organization).get().name == "CI"


def test_token_create_refuses_a_stranger_and_bad_input(owner, other_owner):
    with pytest.raises(CommandError, match="not an active member"):
        call_command(
            "token",
            "create",
            "--email",
            other_owner.user.email,
            "--organization",
            owner.organization.slug,
            "--name",
            "CI",
        )
    with pytest.raises(CommandError, match="Expiry must be between"):
        call_command(
            "token",
            "create",
            "--email",
            owner.user.email,
            "--organization",
            owner.organization.slug,
            "--name",
            "CI",
            "--days",
            "9999",
        )
    assert not ApiToken.objects.unscoped().exists()


def test_console_script_refuses_a_bad_file_with_its_line(tmp_path):
    charter = Path(sys.executable).with_name("charter")
    env = {
        **os.environ,
        "CHARTER_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([charter, "migrate", "-v0"], env=env, check=True, capture_output=True, timeout=120)
    bad = tmp_path / "goals.yaml"
    bad.write_text(
        "charter: 1\n"
        "cycles:\n"
        "  - {name: Q1, starts_on: 2026-01-01, ends_on: 2026-03-31}\n"
        "goals:\n"
        "  - key: a\n"
        "    title: More clinics try us\n"
        "    owner: ana@example.org\n"
        "    key_results:\n"
        "      - title: NPS\n"
        "        start: 31\n"
    )
    result = subprocess.run(
        [charter, "import", "goals.yaml", "--new-organization", "Acme", "--owner", "ana@example.org"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == 'goals.yaml:9: key result "NPS" has no target'
    assert "Traceback" not in result.stderr
