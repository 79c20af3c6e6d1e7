"""Storage: the Store (one database), guild scopes, and one repository module per feature."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, TypeVar

from bot.resources import MIGRATIONS_DIR
from bot.store.backend import backend_of, sqlite_path
from bot.store.db import Database, SqliteDatabase
from bot.store.guilds import GuildLifecycleRepo, GuildSettingsRepo, MetaRepo
from bot.store.migrate import migrate
from bot.store.postgres import PostgresDatabase

__all__ = ["Database", "GuildScope", "Store", "open_database"]


async def open_database(target: Path | str, *, schema: str | None = None) -> Database:
    """Open the database a URL names (`sqlite:///...`, `postgresql://...`) or an SQLite file.

    A `Path`, or a string without a scheme, is an SQLite file. `schema` (PostgreSQL only) puts
    every table in that schema instead of the default one. Raises ValueError for another
    scheme, DatabaseUnusable (and DatabaseUnavailable for PostgreSQL) when it cannot be used.
    """
    if isinstance(target, Path) or "://" not in target:
        return await SqliteDatabase.open(target)
    if backend_of(target) == "sqlite":
        return await SqliteDatabase.open(sqlite_path(target))
    settings = {"search_path": schema} if schema else None
    return await PostgresDatabase.open(target, server_settings=settings)


class GuildRepo(Protocol):
    """A repository bound to one server: built from the database and that server's id."""

    def __init__(self, db: Database, guild_id: int) -> None: ...


R = TypeVar("R", bound=GuildRepo)


class SharedRepo(Protocol):
    """A repository of rows that belong to no single server (outboxes, caches, schedules)."""

    def __init__(self, db: Database) -> None: ...


S = TypeVar("S", bound=SharedRepo)


class GuildScope:
    """The only door to one server's rows: every repository it hands out is bound to its id."""

    def __init__(self, db: Database, guild_id: int) -> None:
        self._db = db
        self.guild_id = guild_id

    def repo(self, repo_cls: type[R]) -> R:
        """Return `repo_cls` bound to this server."""
        return repo_cls(self._db, self.guild_id)

    @property
    def settings(self) -> GuildSettingsRepo:
        """Return this server's shared settings."""
        return GuildSettingsRepo(self._db, self.guild_id)


class Store:
    """The database plus the repositories that are not scoped to one server."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.guilds = GuildLifecycleRepo(db)
        self.meta = MetaRepo(db)

    @classmethod
    async def open(cls, target: Path | str, *, schema: str | None = None) -> Store:
        """Open the database a URL names, or an SQLite file (creating its folder)."""
        return cls(await open_database(target, schema=schema))

    async def migrate(self, folder: Path = MIGRATIONS_DIR) -> int:
        """Bring the schema up to date; raise MigrationError on a newer database."""
        return await migrate(self.db, folder)

    def shared(self, repo_cls: type[S]) -> S:
        """Return `repo_cls`, a repository that works across servers, on this database."""
        return repo_cls(self.db)

    def guild(self, guild_id: int) -> GuildScope:
        """Return the scope for one server."""
        return GuildScope(self.db, guild_id)

    async def ensure_guild(self, guild_id: int, name: str | None = None) -> None:
        """Make sure the server's rows exist before a feature writes to it (idempotent)."""
        await self.guilds.ensure_guild(guild_id, name)

    async def close(self) -> None:
        """Close the database (in-flight statements finish first)."""
        await self.db.close()
