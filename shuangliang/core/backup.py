"""Backups: the database (SQLite online backup or pg_dump) and the media files, verifiable.

A backup is a directory:

    shuangliang-backup-20261123-231500/
        manifest.json       when, from which database vendor, and per table its row count
                            and a checksum of its rows; the sha256 of the other files
        database.sqlite3    (SQLite) a consistent copy taken with SQLite's backup API, or
        database.dump       (PostgreSQL) pg_dump's custom format
        media.tar           every uploaded file (photos, evidence, attachments), read
                            through the media storage: the disk or an S3 bucket

`restore` puts it into a fresh instance (an empty database of the same vendor) and checks
the row counts and checksums against the manifest before it reports success.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_FILE = "media.tar"
FORMAT = 1


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _normalise(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value) if value is not None else None


def table_fingerprints() -> dict[str, list]:
    """{table: [row count, sha256 of its rows in primary-key order]} for every model table."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in out:
            continue
        columns = [field.attname for field in meta.concrete_fields]
        digest = hashlib.sha256()
        count = 0
        rows = model._base_manager.order_by("pk").values_list(*columns)
        for row in rows.iterator(chunk_size=2000):
            digest.update(
                json.dumps([_normalise(v) for v in row], ensure_ascii=False).encode() + b"\n"
            )
            count += 1
        out[meta.db_table] = [count, digest.hexdigest()]
    return dict(sorted(out.items()))


def _pg_tool(name: str) -> str:
    candidates = []
    found = shutil.which(name)
    if found:
        candidates.append(found)
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(f"{name} was not found; install the PostgreSQL client tools.")


def _pg_args_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int


def backup(output_dir: Path) -> BackupResult:
    """Write a backup directory under `output_dir`; returns where and how much."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = Path(output_dir) / f"shuangliang-backup-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    vendor = connection.vendor
    connection.ensure_connection()
    if vendor == "sqlite":
        destination = sqlite3.connect(target / SQLITE_FILE)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        database_file = SQLITE_FILE
    elif vendor == "postgresql":
        args, env = _pg_args_env()
        command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl"]
        command += ["--file", str(target / PG_FILE), *args]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        database_file = PG_FILE
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported.")

    archive_media(target / MEDIA_FILE, storages["default"])

    fingerprints = table_fingerprints()
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": vendor,
        "database_file": database_file,
        "files": {name: _sha256(target / name) for name in (database_file, MEDIA_FILE)},
        "tables": fingerprints,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return BackupResult(target, len(fingerprints), sum(count for count, _ in fingerprints.values()))


def archive_media(path: Path, storage) -> int:
    """Write every file of the media storage into a tar file; returns how many."""
    count = 0
    with tarfile.open(path, "w") as archive:
        for name in sorted(_stored_files(storage)):
            member = tarfile.TarInfo(name)
            member.size = storage.size(name)
            member.mtime = int(time.time())
            with storage.open(name, "rb") as handle:
                archive.addfile(member, handle)
            count += 1
    return count


def restore_media(path: Path, storage) -> int:
    """Put every file of a media tar back into the storage under its own name."""
    count = 0
    with tarfile.open(path) as archive:
        for member in archive:
            if not member.isfile():
                continue
            # Refuses names that would land outside the media root (absolute, ../).
            name = tarfile.data_filter(member, "/media").name
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(archive.extractfile(member), name=name))
            if saved != name:
                raise BackupError(f"Media file {name} was stored as {saved}.")
            count += 1
    return count


def _stored_files(storage, directory=""):
    """Every file name in a storage (the media directory on disk or an S3 bucket)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a media directory not yet created holds nothing
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in directories:
        yield from _stored_files(storage, f"{directory}/{sub}" if directory else sub)


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} is not a backup: {MANIFEST} is missing.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError("This backup was written by an incompatible version.")
    for name, expected in manifest["files"].items():
        if not (Path(source) / name).is_file():
            raise BackupError(f"{name} is missing from the backup.")
        if _sha256(Path(source) / name) != expected:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged.")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(source: Path, *, media_root: Path | None = None) -> dict:
    """Restore a backup into this instance's (empty) database and media directory.

    Returns the tables whose row count or checksum differ from the manifest (empty when the
    restore is exact).
    """
    source = Path(source)
    manifest = read_manifest(source)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"This is a {manifest['vendor']} backup; the configured database is {vendor}."
        )
    if not _database_is_empty():
        raise BackupError("The database is not empty; restore only into a fresh instance.")
    if vendor == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(source / SQLITE_FILE)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        connection.close()
        args, env = _pg_args_env()
        command = [_pg_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error"]
        command += [*args, str(source / PG_FILE)]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")

    storage = FileSystemStorage(location=media_root) if media_root else storages["default"]
    restore_media(source / MEDIA_FILE, storage)

    restored = table_fingerprints()
    return {
        table: {"backup": expected, "restored": restored.get(table)}
        for table, expected in manifest["tables"].items()
        if restored.get(table) != expected
    }
