"""Trivia storage: per-server TriviaRepo (games, answers, stats, settings, daily). The records and
the cross-server scans live in bot/store/trivia_records.py and are re-exported here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from bot.domain.trivia.game import Answer
from bot.domain.trivia.selection import Pick
from bot.errors import Conflict, NotFound
from bot.store.db import Database
from bot.store.times import to_epoch
from bot.store.trivia_records import (
    GameRecord,
    MemberStats,
    game_record,
    list_daily_guilds,
    list_running_games,
)

__all__ = [
    "GameRecord",
    "MemberStats",
    "TriviaRepo",
    "TriviaSettings",
    "list_daily_guilds",
    "list_running_games",
    "week_ago",
]

SECONDS_MIN, SECONDS_MAX, SECONDS_DEFAULT = 10, 60, 20
QUESTIONS_MIN, QUESTIONS_MAX, QUESTIONS_DEFAULT = 1, 20, 5
RecordOutcome = Literal["ok", "duplicate", "closed"]
_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class TriviaSettings:
    """A server's trivia settings (defaults when never set)."""

    seconds_per_question: int = SECONDS_DEFAULT
    questions_per_game: int = QUESTIONS_DEFAULT
    daily_channel_id: int | None = None
    daily_time: str | None = None  # 'HH:MM' in the server's time zone


