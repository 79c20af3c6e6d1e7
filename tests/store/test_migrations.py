"""The migration runner: ordered, atomic per file, refusing a newer database, failing closed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import Store
from bot.store.db import SqliteDatabase as Database
from bot.store.migrate import (
    MigrationError,
    check_schema,
    current_version,
    discover,
    latest_version,
    migrate,
)


def write(folder: Path, name: str, sql: str) -> None:
    (folder / name).write_text(sql, encoding="utf-8")


async def test_real_migrations_reach_latest_from_empty(tmp_path: Path) -> None:
    """Applying the shipped migrations to an empty database reaches the latest version."""
    store = await Store.open(tmp_path / "db.sqlite")
    try:
        assert await store.migrate() == latest_version()
        assert await current_version(store.db) == latest_version()
        # Running again is a no-op.
        assert await store.migrate() == latest_version()
    finally:
        await store.close()


async def test_failing_migration_leaves_no_partial_schema(tmp_path: Path) -> None:
    """A migration that fails half-way leaves neither its tables nor a bumped version."""
    folder = tmp_path / "migs"
    folder.mkdir()
    write(folder, "0001_base.sql", "CREATE TABLE a (x INTEGER);")
    write(
        folder,
        "0002_broken.sql",
        "CREATE TABLE b (y INTEGER);\nINSERT INTO a VALUES (1);\nTHIS IS NOT SQL;\n",
    )
    db = await Database.open(tmp_path / "db.sqlite")
    try:
        with pytest.raises(MigrationError, match=r"0002_broken\.sql"):
            await migrate(db, folder)
        assert await current_version(db) == 1
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master")}
        assert "a" in tables
        assert "b" not in tables
        assert await db.fetchval("SELECT count(*) FROM a") == 0
        # Once fixed, the same database migrates forward.
        write(folder, "0002_broken.sql", "CREATE TABLE b (y INTEGER);")
        assert await migrate(db, folder) == 2
    finally:
        await db.close()


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    """A database whose user_version is beyond the code's migrations is refused, untouched."""
    folder = tmp_path / "migs"
    folder.mkdir()
    write(folder, "0001_base.sql", "CREATE TABLE a (x INTEGER);")
    db = await Database.open(tmp_path / "db.sqlite")
    try:
        await db.execute("PRAGMA user_version = 7")
        with pytest.raises(MigrationError, match="newer"):
            await migrate(db, folder)
        assert await current_version(db) == 7
    finally:
        await db.close()


def test_gaps_and_bad_names_are_refused(tmp_path: Path) -> None:
    """Migration files must be NNNN_slug.sql numbered 1..N with no gap."""
    write(tmp_path, "0001_a.sql", "")
    write(tmp_path, "0003_c.sql", "")
    with pytest.raises(MigrationError, match="without gaps"):
        discover(tmp_path)
    (tmp_path / "0003_c.sql").unlink()
    write(tmp_path, "2_bad.sql", "")
    with pytest.raises(MigrationError, match="NNNN_slug"):
        discover(tmp_path)


def test_shipped_migrations_contain_no_transaction_control() -> None:
    """Shipped migration files leave BEGIN/COMMIT/user_version to the runner."""
    for mig in discover():
        text = mig.sql().upper()
        for word in ("BEGIN", "COMMIT", "USER_VERSION"):
            assert word not in text.replace("BEGINS", ""), f"{mig.path.name} contains {word}"
        # The file parses as complete SQL statements.
        assert sqlite3.complete_statement(mig.sql()), mig.path.name


@pytest.mark.parametrize("present", [True, False], ids=["empty-folder", "missing-folder"])
async def test_no_migration_files_is_refused(tmp_path: Path, present: bool) -> None:
    """Without migration files the runner refuses, naming the folder, instead of "schema v0"."""
    folder = tmp_path / "migrations"
    if present:
        folder.mkdir()
    db = await Database.open(tmp_path / "db.sqlite")
    try:
        with pytest.raises(MigrationError, match=rf"no migration files found in {folder}"):
            await migrate(db, folder)
        assert await current_version(db) == 0
    finally:
        await db.close()


async def test_migration_that_never_reaches_its_end_is_refused(tmp_path: Path) -> None:
    """A file whose trailing /* comment swallows the version bump fails and is rolled back."""
    folder = tmp_path / "migs"
    folder.mkdir()
    write(folder, "0001_base.sql", "CREATE TABLE a (x INTEGER);")
    write(folder, "0002_open_comment.sql", "CREATE TABLE b (y INTEGER); /* a note left open\n")
    db = await Database.open(tmp_path / "db.sqlite")
    try:
        with pytest.raises(MigrationError, match=r"0002_open_comment\.sql did not run to its end"):
            await migrate(db, folder)
        assert await current_version(db) == 1
        assert not db.connection.in_transaction
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master")}
        assert tables == {"a"}
    finally:
        await db.close()


async def test_check_schema_reads_without_writing(tmp_path: Path) -> None:
    """The health probe accepts only an existing database at the latest version, read-only."""
    path = tmp_path / "db.sqlite"
    with pytest.raises(MigrationError, match="no database at"):
        check_schema(path)
    assert not path.exists()
    store = await Store.open(path)
    try:
        assert await store.migrate() == latest_version()
        assert check_schema(path) == latest_version()
        await store.db.execute(f"PRAGMA user_version = {latest_version() - 1}")
        with pytest.raises(MigrationError, match=r"is not this Lightstick's version"):
            check_schema(path)
    finally:
        await store.close()
    with pytest.raises(MigrationError, match="no migration files found"):
        check_schema(path, tmp_path / "nowhere")
