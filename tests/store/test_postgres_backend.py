"""The PostgreSQL backend: compiled :name statements, joined transactions, the writer lock,
and the failures a person is told about (busy, unreachable)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from bot.store.db import DatabaseUnavailable, storage_failure
from bot.store.pg_admin import scratch_schema
from bot.store.postgres import PostgresDatabase, bind, compile_sql


def test_named_parameters_compile_to_numbered_ones_in_order() -> None:
    """`:name` becomes `$n` (a name used twice keeps its number) and values follow that order."""
    sql = "SELECT * FROM t WHERE a = :a AND b = :b OR a = :a AND x::text = '12:30'"
    text, names = compile_sql(sql)
    assert text == "SELECT * FROM t WHERE a = $1 AND b = $2 OR a = $1 AND x::text = '12:30'"
    assert names == ("a", "b")
    assert bind(sql, {"b": 2, "a": 1, "unused": 3})[1] == [1, 2]
    with pytest.raises(KeyError, match="b"):
        bind(sql, {"a": 1})


async def _open(url: str, schema: str, **options: int) -> PostgresDatabase:
    db = await PostgresDatabase.open(url, server_settings={"search_path": schema}, **options)
    await db.execute("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT NOT NULL)")
    return db


async def test_statements_count_rows_and_rows_read_by_name_or_position(pg_url: str) -> None:
    """execute returns rows changed; rows answer row[0], row["v"], iteration and len."""
    async with scratch_schema(pg_url, "test") as schema:
        db = await _open(pg_url, schema)
        try:
            await db.execute_many(
                "INSERT INTO t (k, v) VALUES (:k, :v)",
                [{"k": 1 << 62, "v": "a"}, {"k": 2, "v": "b"}],
            )
            assert await db.execute("UPDATE t SET v = :v", {"v": "c"}) == 2
            assert (
                await db.execute("INSERT INTO t (k, v) VALUES (2, 'x') ON CONFLICT DO NOTHING") == 0
            )
            row = await db.fetchone("SELECT k, v FROM t WHERE k = :k", {"k": 1 << 62})
            assert row is not None
            assert (row[0], row["v"], list(row), len(row)) == (1 << 62, "c", [1 << 62, "c"], 2)
            assert await db.fetchval("SELECT count(*) FROM t") == 2
        finally:
            await db.close()


async def test_a_transaction_commits_or_rolls_back_as_one(pg_url: str) -> None:
    """Statements inside transaction() join it; an exception rolls every one of them back."""
    async with scratch_schema(pg_url, "test") as schema:
        db = await _open(pg_url, schema)
        try:

            async def fail_after_two_inserts() -> None:
                async with db.transaction():
                    await db.execute("INSERT INTO t (k, v) VALUES (1, 'a')")
                    async with db.transaction():  # nested: joins the outer one
                        await db.execute("INSERT INTO t (k, v) VALUES (2, 'b')")
                    assert await db.fetchval("SELECT count(*) FROM t") == 2
                    raise RuntimeError("boom")

            with pytest.raises(RuntimeError):
                await fail_after_two_inserts()
            assert await db.fetchval("SELECT count(*) FROM t") == 0
            async with db.transaction():
                await db.execute("INSERT INTO t (k, v) VALUES (3, 'c')")
            assert await db.fetchval("SELECT count(*) FROM t") == 1
            with pytest.raises(db.integrity_errors):
                await db.execute("INSERT INTO t (k, v) VALUES (3, 'again')")
        finally:
            await db.close()


async def test_writers_take_turns_and_a_long_wait_is_busy(pg_url: str) -> None:
    """Two transactions never interleave (one writer, as on SQLite); a writer that waits past
    the lock timeout gets an error the error funnel words as "busy"."""
    async with scratch_schema(pg_url, "test") as schema:
        first = await _open(pg_url, schema)
        second = await PostgresDatabase.open(
            pg_url, server_settings={"search_path": schema}, lock_timeout_ms=200
        )
        entered = asyncio.Event()
        release = asyncio.Event()

        async def hold() -> None:
            async with first.transaction():
                entered.set()
                await release.wait()

        holder = asyncio.create_task(hold())
        try:
            await entered.wait()
            with pytest.raises(asyncpg.LockNotAvailableError) as caught:
                async with second.transaction():
                    pass
            assert storage_failure(caught.value) == "busy"
            release.set()
            await holder
            async with second.transaction():
                await second.execute("INSERT INTO t (k, v) VALUES (1, 'a')")
        finally:
            release.set()
            await holder
            await first.close()
            await second.close()


async def test_an_unreachable_server_is_unavailable_with_the_password_masked() -> None:
    """Nothing listens: DatabaseUnavailable, worded "unavailable", naming no password."""
    with pytest.raises(DatabaseUnavailable) as caught:
        await PostgresDatabase.open("postgresql://bot:s3cret@127.0.0.1:9/lightstick")
    assert storage_failure(caught.value) == "unavailable"
    assert "s3cret" not in str(caught.value)
    assert "bot:***@127.0.0.1:9" in str(caught.value)