class TriviaRepo:
    """Trivia rows of one server."""

    def __init__(self, db: Database, guild_id: int) -> None:
        self._db = db
        self.guild_id = guild_id

    def _ids(self, **more: Any) -> dict[str, Any]:
        """Return the parameters naming this server, plus `more`."""
        return {"guild_id": self.guild_id, **more}

    # -- settings ------------------------------------------------------------------------------

    async def get_settings(self) -> TriviaSettings:
        """Return the server's settings, defaults if never set (read-only)."""
        row = await self._db.fetchone(
            "SELECT * FROM trivia_settings WHERE guild_id = :guild_id", self._ids()
        )
        if row is None:
            return TriviaSettings()
        return TriviaSettings(
            int(row["seconds_per_question"]),
            int(row["questions_per_game"]),
            row["daily_channel_id"],
            row["daily_time"],
        )

    async def update_settings(
        self,
        *,
        seconds: int = _UNSET,
        questions: int = _UNSET,
        daily_channel_id: int | None = _UNSET,
        daily_time: str | None = _UNSET,
    ) -> TriviaSettings:
        """Change the given settings (idempotent; values validated by the caller) and return all."""
        async with self._db.transaction():
            cur = await self.get_settings()
            new = TriviaSettings(
                cur.seconds_per_question if seconds is _UNSET else seconds,
                cur.questions_per_game if questions is _UNSET else questions,
                cur.daily_channel_id if daily_channel_id is _UNSET else daily_channel_id,
                cur.daily_time if daily_time is _UNSET else daily_time,
            )
            await self._db.execute(
                "INSERT INTO trivia_settings (guild_id, seconds_per_question, questions_per_game, "
                "daily_channel_id, daily_time, updated_at) VALUES (:guild_id, :seconds, "
                ":questions, :daily_channel_id, :daily_time, :now) "
                "ON CONFLICT(guild_id) DO UPDATE SET seconds_per_question = excluded."
                "seconds_per_question, questions_per_game = excluded.questions_per_game, "
                "daily_channel_id = excluded.daily_channel_id, daily_time = excluded.daily_time, "
                "updated_at = excluded.updated_at",
                self._ids(
                    seconds=new.seconds_per_question,
                    questions=new.questions_per_game,
                    daily_channel_id=new.daily_channel_id,
                    daily_time=new.daily_time,
                    now=to_epoch(datetime.now(UTC)),
                ),
            )
        return new

    # -- games ---------------------------------------------------------------------------------

    async def seen_ids(self) -> set[str]:
        """Return the ids this server has seen in the current cycles (read-only)."""
        rows = await self._db.fetchall(
            "SELECT question_id FROM trivia_seen WHERE guild_id = :guild_id", self._ids()
        )
        return {str(r[0]) for r in rows}

    async def recent_question_ids(self, kind: str = "game", games: int = 1) -> set[str]:
        """Return the question ids of this server's last `games` games of `kind` (read-only)."""
        rows = await self._db.fetchall(
            "SELECT question_ids FROM trivia_games WHERE guild_id = :guild_id AND kind = :kind "
            "ORDER BY game_id DESC LIMIT :games",
            self._ids(kind=kind, games=games),
        )
        return {str(q) for r in rows for q in json.loads(r[0])}

    async def start_game(
        self,
        *,
        channel_id: int,
        starter_id: int | None,
        pick: Pick,
        pool: Sequence[str],
        seed: int,
        seconds: int,
        now: datetime,
        kind: str = "game",
        category: str | None = None,
    ) -> int:
        """Create a running game and mark its questions seen, atomically; Conflict if the channel
        already has a running game."""
        try:
            async with self._db.transaction():
                game_id = await self._db.fetchval(
                    "INSERT INTO trivia_games (guild_id, channel_id, starter_id, kind, category, "
                    "seed, seconds, question_ids, started_at) VALUES (:guild_id, :channel_id, "
                    ":starter_id, :kind, :category, :seed, :seconds, :question_ids, :now) "
                    "RETURNING game_id",
                    self._ids(
                        channel_id=channel_id,
                        starter_id=starter_id,
                        kind=kind,
                        category=category,
                        seed=seed,
                        seconds=seconds,
                        question_ids=json.dumps(list(pick.ids)),
                        now=to_epoch(now),
                    ),
                )
                if pick.reset:
                    await self._db.execute_many(
                        "DELETE FROM trivia_seen WHERE guild_id = :guild_id AND question_id = :q",
                        [self._ids(q=q) for q in pool],
                    )
                await self._db.execute_many(
                    "INSERT INTO trivia_seen (guild_id, question_id, seen_at) "
                    "VALUES (:guild_id, :q, :now) ON CONFLICT DO NOTHING",
                    [self._ids(q=q, now=to_epoch(now)) for q in pick.mark_seen],
                )
        except self._db.integrity_errors:
            raise Conflict("A trivia game is already running in this channel.") from None
        return int(game_id)

    async def get_game(self, game_id: int) -> GameRecord | None:
        """Return one of this server's games, or None (read-only)."""
        row = await self._db.fetchone(
            "SELECT * FROM trivia_games WHERE game_id = :game_id AND guild_id = :guild_id",
            self._ids(game_id=game_id),
        )
        return None if row is None else game_record(row)

    async def running_game_in(self, channel_id: int) -> GameRecord | None:
        """Return the member-started game running in a channel, or None (read-only)."""
        row = await self._db.fetchone(
            "SELECT * FROM trivia_games WHERE guild_id = :guild_id AND channel_id = :channel_id "
            "AND status = 'running' AND kind = 'game'",
            self._ids(channel_id=channel_id),
        )
        return None if row is None else game_record(row)

    async def open_question(self, game_id: int, index: int, correct: int, started_ms: int) -> None:
        """Mark question `index` open with its correct button and start time (idempotent)."""
        await self._db.execute(
            "UPDATE trivia_games SET current_index = :index, question_open = 1, "
            "current_correct = :correct, question_started_ms = :started_ms "
            "WHERE game_id = :game_id AND guild_id = :guild_id AND status = 'running'",
            self._ids(index=index, correct=correct, started_ms=started_ms, game_id=game_id),
        )

    async def add_message(self, game_id: int, message_id: int) -> None:
        """Remember a posted question message so it can be closed later (not idempotent)."""
        async with self._db.transaction():
            game = await self.get_game(game_id)
            if game is None:
                raise NotFound("That trivia game no longer exists.")
            await self._db.execute(
                "UPDATE trivia_games SET message_ids = :message_ids "
                "WHERE game_id = :game_id AND guild_id = :guild_id",
                self._ids(message_ids=json.dumps([*game.message_ids, message_id]), game_id=game_id),
            )

    async def close_question(self, game_id: int) -> None:
        """Stop accepting answers for the open question (idempotent)."""
        await self._db.execute(
            "UPDATE trivia_games SET question_open = 0 "
            "WHERE game_id = :game_id AND guild_id = :guild_id",
            self._ids(game_id=game_id),
        )

    async def record_answer(
        self, game_id: int, q_index: int, member_id: int, choice: int, answer: Answer, now: datetime
    ) -> RecordOutcome:
        """Store a member's answer if the question is still open; 'duplicate' on a second click."""
        try:
            changed = await self._db.execute(
                # The CASTs give PostgreSQL the parameters' types, which a SELECT list cannot
                # infer.
                "INSERT INTO trivia_answers (game_id, q_index, member_id, guild_id, choice, "
                "correct, points, elapsed_ms, answered_at) SELECT CAST(:game_id AS BIGINT), "
                "CAST(:q_index AS INTEGER), CAST(:member_id AS BIGINT), "
                "CAST(:guild_id AS BIGINT), CAST(:choice AS INTEGER), "
                "CAST(:correct AS INTEGER), CAST(:points AS INTEGER), "
                "CAST(:elapsed_ms AS INTEGER), CAST(:now AS BIGINT) "
                "WHERE EXISTS (SELECT 1 FROM trivia_games WHERE game_id = :game_id "
                "AND guild_id = :guild_id AND status = 'running' AND current_index = :q_index "
                "AND question_open = 1)",
                self._ids(
                    game_id=game_id,
                    q_index=q_index,
                    member_id=member_id,
                    choice=choice,
                    correct=int(answer.correct),
                    points=int(answer.points),
                    elapsed_ms=round(answer.elapsed * 1000),
                    now=to_epoch(now),
                ),
            )
        except self._db.integrity_errors:
            return "duplicate"
        return "ok" if changed else "closed"

    async def has_answered(self, game_id: int, q_index: int, member_id: int) -> bool:
        """Say whether a member already answered one question of a game (read-only)."""
        row = await self._db.fetchone(
            "SELECT 1 FROM trivia_answers WHERE game_id = :game_id AND q_index = :q_index "
            "AND member_id = :member_id AND guild_id = :guild_id",
            self._ids(game_id=game_id, q_index=q_index, member_id=member_id),
        )
        return row is not None

    async def round_answers(self, game_id: int, q_index: int) -> list[Answer]:
        """Return the answers to one question in the order they arrived (read-only)."""
        rows = await self._db.fetchall(
            "SELECT member_id, choice, correct, points, elapsed_ms FROM trivia_answers "
            "WHERE game_id = :game_id AND q_index = :q_index AND guild_id = :guild_id "
            "ORDER BY elapsed_ms, member_id",
            self._ids(game_id=game_id, q_index=q_index),
        )
        return [Answer(int(r[0]), int(r[1]), bool(r[2]), int(r[3]), int(r[4]) / 1000) for r in rows]

    async def apply_answers(self, game_id: int, now: datetime) -> int:
        """Add the game's not-yet-counted answers to member stats; idempotent; return how many."""
        async with self._db.transaction():
            rows = await self._db.fetchall(
                "SELECT member_id, correct, points FROM trivia_answers WHERE game_id = :game_id "
                "AND guild_id = :guild_id AND applied = 0 ORDER BY q_index, elapsed_ms, member_id",
                self._ids(game_id=game_id),
            )
            for member_id, correct, points in rows:
                # Columns of the row being updated are named `trivia_stats.x`: PostgreSQL finds
                # a bare name ambiguous beside `excluded.x`. SQLite's two-argument max() is
                # GREATEST in PostgreSQL, so the best streak is a CASE both accept.
                await self._db.execute(
                    "INSERT INTO trivia_stats (guild_id, member_id, points, answered, correct, "
                    "current_streak, best_streak, updated_at) VALUES (:guild_id, :member_id, "
                    ":points, 1, :correct, :correct, :correct, :now) "
                    "ON CONFLICT(guild_id, member_id) DO UPDATE SET "
                    "points = trivia_stats.points + excluded.points, "
                    "answered = trivia_stats.answered + 1, "
                    "correct = trivia_stats.correct + excluded.correct, "
                    "current_streak = CASE WHEN excluded.correct = 1 "
                    "THEN trivia_stats.current_streak + 1 ELSE 0 END, "
                    "best_streak = CASE WHEN excluded.correct = 1 "
                    "AND trivia_stats.current_streak + 1 > trivia_stats.best_streak "
                    "THEN trivia_stats.current_streak + 1 ELSE trivia_stats.best_streak END, "
                    "updated_at = excluded.updated_at",
                    self._ids(
                        member_id=int(member_id),
                        points=int(points),
                        correct=int(correct),
                        now=to_epoch(now),
                    ),
                )
            await self._db.execute(
                "UPDATE trivia_answers SET applied = 1 WHERE game_id = :game_id "
                "AND guild_id = :guild_id AND applied = 0",
                self._ids(game_id=game_id),
            )
        return len(rows)

    async def end_game(self, game_id: int, reason: str, now: datetime) -> bool:
        """End a running game keeping every point earned; return False if it had already ended."""
        async with self._db.transaction():
            game = await self.get_game(game_id)
            if game is None or not game.running:
                return False
            await self.apply_answers(game_id, now)
            await self._db.execute(
                "UPDATE trivia_games SET status = 'ended', question_open = 0, ended_at = :now, "
                "end_reason = :reason WHERE game_id = :game_id AND guild_id = :guild_id",
                self._ids(now=to_epoch(now), reason=reason, game_id=game_id),
            )
            if game.kind == "game":
                await self._db.execute(
                    "UPDATE trivia_stats SET games = games + 1 WHERE guild_id = :guild_id "
                    "AND member_id IN (SELECT DISTINCT member_id FROM trivia_answers "
                    "WHERE game_id = :game_id)",
                    self._ids(game_id=game_id),
                )
        return True

    async def game_scores(self, game_id: int) -> list[tuple[int, int, int]]:
        """Return (member, points, correct answers) for one game, best first (read-only)."""
        rows = await self._db.fetchall(
            "SELECT member_id, sum(points) AS p, sum(correct) AS c FROM trivia_answers "
            "WHERE game_id = :game_id AND guild_id = :guild_id GROUP BY member_id "
            "ORDER BY p DESC, member_id",
            self._ids(game_id=game_id),
        )
        return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]

    # -- stats ---------------------------------------------------------------------------------

    async def member_stats(self, member_id: int) -> MemberStats | None:
        """Return a member's lasting stats, or None if they never answered (read-only)."""
        row = await self._db.fetchone(
            "SELECT member_id, points, games, answered, correct, current_streak, best_streak "
            "FROM trivia_stats WHERE guild_id = :guild_id AND member_id = :member_id",
            self._ids(member_id=member_id),
        )
        return None if row is None else MemberStats(*(int(v) for v in row))

    async def leaderboard(
        self, *, since: datetime | None = None, limit: int = 10
    ) -> list[tuple[int, int, int]]:
        """Return (member, points, correct) best first, all-time or counted since `since`."""
        if since is None:
            rows = await self._db.fetchall(
                "SELECT member_id, points, correct FROM trivia_stats WHERE guild_id = :guild_id "
                "AND answered > 0 ORDER BY points DESC, correct DESC, member_id LIMIT :limit",
                self._ids(limit=limit),
            )
        else:
            rows = await self._db.fetchall(
                "SELECT member_id, sum(points) AS p, sum(correct) AS c FROM trivia_answers "
                "WHERE guild_id = :guild_id AND applied = 1 AND answered_at >= :since "
                "GROUP BY member_id ORDER BY p DESC, c DESC, member_id LIMIT :limit",
                self._ids(since=to_epoch(since), limit=limit),
            )
        return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]

    # -- daily ---------------------------------------------------------------------------------

    async def get_daily(self) -> tuple[int | None, str] | None:
        """Return (game id, local date posted for) of the last daily question, or None."""
        row = await self._db.fetchone(
            "SELECT game_id, posted_for FROM trivia_daily WHERE guild_id = :guild_id",
            self._ids(),
        )
        return None if row is None else (row[0], str(row[1]))

    async def set_daily(self, game_id: int, posted_for: str, message_id: int | None) -> None:
        """Record the daily question just posted (idempotent upsert)."""
        await self._db.execute(
            "INSERT INTO trivia_daily (guild_id, game_id, posted_for, message_id) "
            "VALUES (:guild_id, :game_id, :posted_for, :message_id) ON CONFLICT(guild_id) "
            "DO UPDATE SET game_id = excluded.game_id, posted_for = excluded.posted_for, "
            "message_id = excluded.message_id",
            self._ids(game_id=game_id, posted_for=posted_for, message_id=message_id),
        )


def week_ago(now: datetime) -> datetime:
    """Return the start of the weekly leaderboard window."""
    return now - timedelta(days=7)
