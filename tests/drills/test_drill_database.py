"""Database drills: the file locked by another connection, and the disk full on a write.

The bot runs in-loop against the loopback Discord on a real SQLite file; the faults are real
SQLite conditions (a second connection holding BEGIN EXCLUSIVE past busy_timeout; SQLITE_FULL
from `PRAGMA max_page_count` on the bot's own connection), never mocks.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from bot.core.client import Lightstick
from bot.core.tree import DATABASE_BUSY, STORAGE_FULL
from bot.domain.trivia.formats import parse_pack
from bot.store.trivia import TriviaRepo
from bot.store.trivia_packs import TriviaPackRepo
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import Attachment
from bot.testing.loopback.world import GuildFixture
from tests.drills.drill_support import integrity, query


def pack_yaml(count: int, tag: str) -> bytes:
    """Return a valid question pack of `count` questions, each long enough to need pages."""
    lines = ["questions:"]
    for i in range(count):
        lines += [
            f'  - prompt: "Drill {tag} question {i}: which year did fan club chapter {i} open '
            f'its doors to the members who had waited since the very first showcase?"',
            f'    answer: "{2000 + i % 50}"',
            f'    distractors: ["{1950 + i % 40}", "{1900 + i % 30}", "{2060 + i % 20}"]',
        ]
    return ("\n".join(lines) + "\n").encode()


async def settings_cmd(loopback: LoopbackDiscord, guild: GuildFixture, seconds: int) -> str:
    """Run `/trivia settings seconds:N` as a moderator; return the (ephemeral) reply text."""
    ix = await loopback.slash(
        guild.id, "trivia settings", {"seconds": seconds}, user=guild.moderator
    )
    await ix.settled(timeout=8.0)
    assert ix.ephemeral
    return ix.all_text()


async def test_locked_database_gives_a_clear_busy_message_and_recovers(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Another process holds the file with BEGIN EXCLUSIVE past busy_timeout: a write command
    answers "database busy" in time (no 3 s timeout), reads keep working, and once the lock
    is released the same write succeeds with nothing half-written."""
    db = tmp_path / "lightstick.db"
    async with start_lightstick(loopback, db) as bot:
        assert "20 s per question" in await settings_cmd(loopback, guild, 20)
        other = sqlite3.connect(db, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            text = await settings_cmd(loopback, guild, 45)
            assert DATABASE_BUSY in text
            assert "code" not in text  # not the "something went wrong (code …)" fallback
            board = await loopback.slash(guild.id, "trivia leaderboard", {}, user=guild.member)
            await board.settled()
            assert board.embeds, "reads must keep working while another process writes"
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert "45 s per question" in await settings_cmd(loopback, guild, 45)
        settings = await bot.store.guild(guild.id).repo(TriviaRepo).get_settings()
        assert settings.seconds_per_question == 45
    assert integrity(db) == "ok"


async def fill_to_limit(bot: Lightstick) -> None:
    """Cap the bot's connection at the current file size: growing writes hit SQLITE_FULL."""
    pages = int(await bot.store.db.fetchval("PRAGMA page_count"))
    await bot.store.db.fetchval(f"PRAGMA max_page_count = {pages}")


async def test_disk_full_refuses_the_import_cleanly_and_recovers(
    loopback: LoopbackDiscord,
    guild: GuildFixture,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A pack import hits SQLITE_FULL: the moderator is told storage is full, an ERROR is logged
    for operators, no half pack is stored, other commands keep working, and the same import
    succeeds once space is back."""
    db = tmp_path / "lightstick.db"
    pack = pack_yaml(60, "full")
    async with start_lightstick(loopback, db) as bot:
        repo = bot.store.guild(guild.id).repo(TriviaPackRepo)
        warm = await loopback.slash(guild.id, "trivia leaderboard", {}, user=guild.member)
        await warm.settled()
        await fill_to_limit(bot)
        with caplog.at_level(logging.ERROR, logger="bot.core.tree"):
            ix = await loopback.slash(
                guild.id,
                "trivia pack import",
                {"file": Attachment("drill.yaml", pack), "name": "Drill"},
                user=guild.moderator,
            )
            await ix.settled(timeout=8.0)
        assert STORAGE_FULL in ix.all_text()
        assert "code" not in ix.all_text()
        assert any(
            r.levelno == logging.ERROR and "storage is full" in r.getMessage()
            for r in caplog.records
        ), "operators must get an ERROR log"
        assert await repo.list_packs() == []
        assert query(db, "SELECT count(*) FROM trivia_pack_questions")[0][0] == 0
        # A command that only reads still answers while the disk is full.
        board = await loopback.slash(guild.id, "trivia leaderboard", {}, user=guild.member)
        await board.settled()
        assert board.embeds

        await bot.store.db.fetchval("PRAGMA max_page_count = 1073741823")
        ok = await loopback.slash(
            guild.id,
            "trivia pack import",
            {"file": Attachment("drill.yaml", pack), "name": "Drill"},
            user=guild.moderator,
        )
        await ok.settled()
        assert "Imported **Drill** from a Lightstick pack: 60 questions" in ok.all_text()
        packs = await repo.list_packs()
        assert [(p.name, p.question_count) for p in packs] == [("Drill", 60)]
    assert integrity(db) == "ok"


async def test_disk_full_inside_a_transaction_leaves_the_connection_usable(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """SQLITE_FULL raised mid-transaction surfaces as "disk is full" (not a ROLLBACK error that
    hides it), and the next transaction on the same connection works."""
    db = tmp_path / "lightstick.db"
    async with start_lightstick(loopback, db) as bot:
        repo = bot.store.guild(guild.id).repo(TriviaPackRepo)
        await fill_to_limit(bot)
        questions = parse_pack(pack_yaml(60, "tx"), "tx.yaml").questions
        with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
            await repo.add_pack("Tx", guild.moderator.id, questions, bot.clock())
        assert not bot.store.db.connection.in_transaction
        await bot.store.db.fetchval("PRAGMA max_page_count = 1073741823")
        await repo.add_pack("Tx", guild.moderator.id, questions, bot.clock())
        assert [p.question_count for p in await repo.list_packs()] == [60]
    assert integrity(db) == "ok"
