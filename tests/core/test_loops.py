"""The one background-loop policy: log with a code, back off, keep going, show the last error."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.core.client import Lightstick
from bot.core.loops import BackgroundLoop
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


def _spawn(coro, name):  # type: ignore[no-untyped-def]
    return asyncio.create_task(coro, name=name)


def _locked_database(path: Path) -> tuple[sqlite3.Connection, sqlite3.Connection]:
    """Return (holder, victim): the holder keeps a write lock, the victim gives up at once."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")
    victim = sqlite3.connect(path, timeout=0, isolation_level=None)
    return holder, victim


async def test_a_locked_database_never_ends_a_loop(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A step failing with a real "database is locked" is logged with a code and retried."""
    holder, victim = _locked_database(tmp_path / "locked.db")
    done = asyncio.Event()
    steps: list[str] = []

    async def step() -> float:
        victim.execute("INSERT INTO t VALUES (1)")  # raises while the holder keeps its lock
        steps.append("ok")
        done.set()
        return 3600.0

    loop = BackgroundLoop("test-loop", step, interval=3600, backoff_base=0.01, backoff_max=0.05)
    with caplog.at_level(logging.ERROR, logger="bot.core.loops"):
        loop.start(_spawn)
        while loop.failures < 3:
            await asyncio.sleep(0.01)
        assert loop.running
        assert loop.last_error is not None
        assert "database is locked" in loop.last_error.summary
        assert loop.backoff_seconds() == pytest.approx(0.04)
        holder.execute("ROLLBACK")
        async with asyncio.timeout(5):
            await done.wait()
    assert steps == ["ok"]
    assert loop.failures == 0
    assert loop.last_success is not None
    assert loop.last_error is not None  # the last failure is still shown ("working again")
    codes = [r.getMessage() for r in caplog.records if "test-loop failed (code" in r.getMessage()]
    assert len(codes) >= 3
    assert all(r.exc_info for r in caplog.records if "test-loop" in r.getMessage())
    await loop.stop()
    assert not loop.running
    holder.close()
    victim.close()


async def test_backoff_doubles_up_to_its_cap() -> None:
    """1 s, 2 s, 4 s ... never above backoff_max."""

    async def step() -> None:
        return None

    loop = BackgroundLoop("cap", step, interval=1, backoff_base=1.0, backoff_max=5.0)
    waits = []
    for failures in range(1, 6):
        loop.failures = failures
        waits.append(loop.backoff_seconds())
    assert waits == [1.0, 2.0, 4.0, 5.0, 5.0]


async def test_wake_ends_the_wait_early() -> None:
    """A woken loop runs its next step at once instead of after its interval."""
    calls = 0
    second = asyncio.Event()

    async def step() -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            second.set()

    loop = BackgroundLoop("wake", step, interval=3600)
    loop.start(_spawn)
    while calls < 1:
        await asyncio.sleep(0.01)
    loop.wake()
    async with asyncio.timeout(5):
        await second.wait()
    await loop.stop()


async def test_reloading_an_extension_restarts_its_loops(lightstick: Lightstick) -> None:
    """cog_unload stops a feature's loops and cog_load starts new ones."""
    old = lightstick.loops["trivia-daily"]
    assert old.running
    await lightstick.reload_extension("cogs.trivia")
    new = lightstick.loops["trivia-daily"]
    assert new is not old
    assert new.running
    assert not old.running
    for name in ("party-reminders", "spaces-fanout", "housekeeping"):
        assert lightstick.loops[name].running, name


async def test_settings_tell_moderators_which_job_fails(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """/settings names a failing background job in words, with the code to find it in the log."""
    holder, victim = _locked_database(tmp_path / "other.db")

    async def step() -> None:
        victim.execute("INSERT INTO t VALUES (1)")

    failing = BackgroundLoop("party-reminders", step, interval=3600, backoff_base=60)
    lightstick.start_loop(failing)
    while failing.failures < 1:
        await asyncio.sleep(0.01)
    assert failing.last_error is not None
    ix = await loopback.slash(guild.id, "settings", user=guild.moderator)
    await ix.response()
    await ix.wait_followup(1)
    text = ix.all_text()
    assert "Party reminders: failing since" in text
    assert f"error code {failing.last_error.code}" in text
    assert "database is locked" not in text  # details stay in the log
    await lightstick.stop_loop(failing)
    holder.close()
    victim.close()


async def test_the_daily_question_loop_survives_a_database_error(lightstick: Lightstick) -> None:
    """The real trivia-daily loop (which used to end on its first error) fails, then recovers."""
    loop = lightstick.loops["trivia-daily"]
    async with asyncio.timeout(30):
        while loop.last_success is None:  # the first tick after READY
            await asyncio.sleep(0.05)
    # Off the event loop: the bot may be inside a transaction that needs the loop to finish.
    other = sqlite3.connect(
        lightstick.store.db.path, timeout=30, isolation_level=None, check_same_thread=False
    )
    await asyncio.to_thread(
        other.execute, "ALTER TABLE trivia_settings RENAME TO trivia_settings_away"
    )
    try:
        loop.wake()
        async with asyncio.timeout(15):
            while loop.failures < 1:
                await asyncio.sleep(0.05)
    finally:
        await asyncio.to_thread(
            other.execute, "ALTER TABLE trivia_settings_away RENAME TO trivia_settings"
        )
        other.close()
    assert loop.last_error is not None  # e.g. "no such table: trivia_settings"
    async with asyncio.timeout(15):  # a backoff of 1 s, then a successful tick
        while loop.failures:
            await asyncio.sleep(0.05)
    assert loop.running
