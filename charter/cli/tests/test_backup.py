"""`charter backup` / `charter restore`: the round trip, refusals that write nothing, and an online backup.

Content is compared by `table_digests`, which reads every table with plain SQL and hashes the sorted
rows, so it shares nothing with the backup code's canonical encoding.
"""

import hashlib
import json
import os
import subprocess
import sys
import threading
import zipfile
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from io import StringIO
from pathlib import Path
from uuid import UUID

import numpy as np
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from charter.cli.backup import BackupError, make_backup, restore_backup
from charter.cli.backup.format import (
    DECODERS,
    ENCODERS,
    Column,
    canonical_line,
    decode_line,
    encode_row,
    file_line,
)
from charter.cli.demo import DemoBuilder
from charter.core.models import AuditEvent
from charter.goals.models import CheckIn, Cycle, Goal, KeyResult
from charter.goals.services import goal_update, key_result_update
from charter.goals.tests.factories import make_goal
from charter.lint.services import lint_settings_update
from charter.notifications.services import preferences_set
from charter.organizations.models import Membership, Role
from charter.organizations.selectors import actor_for
from charter.pulse.answering import round_answer, round_seal
from charter.pulse.models import SurveyRound
from charter.search import embedder
from charter.search import services as search_services
from charter.search.tasks import index_item
from tests.world import build_world

# ---- helpers ---------------------------------------------------------------------------------------


class TinyEmbedder:
    """Four float32 dimensions from a hash of the text: real bytes in the vector column."""

    name = "tiny-4"
    dimension = 4

    def embed(self, texts):
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:16], dtype=np.uint32) for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32)


