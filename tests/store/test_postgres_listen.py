"""LISTEN/NOTIFY on the PostgreSQL backend: a notification arrives when its transaction commits
(never before, never after a rollback), and listening comes back by itself after the connection
is killed."""

from __future__ import annotations

import asyncio

import asyncpg

from bot.store.pg_admin import scratch_schema
from bot.store.postgres import PostgresDatabase


async def test_a_notify_is_heard_by_another_process_at_commit(pg_url: str) -> None:
    """The listener hears a NOTIFY sent inside a transaction once it commits, not before."""
    async with scratch_schema(pg_url, "test") as schema:
        settings = {"search_path": schema}
        listener = await PostgresDatabase.open(pg_url, server_settings=settings)
        sender = await PostgresDatabase.open(pg_url, server_settings=settings)
        heard = asyncio.Event()
        count = 0

        def on_notify() -> None:
            nonlocal count
            count += 1
            heard.set()

        try:
            await listener.listen("lightstick_test", on_notify)
            await asyncio.sleep(0.1)
            heard.clear()  # the call made when the connection came up
            async with sender.transaction():
                await sender.notify("lightstick_test")
                await asyncio.sleep(0.3)
                assert not heard.is_set()  # not delivered before the commit
            await asyncio.wait_for(heard.wait(), 5)

            heard.clear()
            before = count
            try:
                async with sender.transaction():
                    await sender.notify("lightstick_test")
                    raise RuntimeError("roll back")
            except RuntimeError:
                pass
            await asyncio.sleep(0.3)
            assert count == before  # a rolled-back transaction notifies nobody
        finally:
            await listener.close()
            await sender.close()


async def test_listening_comes_back_after_the_connection_is_killed(pg_url: str) -> None:
    """pg_terminate_backend on the LISTEN connection: it reconnects, calls back once, and
    later notifications arrive again."""
    async with scratch_schema(pg_url, "test") as schema:
        settings = {"search_path": schema}
        listener = await PostgresDatabase.open(pg_url, server_settings=settings)
        sender = await PostgresDatabase.open(pg_url, server_settings=settings)
        heard = asyncio.Event()
        try:
            await listener.listen("lightstick_test", heard.set)
            await asyncio.sleep(0.1)
            heard.clear()
            admin = await asyncpg.connect(pg_url)
            try:
                killed = await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE query LIKE 'LISTEN%' AND datname = current_database() "
                    "AND pid != pg_backend_pid()"
                )
                assert killed >= 1
            finally:
                await admin.close()
            # Back within the first retry: the callback runs for what may have been missed.
            await asyncio.wait_for(heard.wait(), 15)
            heard.clear()
            await sender.notify("lightstick_test")
            await asyncio.wait_for(heard.wait(), 5)
        finally:
            await listener.close()
            await sender.close()
