"""The Database wrapper: pragmas, transactions that roll back, and serialized writers."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.store.db import SqliteDatabase as Database


async def test_pragmas_are_set(tmp_path: Path) -> None:
    """WAL, foreign keys and a busy timeout are on for every connection."""
    db = await Database.open(tmp_path / "sub" / "db.sqlite")
    try:
        assert (tmp_path / "sub").is_dir()
        assert str(await db.fetchval("PRAGMA journal_mode")).lower() == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        assert int(await db.fetchval("PRAGMA busy_timeout")) >= 1000
    finally:
        await db.close()


async def test_transaction_rolls_back_every_statement(tmp_path: Path) -> None:
    """A transaction that raises leaves none of its writes behind."""
    db = await Database.open(tmp_path / "db.sqlite")
    try:
        await db.execute("CREATE TABLE t (x INTEGER)")

        async def failing() -> None:
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (1)")
                await db.execute("INSERT INTO t VALUES (2)")
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            await failing()
        assert await db.fetchval("SELECT count(*) FROM t") == 0
    finally:
        await db.close()


async def test_concurrent_transactions_do_not_interleave(tmp_path: Path) -> None:
    """Two tasks' transactions run one after the other, never mixing statements."""
    db = await Database.open(tmp_path / "db.sqlite")
    try:
        await db.execute("CREATE TABLE t (who TEXT, n INTEGER)")

        async def writer(name: str) -> None:
            async with db.transaction():
                for i in range(5):
                    await db.execute("INSERT INTO t VALUES (:who, :n)", {"who": name, "n": i})
                    await asyncio.sleep(0)

        await asyncio.gather(writer("a"), writer("b"), writer("c"))
        rows = await db.fetchall("SELECT who FROM t ORDER BY rowid")
        order = [r[0] for r in rows]
        # Each writer's five rows are contiguous.
        runs = [order[i : i + 5] for i in range(0, 15, 5)]
        assert all(len(set(run)) == 1 for run in runs), order
    finally:
        await db.close()


async def test_close_is_idempotent(tmp_path: Path) -> None:
    """Closing twice is harmless (shutdown paths may overlap)."""
    db = await Database.open(tmp_path / "db.sqlite")
    await db.close()
    await db.close()
