"""PostgreSQL migrations: one per SQLite file, the same tables and columns, each file atomic
with its version bump, a newer database refused, the health probe read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.resources import MIGRATIONS_DIR
from bot.store import Store
from bot.store.migrate import (
    POSTGRES_SUBDIR,
    MigrationError,
    check_postgres_schema,
    current_version,
    discover,
    latest_version,
    migrate,
)
from bot.store.pg_admin import scratch_schema
from bot.store.postgres import PostgresDatabase
from bot.store.schema_info import columns, tables


def test_every_sqlite_migration_has_a_postgresql_twin() -> None:
    """Each migrations/NNNN_*.sql has migrations/postgresql/NNNN_*.sql, and the other way."""
    sqlite = {m.version: m.path.name for m in discover(MIGRATIONS_DIR)}
    postgres = {m.version: m.path.name for m in discover(MIGRATIONS_DIR / POSTGRES_SUBDIR)}
    assert sorted(sqlite) == sorted(postgres)
    assert sqlite == postgres, "the twins should also share their names"


def test_postgresql_migrations_leave_transactions_to_the_runner() -> None:
    """No BEGIN/COMMIT in the files: the runner wraps each with its version bump."""
    for mig in discover(MIGRATIONS_DIR / POSTGRES_SUBDIR):
        words = mig.sql().upper().replace("BEGINS", "").split()
        assert "BEGIN;" not in words, mig.path.name
        assert "COMMIT;" not in words, mig.path.name


async def test_both_backends_reach_the_same_tables_and_columns(tmp_path: Path, pg_url: str) -> None:
    """After migrating, sqlite_master/pragma_table_info and information_schema agree."""
    sqlite = await Store.open(tmp_path / "db.sqlite")
    async with scratch_schema(pg_url, "test") as schema:
        postgres = await Store.open(pg_url, schema=schema)
        try:
            assert await sqlite.migrate() == await postgres.migrate() == latest_version()
            assert await tables(sqlite.db) == await tables(postgres.db)
            for table in await tables(sqlite.db):
                assert await columns(sqlite.db, table) == await columns(postgres.db, table), table
        finally:
            await postgres.close()
            await sqlite.close()


def _write(folder: Path, name: str, sql: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(sql, encoding="utf-8")


async def test_a_failing_file_leaves_no_partial_schema_nor_version(
    tmp_path: Path, pg_url: str
) -> None:
    """A migration failing half-way rolls back its tables and its version bump."""
    pg = tmp_path / "migs" / POSTGRES_SUBDIR
    _write(pg, "0001_base.sql", "CREATE TABLE a (x INTEGER);")
    _write(
        pg, "0002_broken.sql", "CREATE TABLE b (y INTEGER);\nINSERT INTO a VALUES (1);\nNOT SQL;"
    )
    async with scratch_schema(pg_url, "test") as schema:
        db = await PostgresDatabase.open(pg_url, server_settings={"search_path": schema})
        try:
            with pytest.raises(MigrationError, match=r"postgresql/0002_broken\.sql"):
                await migrate(db, tmp_path / "migs")
            assert await current_version(db) == 1
            assert await tables(db) == ["a"]
            assert await db.fetchval("SELECT count(*) FROM a") == 0
            _write(pg, "0002_broken.sql", "CREATE TABLE b (y INTEGER);")
            assert await migrate(db, tmp_path / "migs") == 2
            assert await migrate(db, tmp_path / "migs") == 2
        finally:
            await db.close()


async def test_a_newer_database_is_refused_untouched(tmp_path: Path, pg_url: str) -> None:
    """A schema_version beyond the code's migrations is refused and left as it was."""
    _write(tmp_path / "migs" / POSTGRES_SUBDIR, "0001_base.sql", "CREATE TABLE a (x INTEGER);")
    async with scratch_schema(pg_url, "test") as schema:
        db = await PostgresDatabase.open(pg_url, server_settings={"search_path": schema})
        try:
            await db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            await db.execute("INSERT INTO schema_version (version) VALUES (7)")
            with pytest.raises(MigrationError, match="newer"):
                await migrate(db, tmp_path / "migs")
            assert await current_version(db) == 7
            assert await tables(db) == []
        finally:
            await db.close()


async def test_health_probe_accepts_only_the_latest_version(pg_url: str) -> None:
    """check_postgres_schema: an empty database fails, a migrated one passes, nothing written."""
    async with scratch_schema(pg_url, "test") as schema:
        url = f"{pg_url}?options=-csearch_path%3D{schema}"
        with pytest.raises(MigrationError, match=r"is not this Lightstick's version"):
            await check_postgres_schema(url)
        store = await Store.open(pg_url, schema=schema)
        try:
            await store.migrate()
        finally:
            await store.close()
        assert await check_postgres_schema(url) == latest_version()
    with pytest.raises(MigrationError, match="cannot reach"):
        await check_postgres_schema("postgresql://bot@127.0.0.1:9/none")
