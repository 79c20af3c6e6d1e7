"""Trivia server packs: moderators' own questions, stored per server and bounded in number."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.trivia.model import PACKS_PER_GUILD_MAX, Question
from bot.errors import Conflict, NotFound
from bot.store.db import Database
from bot.store.times import from_epoch, to_epoch


@dataclass(frozen=True, slots=True)
class PackInfo:
    """A server pack as listed to moderators."""

    pack_id: int
    name: str
    question_count: int
    created_by: int
    created_at: datetime


def pack_question_id(pack_id: int, position: int) -> str:
    """Return the stable id of a pack question (unique across servers)."""
    return f"pack{pack_id}-{position}"


class TriviaPackRepo:
    """The trivia packs of one server."""

    def __init__(self, db: Database, guild_id: int) -> None:
        self._db = db
        self.guild_id = guild_id

    async def add_pack(
        self, name: str, created_by: int, questions: Sequence[Question], now: datetime
    ) -> int:
        """Store a validated pack; raise Conflict on a taken name or when the server is full."""
        async with self._db.transaction():
            count = int(
                await self._db.fetchval(
                    "SELECT count(*) FROM trivia_packs WHERE guild_id = :guild_id",
                    {"guild_id": self.guild_id},
                )
            )
            if count >= PACKS_PER_GUILD_MAX:
                raise Conflict(
                    f"This server already has {PACKS_PER_GUILD_MAX} packs; remove one first."
                )
            try:
                pack_id = int(
                    await self._db.fetchval(
                        "INSERT INTO trivia_packs (guild_id, name, created_by, created_at, "
                        "question_count) VALUES (:guild_id, :name, :created_by, :now, :count) "
                        "RETURNING pack_id",
                        {
                            "guild_id": self.guild_id,
                            "name": name,
                            "created_by": created_by,
                            "now": to_epoch(now),
                            "count": len(questions),
                        },
                    )
                )
            except self._db.integrity_errors:
                raise Conflict(f"A pack named “{name}” already exists here.") from None
            await self._db.execute_many(
                "INSERT INTO trivia_pack_questions (pack_id, guild_id, position, prompt, answer, "
                "accepted, distractors, category, year, source_url, source_quote) "
                "VALUES (:pack_id, :guild_id, :position, :prompt, :answer, :accepted, "
                ":distractors, :category, :year, :source_url, :source_quote)",
                [
                    {
                        "pack_id": pack_id,
                        "guild_id": self.guild_id,
                        "position": n,
                        "prompt": q.prompt,
                        "answer": q.answer,
                        "accepted": json.dumps(list(q.accepted)),
                        "distractors": json.dumps(list(q.distractors)),
                        "category": q.category,
                        "year": q.year,
                        "source_url": q.source_url,
                        "source_quote": q.source_quote,
                    }
                    for n, q in enumerate(questions, start=1)
                ],
            )
        return pack_id

    async def list_packs(self) -> list[PackInfo]:
        """Return this server's packs by name (read-only)."""
        rows = await self._db.fetchall(
            "SELECT pack_id, name, question_count, created_by, created_at FROM trivia_packs "
            # lower() rather than COLLATE NOCASE (SQLite only); both fold ASCII letters alike.
            "WHERE guild_id = :guild_id ORDER BY lower(name), pack_id",
            {"guild_id": self.guild_id},
        )
        return [
            PackInfo(int(r[0]), str(r[1]), int(r[2]), int(r[3]), from_epoch(r[4])) for r in rows
        ]

    async def remove_pack(self, name: str) -> int:
        """Delete a pack and its questions; return its question count; raise NotFound."""
        async with self._db.transaction():
            row = await self._db.fetchone(
                # lower() on both sides rather than COLLATE NOCASE (SQLite only). The
                # UNIQUE (guild_id, name) index still narrows the scan to this server's packs.
                "SELECT pack_id, question_count FROM trivia_packs WHERE guild_id = :guild_id "
                "AND lower(name) = lower(:name)",
                {"guild_id": self.guild_id, "name": name},
            )
            if row is None:
                raise NotFound(f"No pack named “{name}” in this server.")
            await self._db.execute(
                "DELETE FROM trivia_packs WHERE pack_id = :pack_id", {"pack_id": int(row[0])}
            )
        return int(row[1])

    async def pack_questions(self) -> list[Question]:
        """Return every question of this server's packs (read-only); a typed-answer question is
        stored with an empty distractors list."""
        rows = await self._db.fetchall(
            "SELECT * FROM trivia_pack_questions WHERE guild_id = :guild_id "
            "ORDER BY pack_id, position",
            {"guild_id": self.guild_id},
        )
        out = []
        for r in rows:
            out.append(
                Question(
                    id=pack_question_id(int(r["pack_id"]), int(r["position"])),
                    prompt=str(r["prompt"]),
                    answer=str(r["answer"]),
                    distractors=tuple(str(d) for d in json.loads(r["distractors"])),
                    category=str(r["category"]),
                    accepted=tuple(json.loads(r["accepted"])),
                    year=r["year"],
                    source_url=r["source_url"],
                    source_quote=r["source_quote"],
                )
            )
        return out
