"""Trivia rows read outside one server's repository: the game and member-stat records, and the
cross-server scans the start-up clean-up and the daily loop use."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.store.db import Database, Row


@dataclass(frozen=True, slots=True)
class GameRecord:
    """A stored game as the click handler and the runner need it."""

    game_id: int
    guild_id: int
    channel_id: int
    starter_id: int | None
    kind: str
    running: bool
    category: str | None
    seed: int
    seconds: int
    question_ids: tuple[str, ...]
    current_index: int
    question_open: bool
    current_correct: int | None
    question_started_ms: int | None
    message_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MemberStats:
    """One member's lasting trivia record in one server."""

    member_id: int
    points: int
    games: int
    answered: int
    correct: int
    current_streak: int
    best_streak: int


def game_record(row: Row) -> GameRecord:
    """Build a GameRecord from a trivia_games row."""
    return GameRecord(
        game_id=int(row["game_id"]),
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        starter_id=row["starter_id"],
        kind=str(row["kind"]),
        running=row["status"] == "running",
        category=row["category"],
        seed=int(row["seed"]),
        seconds=int(row["seconds"]),
        question_ids=tuple(json.loads(row["question_ids"])),
        current_index=int(row["current_index"]),
        question_open=bool(row["question_open"]),
        current_correct=row["current_correct"],
        question_started_ms=row["question_started_ms"],
        message_ids=tuple(int(m) for m in json.loads(row["message_ids"])),
    )


async def list_running_games(db: Database) -> list[GameRecord]:
    """Return every member-started game still marked running, in every server (read-only)."""
    rows = await db.fetchall(
        "SELECT * FROM trivia_games WHERE status = 'running' AND kind = 'game' ORDER BY game_id"
    )
    return [game_record(r) for r in rows]


async def list_daily_guilds(db: Database) -> list[tuple[int, int, str, str]]:
    """Return (guild, channel, 'HH:MM', zone) for every server with a daily question set up."""
    rows = await db.fetchall(
        "SELECT t.guild_id, t.daily_channel_id, t.daily_time, "
        "COALESCE(g.timezone, 'Asia/Seoul') AS zone FROM trivia_settings t "
        "LEFT JOIN guild_settings g ON g.guild_id = t.guild_id "
        "JOIN guilds ON guilds.guild_id = t.guild_id AND guilds.left_at IS NULL "
        "WHERE t.daily_channel_id IS NOT NULL AND t.daily_time IS NOT NULL ORDER BY t.guild_id"
    )
    return [(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]
