"""The migration runner: ordered, atomic per file, and refusing a newer database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import Store
from bot.store.db import Database
from bot.store.migrate import MigrationError, current_version, discover, latest_version, migrate


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