def table_digests() -> dict[str, tuple[int, str]]:
    """Row count and a SHA-256 of the sorted rows of every table, read with plain SQL.

    The migration ledger and SQLite's internal tables are left out; FTS5 shadow tables are too (their
    layout depends on the order of writes), but the FTS5 table itself is read, rowid included.
    """
    quote = connection.ops.quote_name
    digests = {}
    with connection.cursor() as cursor:
        names = [t.name for t in connection.introspection.get_table_list(cursor) if t.type == "t"]
        for name in sorted(names):
            if name == "django_migrations" or name.startswith(("sqlite_", "search_fts_")):
                continue
            cursor.execute(f"SELECT {'rowid, ' if name == 'search_fts' else ''}* FROM {quote(name)}")
            rows = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
            digests[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digests


def build_rich_world(client, *, demo: bool = False) -> None:
    """Two organizations with one of everything (and the demo's Lumen Health when asked): anonymous pulse
    answers (UUID keys), goal revisions and lint settings (JSON), search vectors (bytes), a session (a
    text key), a queued task (a UUID key, JSON), a group, a notification preference."""
    with embedder.use(TinyEmbedder()):
        if demo:
            DemoBuilder().build()
        acme = build_world("Acme")
        build_world("Globex")
        owner, member = acme.owner, acme.actors[Role.MEMBER]
        for answering in (owner, member, acme.actors[Role.LEADER]):
            round_answer(actor=answering, round_id=acme.ids["round_id"], answers={acme.ids["question_id"]: 4})
        # Closed and sealed, its answers are rows (an open round keeps them in its ballot box).
        SurveyRound.objects.unscoped().filter(pk=acme.ids["round_id"]).update(
            opens_on=date(2020, 1, 1), closes_on=date(2020, 1, 7)
        )
        assert round_seal(round_id=acme.ids["round_id"])
        goal_update(
            actor=owner, goal_id=acme.ids["goal_id"], title="Acme team goal, sharper", reason="Clearer"
        )
        key_result_update(actor=owner, key_result_id=acme.ids["key_result_id"], target=120, reason="Stretch")
        lint_settings_update(actor=owner, disabled=["CH001"], thresholds={})
        preferences_set(actor=member, choices={"mention": {"in_app": True, "email": False}})
        search_services.reindex()
    Group.objects.create(name="Auditors").user_set.add(owner.user)
    client.force_login(owner.user)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        index_item.enqueue(type_="goal", object_id=acme.ids["goal_id"])


def rewrite(source: Path, target: Path, *, manifest=None, members=None) -> Path:
    """A copy of an archive with the manifest passed through `manifest` and some members replaced."""
    members = members or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            new.writestr(info.filename, members.get(info.filename, data))
    return target


def read_manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def owner_of(org_name: str):
    membership = (
        Membership.objects.unscoped()
        .filter(organization__name=org_name, role=Role.OWNER)
        .select_related("user", "organization")
        .get()
    )
    return actor_for(user=membership.user, organization=membership.organization, via="cli")


# ---- the format ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,value,encoded",
    [
        ("decimal", Decimal("12.3400"), "12.3400"),
        ("decimal", Decimal("0E-8"), "0.00000000"),
        ("float", float("inf"), "Infinity"),
        ("float", 0.1 + 0.2, 0.30000000000000004),
        ("duration", timedelta(days=1, microseconds=5), 86_400_000_005),
        ("time", time(9, 30, 1, 7), "09:30:01.000007"),
        ("bytes", b"\x00\xff\x10", "AP8Q"),
        ("uuid", UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        ("json", {"b": [1, 2.5, None], "a": "ü"}, {"b": [1, 2.5, None], "a": "ü"}),
    ],
)
def test_each_kind_encodes_canonically_and_decodes_back(kind, value, encoded):
    assert ENCODERS[kind](value) == encoded
    assert DECODERS[kind](encoded) == value


def test_datetimes_are_utc_with_microseconds_and_only_the_checksum_sorts_keys():
    moment = datetime(2026, 11, 27, 15, 0, tzinfo=timezone(timedelta(hours=2)))
    columns = [Column(name="at", kind="datetime"), Column(name="data", kind="json")]
    values = encode_row([ENCODERS["datetime"], ENCODERS["json"]], [moment, {"z": 1, "a": "é"}])
    assert file_line(values) == '["2026-11-27T13:00:00.000000+00:00",{"z":1,"a":"é"}]\n'.encode()
    assert canonical_line(values) == '["2026-11-27T13:00:00.000000+00:00",{"a":"é","z":1}]\n'.encode()
    assert decode_line(file_line(values), columns, "t line 1") == (values, [moment, {"z": 1, "a": "é"}])
    with pytest.raises(BackupError, match=r"t line 1, column at: expected a string"):
        decode_line(b"[5, {}]\n", columns, "t line 1")


# Tables the world must fill: each kind of key and value the format encodes, through tables, Django's own.
FILLED_IN_THE_WORLD = {
    "goals_checkin",  # floats, datetimes
    "goals_goal_supports",  # a many-to-many through table
    "delegation_decision_goals",
    "goals_goalrevision",  # JSON
    "lint_lintsettings",
    "backbriefs_backbriefevent",
    "mission_missionrevision",
    "pulse_response",  # UUID primary keys
    "pulse_answer",
    "search_searchdocument",
    "search_searchvector",  # bytes (vectors)
    "django_tasks_database_dbtaskresult",  # a UUID key, JSON
    "auth_group",
    "organizations_user_groups",
    "notifications_notificationpreference",
    "core_auditevent",
}


# ---- the round trip --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_table_exactly(tmp_path, client):
    build_rich_world(client, demo=True)
    before = table_digests()
    empty = {name for name, (rows, _) in before.items() if rows == 0}
    assert not empty & FILLED_IN_THE_WORLD, f"the world should fill {empty & FILLED_IN_THE_WORLD}"

    summary = make_backup(tmp_path / "charter.zip")
    manifest = read_manifest(summary.path)
    counted = {t["table"]: t["rows"] for t in manifest["tables"]}
    left_out = {"search_fts", "django_session", "core_idempotencykey"}  # rebuilt; not kept (credentials)
    assert counted == {name: rows for name, (rows, _) in before.items() if name not in left_out}
    assert before["django_session"][0] > 0  # the world has a session: it is not backed up
    assert manifest["source"]["vendor"] == connection.vendor
    assert summary.rows == sum(counted.values())

    call_command("flush", interactive=False, verbosity=0)  # a freshly migrated, empty database
    emptied = table_digests()
    assert emptied["goals_goal"][0] == 0 and emptied != before

    restored = restore_backup(summary.path)
    assert restored.rows == summary.rows
    after = table_digests()
    assert after["django_session"][0] == 0  # a restore signs everyone out
    same = {"django_session", "core_idempotencykey"}
    assert {k: v for k, v in after.items() if k not in same} == {
        k: v for k, v in before.items() if k not in same
    }

    # Still a working database: sequences continue after the restored ids, caches see the new rows.
    owner = owner_of("Acme")
    goal = make_goal(owner, Cycle.objects.for_org(owner.organization).first(), "After the restore")
    assert goal.pk > max(Goal.objects.unscoped().exclude(pk=goal.pk).values_list("pk", flat=True))


# ---- refusals that write nothing -------------------------------------------------------------------


@pytest.fixture
def backed_up(db, tmp_path, client):
    """A world, its backup, then one more goal (so a restore would change something)."""
    build_rich_world(client)
    path = make_backup(tmp_path / "charter.zip").path
    owner = owner_of("Acme")
    make_goal(owner, Cycle.objects.for_org(owner.organization).first(), "Written after the backup")
    return path


def test_force_replaces_a_database_that_holds_data(backed_up):
    with pytest.raises(BackupError, match=r"not empty .*pass --force"):
        restore_backup(backed_up)
    restore_backup(backed_up, force=True)
    assert read_manifest(backed_up)["tables"]  # and it is the backup's content again:
    counts = {name: rows for name, (rows, _) in table_digests().items()}
    assert all(counts[t["table"]] == t["rows"] for t in read_manifest(backed_up)["tables"])


def test_non_empty_database_refused_without_force_and_untouched(backed_up):
    before = table_digests()
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(backed_up)
    assert table_digests() == before


def test_altered_member_refused_before_anything_is_written(backed_up, tmp_path):
    member = "tables/goals_goal.jsonl"
    with zipfile.ZipFile(backed_up) as archive:
        data = archive.read(member)
    altered = rewrite(
        backed_up, tmp_path / "altered.zip", members={member: data.replace(b"Acme", b"Acne", 1)}
    )
    before = table_digests()
    with pytest.raises(BackupError, match=r"goals_goal.jsonl is damaged or was altered.*Nothing was written"):
        restore_backup(altered, force=True)
    assert table_digests() == before


def test_damaged_bytes_refused(backed_up, tmp_path):
    raw = bytearray(backed_up.read_bytes())
    middle = len(raw) // 2
    raw[middle : middle + 64] = bytes(64)
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    before = table_digests()
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(damaged, force=True)
    assert table_digests() == before


def test_content_that_reads_back_differently_is_rolled_back(backed_up, tmp_path):
    """A forged member with matching checksums passes the file check; reading the rows back catches it.

    Its times carry a +02:00 offset: valid, but not how the format writes them, so once stored they
    read back (in UTC) as other content than the manifest's checksum describes.
    """
    member = "tables/goals_goal.jsonl"
    with zipfile.ZipFile(backed_up) as archive:
        data = archive.read(member).replace(b"+00:00", b"+02:00")
    canonical = b"".join(
        json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
        + b"\n"
        for line in data.splitlines()
    )

    def matching_sums(manifest):
        for table in manifest["tables"]:
            if table["member"] == member:
                table["sha256"] = hashlib.sha256(canonical).hexdigest()
                table["member_sha256"] = hashlib.sha256(data).hexdigest()
        return manifest

    forged = rewrite(backed_up, tmp_path / "forged.zip", manifest=matching_sums, members={member: data})
    before = table_digests()
    with pytest.raises(BackupError, match=r"goals_goal reads back .* rolled back"):
        restore_backup(forged, force=True)
    assert table_digests() == before


def test_unknown_format_version_and_foreign_files_refused(backed_up, tmp_path):
    future = rewrite(backed_up, tmp_path / "v2.zip", manifest=lambda m: {**m, "format_version": 2})
    with pytest.raises(
        BackupError, match=r"format version 2 is not one this Charter reads \(it reads version 1\)"
    ):
        restore_backup(future, force=True)
    other = rewrite(backed_up, tmp_path / "other.zip", manifest=lambda m: {**m, "format": "something-else"})
    with pytest.raises(BackupError, match="not a Charter backup"):
        restore_backup(other, force=True)
    text = tmp_path / "notes.zip"
    text.write_text("hello")
    with pytest.raises(BackupError, match="not a Charter backup or damaged"):
        restore_backup(text, force=True)
    with pytest.raises(BackupError, match="no such file"):
        restore_backup(tmp_path / "missing.zip")


def test_migration_mismatch_refused_naming_what_differs(backed_up, tmp_path):
    def other_state(manifest):
        goals = manifest["migrations"]["goals"]
        dropped = goals.pop()
        manifest["migrations"]["goals"] = [*goals, "9999_from_the_future"]
        manifest["dropped"] = dropped
        return manifest

    drifted = rewrite(backed_up, tmp_path / "drifted.zip", manifest=other_state)
    dropped = json.loads(zipfile.ZipFile(drifted).read("manifest.json"))["dropped"]
    # The manifest check names the unknown key first; without it, the migration state is what differs.
    drifted = rewrite(
        drifted, tmp_path / "drifted2.zip", manifest=lambda m: {k: v for k, v in m.items() if k != "dropped"}
    )
    before = table_digests()
    with pytest.raises(BackupError) as refused:
        restore_backup(drifted, force=True)
    message = str(refused.value)
    assert "not at the backup's migration state" in message
    assert "goals: the backup has 9999_from_the_future, which this database has not applied" in message
    assert f"goals: this database has applied {dropped}, which the backup lacks" in message
    assert table_digests() == before


def test_command_refuses_to_overwrite_and_reports_errors_as_one_line(backed_up, tmp_path):
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--output", str(backed_up))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backed_up))
    out = StringIO()
    call_command("backup", "--output", str(tmp_path / "again.zip"), stdout=out, stderr=StringIO())
    assert "Backed up" in out.getvalue() and "again.zip" in out.getvalue()


# ---- online: a backup taken while Charter writes ---------------------------------------------------


def live_backup_main(archive: str) -> None:
    """Run in a child process (Django set up) on a SQLite file: a writer thread checks in during the backup.

    After the backup has dumped its first table, it waits until the writer has committed five more
    check-ins, so those commits fall inside its read transaction; it prints what happened as JSON.
    """
    from django.db import connections

    from charter.cli.backup import make_backup
    from charter.goals.services import check_in_record
    from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
    from charter.organizations.tests.factories import make_org

    owner = make_org("Live")
    goal = make_goal(owner, make_cycle(owner, "Live cycle"), "Live goal")
    krs = [make_key_result(owner, goal) for _ in range(3)]
    committed, stop, errors, written = threading.Semaphore(0), threading.Event(), [], [0]

    def writer():
        try:
            while not stop.is_set():
                check_in_record(
                    actor=owner, key_result_id=krs[written[0] % 3].pk, value=written[0], confidence=5
                )
                written[0] += 1
                committed.release()
        except Exception as error:  # reported to the test
            errors.append(repr(error))
            committed.release()
        finally:
            connections.close_all()

    @contextmanager
    def waits_for_the_writer(description, total):
        first = [True]

        def advance(step=1, description=None):
            if first[0]:
                first[0] = False
                for _ in range(5):
                    if not committed.acquire(timeout=120):
                        raise RuntimeError("the writer made no progress while the backup read")

        yield advance

    thread = threading.Thread(target=writer)
    thread.start()
    for _ in range(3):  # every key result has a check-in before the backup starts
        committed.acquire(timeout=120)
    at_start = written[0]
    try:
        summary = make_backup(Path(archive), progress=waits_for_the_writer)
    finally:
        at_end = written[0]
        stop.set()
        thread.join()
    print(json.dumps({"errors": errors, "at_start": at_start, "at_end": at_end, "rows": summary.rows}))


def charter_env(tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "CHARTER_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    env.pop("DATABASE_URL", None)
    return env


def test_online_backup_on_sqlite_is_one_consistent_snapshot(db, tmp_path):
    charter = Path(sys.executable).with_name("charter")
    env = charter_env(tmp_path)
    subprocess.run([charter, "migrate", "-v0"], env=env, check=True, capture_output=True, timeout=300)
    archive = tmp_path / "live.zip"
    code = (
        "import sys, django; django.setup(); "
        "from charter.cli.tests.test_backup import live_backup_main; live_backup_main(sys.argv[1])"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(archive)], env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["at_end"] >= report["at_start"] + 5  # the writer committed while the snapshot was open

    # Restored here (PostgreSQL too, when the suite runs on it), the snapshot holds together.
    restore_backup(archive)
    owner = owner_of("Live")
    check_ins = CheckIn.objects.for_org(owner.organization)
    assert report["at_start"] <= check_ins.count() <= report["at_end"] - 5
    audited = AuditEvent.objects.for_org(owner.organization).filter(action="check_in.create").count()
    assert audited == check_ins.count()
    for kr in KeyResult.objects.for_org(owner.organization):
        latest = kr.check_ins.order_by("-checked_at", "-id").first()
        assert kr.current == latest.value and kr.last_check_in_at == latest.checked_at

    # The real console script: a backup of the file database, and a refusal as one line with exit 1.
    again = subprocess.run(
        [charter, "backup", "--output", str(tmp_path / "again.zip")], env=env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert "Backed up" in again.stdout and "again.zip" in again.stdout
    refused = subprocess.run([charter, "restore", str(archive)], env=env, capture_output=True, text=True)
    assert refused.returncode == 1
    assert "not empty" in refused.stderr and "Traceback" not in refused.stderr


def test_a_table_no_model_describes_fails_the_backup(db, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE stray_notes (id integer PRIMARY KEY, body text)")
    with pytest.raises(BackupError, match=r"no installed app's model describes \(stray_notes\)"):
        make_backup(tmp_path / "charter.zip")
    assert not list(tmp_path.iterdir())  # no archive, not even a partial one


def test_columns_that_differ_refused(backed_up, tmp_path):
    def renamed(manifest):
        table = next(t for t in manifest["tables"] if t["table"] == "goals_goal")
        table["columns"][1]["name"] = "headline"
        return manifest

    before = table_digests()
    with pytest.raises(BackupError, match=r"Table goals_goal: the backup's columns .*headline.* differ"):
        restore_backup(rewrite(backed_up, tmp_path / "renamed.zip", manifest=renamed), force=True)
    assert table_digests() == before


def test_a_model_column_missing_from_the_database_refuses_both_ways(backed_up, tmp_path):
    """A model changed without a migration: neither a backup nor a restore runs on that database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the fixture's writes leave deferred checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE goals_goal DROP COLUMN end_state")
    with pytest.raises(
        BackupError, match=r"goals_goal lacks end_state\); a model changed without a migration"
    ):
        make_backup(tmp_path / "other.zip")
    with pytest.raises(
        BackupError, match=r"goals_goal lacks end_state.*Nothing was done \(nothing was written\)"
    ):
        restore_backup(backed_up, force=True)


@pytest.mark.parametrize(
    "forge,refusal",
    [
        (
            lambda lines: [lines[0].replace(b"[", b'["one"', 1).replace(b'"one"', b'"one",', 1), *lines[1:]],
            r"goals_goal.jsonl line 1: expected a list of \d+ values\. The restore was rolled back",
        ),
        (lambda lines: [lines[0], lines[0], *lines[1:]], r"The database refused the rows of goals_goal"),
    ],
    ids=["undecodable line", "duplicate key"],
)
def test_forged_member_with_matching_byte_checksum_is_rolled_back(backed_up, tmp_path, forge, refusal):
    member = "tables/goals_goal.jsonl"
    with zipfile.ZipFile(backed_up) as archive:
        lines = archive.read(member).splitlines(keepends=True)
    data = b"".join(forge(lines))

    def matching(manifest):
        for table in manifest["tables"]:
            if table["member"] == member:
                table["member_sha256"] = hashlib.sha256(data).hexdigest()
                table["rows"] = len(data.splitlines())
        return manifest

    forged = rewrite(backed_up, tmp_path / "forged.zip", manifest=matching, members={member: data})
    before = table_digests()
    with pytest.raises(BackupError, match=refusal):
        restore_backup(forged, force=True)
    assert table_digests() == before


@pytest.mark.django_db(transaction=True)
def test_the_snapshot_is_one_read_only_transaction(tmp_path):
    """PostgreSQL: REPEATABLE READ, READ ONLY; SQLite: a transaction is open (no autocommit between
    tables), and it holds no write lock (another connection can write; see the online test too)."""
    seen = []

    @contextmanager
    def probe(description, total):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW transaction_isolation")
                isolation = cursor.fetchone()[0]
                cursor.execute("SHOW transaction_read_only")
                seen.append((isolation, cursor.fetchone()[0]))
            else:
                seen.append(("in transaction", connection.connection.in_transaction))
        yield lambda step=1, description=None: None

    make_backup(tmp_path / "charter.zip", progress=probe)
    if connection.vendor == "postgresql":
        assert seen == [("repeatable read", "on")]
    else:
        assert seen == [("in transaction", True)]
    assert connection.get_autocommit() and not connection.in_atomic_block
