"""Server-specific artist aliases: the nicknames a server's moderators taught the bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.catalog.normalize import search_key
from bot.errors import Conflict, InvalidInput, NotFound
from bot.store.db import Database, Row
from bot.store.times import from_epoch, to_epoch

__all__ = ["MAX_ALIASES_PER_GUILD", "MAX_ALIAS_CHARS", "AliasRepo", "ArtistAlias"]

MAX_ALIASES_PER_GUILD = 200
MAX_ALIAS_CHARS = 50


@dataclass(frozen=True, slots=True)
class ArtistAlias:
    """One server alias: what was typed, its search key, and the act it names."""

    alias: str
    alias_norm: str
    artist_id: str
    created_by: int
    created_at: datetime


class AliasTaken(Conflict):
    """The server already has this alias (once folded); it finds `artist_id`."""

    def __init__(self, alias: str, artist_id: str) -> None:
        super().__init__(f"“{alias}” is already an alias here.")
        self.alias = alias
        self.artist_id = artist_id


class AliasRepo:
    """The aliases of one server (bound to its guild_id)."""

    def __init__(self, db: Database, guild_id: int) -> None:
        self._db = db
        self.guild_id = guild_id

    async def add_alias(
        self, alias: str, artist_id: str, created_by: int, now: datetime | None = None
    ) -> ArtistAlias:
        """Add an alias; not idempotent: raises InvalidInput, AliasTaken, Conflict (200 reached)."""
        text = " ".join(alias.split())
        if not text or len(text) > MAX_ALIAS_CHARS:
            raise InvalidInput(f"An alias needs 1 to {MAX_ALIAS_CHARS} characters.")
        norm = search_key(text)
        if not norm:
            raise InvalidInput("An alias needs at least one letter or digit.")
        moment = now or datetime.now(UTC)
        async with self._db.transaction():
            existing = await self._db.fetchone(
                "SELECT alias, artist_id FROM artist_aliases "
                "WHERE guild_id = :guild_id AND alias_norm = :norm",
                {"guild_id": self.guild_id, "norm": norm},
            )
            if existing is not None:
                raise AliasTaken(str(existing["alias"]), str(existing["artist_id"]))
            count = await self._db.fetchval(
                "SELECT COUNT(*) FROM artist_aliases WHERE guild_id = :guild_id",
                {"guild_id": self.guild_id},
            )
            if int(count) >= MAX_ALIASES_PER_GUILD:
                raise Conflict(
                    f"This server already has {MAX_ALIASES_PER_GUILD} aliases; remove one first."
                )
            await self._db.execute(
                "INSERT INTO artist_aliases "
                "(guild_id, alias_norm, alias, artist_id, created_by, created_at) "
                "VALUES (:guild_id, :norm, :alias, :artist_id, :created_by, :now)",
                {
                    "guild_id": self.guild_id,
                    "norm": norm,
                    "alias": text,
                    "artist_id": artist_id,
                    "created_by": created_by,
                    "now": to_epoch(moment),
                },
            )
        return ArtistAlias(text, norm, artist_id, created_by, moment)

    async def remove_alias(self, alias: str) -> ArtistAlias:
        """Remove the alias matching `alias` once folded; raises NotFound if there is none."""
        norm = search_key(alias)
        async with self._db.transaction():
            row = await self._db.fetchone(
                "SELECT alias, alias_norm, artist_id, created_by, created_at FROM artist_aliases "
                "WHERE guild_id = :guild_id AND alias_norm = :norm",
                {"guild_id": self.guild_id, "norm": norm},
            )
            if row is None or not norm:
                raise NotFound("No such alias in this server.")
            await self._db.execute(
                "DELETE FROM artist_aliases WHERE guild_id = :guild_id AND alias_norm = :norm",
                {"guild_id": self.guild_id, "norm": norm},
            )
        return _from_row(row)

    async def list_aliases(self) -> list[ArtistAlias]:
        """Return this server's aliases, alphabetically (read-only)."""
        rows = await self._db.fetchall(
            "SELECT alias, alias_norm, artist_id, created_by, created_at FROM artist_aliases "
            "WHERE guild_id = :guild_id ORDER BY alias_norm",
            {"guild_id": self.guild_id},
        )
        return [_from_row(r) for r in rows]

    async def alias_map(self) -> dict[str, str]:
        """Return {alias search key: artist id} for search and autocomplete (read-only)."""
        rows = await self._db.fetchall(
            "SELECT alias_norm, artist_id FROM artist_aliases WHERE guild_id = :guild_id",
            {"guild_id": self.guild_id},
        )
        return {str(r["alias_norm"]): str(r["artist_id"]) for r in rows}


def _from_row(row: Row) -> ArtistAlias:
    return ArtistAlias(
        alias=str(row["alias"]),
        alias_norm=str(row["alias_norm"]),
        artist_id=str(row["artist_id"]),
        created_by=int(row["created_by"]),
        created_at=from_epoch(row["created_at"]),
    )
