"""QUALITY.md D5: a backup restores into a fresh instance with equal row counts and checksums.

The backup is taken in the test process (of the test database, SQLite or PostgreSQL); the
restore runs `manage.py restore` in a separate process configured for a fresh, empty
database of the same kind, exactly as an operator would.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shuangliang.core.backup import MANIFEST, table_fingerprints

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "people").mkdir(parents=True)
    (root / "people" / "photo.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(4000))
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def backup_dir(default_contract_kinds, world, media, tmp_path):
    call_command("backup", str(tmp_path / "backups"))
    (made,) = (tmp_path / "backups").iterdir()
    return made


@pytest.fixture
def fresh_database(tmp_path):
    """Settings (environment) of a fresh instance with an empty database of the same kind."""
    env = {"SHUANGLIANG_VAR_DIR": str(tmp_path / "fresh"), "MEDIA_ROOT": str(tmp_path / "m2")}
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(tmp_path / "fresh.sqlite3")
        yield env
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}{password}@{params['host']}:{params['port']}/{name}"
    )
    yield env
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_into_a_fresh_instance_with_equal_counts_and_checksums(
    backup_dir, fresh_database, tmp_path
):
    manifest = json.loads((backup_dir / MANIFEST).read_text())
    assert manifest["tables"]["register_union"][0] == 3
    assert manifest["tables"]["register_officer"][0] == 3

    result = manage("restore", str(backup_dir), **fresh_database)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every table matches" in result.stdout

    # The restored instance answers like the original: same counts and checksums, read by
    # a process of its own.
    script = (
        "import json; from shuangliang.core.backup import table_fingerprints; "
        "print(json.dumps(table_fingerprints()))"
    )
    check = manage("shell", "-c", script, **fresh_database)
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout.strip().splitlines()[-1]) == table_fingerprints()

    photo = Path(fresh_database["MEDIA_ROOT"]) / "people" / "photo.jpg"
    original = tmp_path / "media" / "people" / "photo.jpg"
    assert (
        hashlib.sha256(photo.read_bytes()).digest()
        == hashlib.sha256(original.read_bytes()).digest()
    )


def test_restore_refuses_a_database_that_is_not_empty(backup_dir):
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup_dir))


def test_a_damaged_backup_is_refused_before_anything_is_written(backup_dir, fresh_database):
    database_file = json.loads((backup_dir / MANIFEST).read_text())["database_file"]
    with (backup_dir / database_file).open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00damaged\x00")
    result = manage("restore", str(backup_dir), **fresh_database)
    assert result.returncode != 0
    assert "damaged" in result.stderr
    if connection.vendor == "sqlite":
        fresh = Path(fresh_database["SQLITE_PATH"])
        if fresh.exists():
            with sqlite3.connect(fresh) as db:
                assert db.execute("select count(*) from sqlite_master").fetchone()[0] == 0
