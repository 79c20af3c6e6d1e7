"""The real `python -m bot` with a bad database: unusable at start, deleted while running."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest

from bot.core.tree import DATABASE_BUSY, STORAGE_GONE
from bot.testing.loopback.harness import run_bot_process
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture

EXIT_DATABASE = 3


def garbage(path: Path) -> Path:
    """Write a file that is not SQLite (a text file someone pointed DATABASE_PATH at)."""
    path.write_bytes(b"this is not a database\n" * 200)
    return path


def directory(path: Path) -> Path:
    """Make the path a directory."""
    path.mkdir()
    return path


@pytest.mark.parametrize("make", [garbage, directory], ids=["not-sqlite", "directory"])
async def test_unusable_database_exits_promptly_with_code_3_and_one_line(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path, make: object
) -> None:
    """A DATABASE_PATH that is not SQLite or is a directory: exit 3 within seconds, one line."""
    assert callable(make)
    path = make(tmp_path / "bot.db")
    env = {"DATABASE_PATH": str(path), "MUSICBRAINZ_API_BASE": ""}
    async with run_bot_process(loopback, env, wait_ready=False) as proc:
        code = await proc.wait(15)
    assert code == EXIT_DATABASE, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(path) in lines[0]


async def test_database_deleted_while_running_refuses_writes_loudly(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Deleting the file under a running bot: the next write is refused in plain words (not
    confirmed and lost), the log says so at CRITICAL, and the process still stops cleanly."""
    db = tmp_path / "bot.db"
    env = {"DATABASE_PATH": str(db), "MUSICBRAINZ_API_BASE": "", "DEV_GUILD_ID": str(guild.id)}
    async with run_bot_process(loopback, env) as proc:
        first = await loopback.slash(
            guild.id, "timezone set", options={"zone": "Asia/Seoul"}, user=guild.member
        )
        await first.settled(timeout=10)
        assert "Asia/Seoul" in first.all_text()
        for leftover in tmp_path.glob("bot.db*"):
            leftover.unlink()
        second = await loopback.slash(
            guild.id, "timezone set", options={"zone": "Asia/Tokyo"}, user=guild.member
        )
        await second.settled(timeout=10)
        assert STORAGE_GONE in second.all_text()
        await proc.wait_for_output("CRITICAL.*deleted or replaced", timeout=5)
        proc.proc.send_signal(signal.SIGTERM)
        code = await proc.wait(20)
    assert code == 0, proc.stderr


async def test_locked_database_answers_every_member_in_time(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """While another process holds the write lock, three members writing at once all get an
    answer (deferred in time, then "database is busy"); nobody sees "interaction failed"."""
    db = tmp_path / "bot.db"
    env = {"DATABASE_PATH": str(db), "MUSICBRAINZ_API_BASE": "", "DEV_GUILD_ID": str(guild.id)}
    members = [guild.add_member(f"fan{i}") for i in range(3)]
    async with run_bot_process(loopback, env):
        warm = await loopback.slash(
            guild.id, "timezone set", options={"zone": "Asia/Seoul"}, user=guild.member
        )
        await warm.settled(timeout=10)
        other = sqlite3.connect(db, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            clicks = [
                await loopback.slash(
                    guild.id, "timezone set", options={"zone": "Asia/Tokyo"}, user=member
                )
                for member in members
            ]
            for ix in clicks:
                await ix.settled(timeout=15)
        finally:
            other.execute("ROLLBACK")
            other.close()
        for ix in clicks:
            assert DATABASE_BUSY in ix.all_text()
    assert not [v for v in loopback.violations if v.kind == "ack_deadline"]
