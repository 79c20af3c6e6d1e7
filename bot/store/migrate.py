"""Forward-only migrations, each applied atomically with its version bump.

SQLite runs `migrations/NNNN_slug.sql` and keeps the version in `PRAGMA user_version`;
PostgreSQL runs `migrations/postgresql/NNNN_slug.sql` (the same numbers, translated by hand) and
keeps it in the one-row table `schema_version`.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bot.resources import MIGRATIONS_DIR
from bot.store.backend import redact_url
from bot.store.db import Database, DatabaseUnavailable, DatabaseUnusable, SqliteDatabase
from bot.store.postgres import PostgresDatabase

log = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

# The PostgreSQL files live in this sub-folder of the SQLite ones.
POSTGRES_SUBDIR = "postgresql"
# Held for a whole migration run, so two processes starting at once migrate one after the other.
_MIGRATION_LOCK_KEY = 0x4C53_4D49_4752  # "LSMIGR"


class MigrationError(RuntimeError):
    """The schema cannot reach this code's version.

    Raised for a newer database, a badly named or failing file, an installation without migration
    files, or a database that ends below the latest version.
    """


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    version: int
    path: Path

    def sql(self) -> str:
        """Return the file's SQL."""
        return self.path.read_text(encoding="utf-8")


def discover(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """List migrations in order, refusing gaps and duplicates so a numbering mistake cannot ship."""
    found: list[Migration] = []
    for path in sorted(folder.glob("*.sql")):
        m = _NAME.match(path.name)
        if not m:
            raise MigrationError(f"migration file name not of the form NNNN_slug.sql: {path.name}")
        found.append(Migration(int(m.group(1)), path))
    for expected, mig in enumerate(found, start=1):
        if mig.version != expected:
            raise MigrationError(
                f"migrations must be numbered 1..N without gaps; got {mig.path.name}"
            )
    return found


def _shipped(folder: Path) -> list[Migration]:
    """Return the migrations in `folder`, raising MigrationError when there are none."""
    migs = discover(folder)
    if not migs:
        raise MigrationError(
            f"no migration files found in {folder}; this Lightstick installation is incomplete "
            "(reinstall it)"
        )
    return migs


def latest_version(folder: Path = MIGRATIONS_DIR) -> int:
    """Return the schema version this code expects."""
    migs = discover(folder)
    return migs[-1].version if migs else 0


async def current_version(db: Database) -> int:
    """Return the database's schema version (0 for an empty database)."""
    if db.dialect == "sqlite":
        return int(await db.fetchval("PRAGMA user_version") or 0)
    if await db.fetchval("SELECT to_regclass('schema_version')") is None:
        return 0
    return int(await db.fetchval("SELECT coalesce(max(version), 0) FROM schema_version") or 0)


async def migrate(db: Database, folder: Path = MIGRATIONS_DIR) -> int:
    """Apply every pending migration, each in its own transaction; return the new version.

    `executescript` COMMITs any open transaction before it runs, so BEGIN and the version bump
    live inside the script itself, and a failure rolls the whole file back. Fails closed: raises
    MigrationError when `folder` holds no migration file, when the database is newer than the
    code, when a file fails or never reaches its end, and unless the database ends exactly at
    the latest version.
    """
    if isinstance(db, PostgresDatabase):
        return await _migrate_postgres(db, folder / POSTGRES_SUBDIR)
    if not isinstance(db, SqliteDatabase):
        raise TypeError(f"no migration runner for {type(db).__name__}")
    migs = _shipped(folder)
    target = migs[-1].version
    version = await current_version(db)
    _refuse_newer(version, target)
    conn = db.connection
    for mig in migs:
        if mig.version <= version:
            continue
        script = f"BEGIN IMMEDIATE;\n{mig.sql()}\n;PRAGMA user_version = {mig.version};\nCOMMIT;"
        try:
            await conn.executescript(script)
        except sqlite3.Error as exc:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise MigrationError(f"migration {mig.path.name} failed: {exc}") from exc
        if conn.in_transaction:
            # The script never reached its COMMIT (an unterminated /* comment swallows it).
            await conn.execute("ROLLBACK")
            raise MigrationError(f"migration {mig.path.name} did not run to its end; rolled back")
        log.info("applied migration %s", mig.path.name)
        version = mig.version
    return await require_version(db, target)


def _refuse_newer(version: int, target: int) -> None:
    if version > target:
        raise MigrationError(
            f"database schema version {version} is newer than this Lightstick ({target}); "
            "upgrade Lightstick or restore a matching backup"
        )


async def _migrate_postgres(db: PostgresDatabase, folder: Path) -> int:
    """Apply pending PostgreSQL migrations, each in one transaction with its version bump."""
    migs = _shipped(folder)
    target = migs[-1].version
    async with db.pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK_KEY)
        try:
            # Read before creating anything: an up-to-date database needs no CREATE right.
            version = 0
            if await conn.fetchval("SELECT to_regclass('schema_version')") is not None:
                version = int(
                    await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_version")
                )
            _refuse_newer(version, target)
            for mig in migs:
                if mig.version <= version:
                    continue
                try:
                    async with conn.transaction():
                        await conn.execute(
                            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
                        )
                        await conn.execute(mig.sql())
                        await conn.execute("DELETE FROM schema_version")
                        await conn.execute(
                            "INSERT INTO schema_version (version) VALUES ($1)", mig.version
                        )
                except asyncpg.InsufficientPrivilegeError as exc:
                    user = await conn.fetchval("SELECT current_user")
                    raise MigrationError(
                        f"migration {POSTGRES_SUBDIR}/{mig.path.name} is not allowed ({exc}): "
                        "the database user needs CREATE on the schema to migrate; run "
                        f"`createdb -O {user} <database>` for a new database, or "
                        f"GRANT CREATE ON SCHEMA public TO {user}"
                    ) from exc
                except asyncpg.PostgresError as exc:
                    raise MigrationError(
                        f"migration {POSTGRES_SUBDIR}/{mig.path.name} failed: {exc}"
                    ) from exc
                log.info("applied migration %s/%s", POSTGRES_SUBDIR, mig.path.name)
                version = mig.version
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK_KEY)
    return await require_version(db, target)


def _mismatch(version: int, target: int) -> MigrationError:
    return MigrationError(
        f"database schema version {version} is not this Lightstick's version {target}"
    )


async def require_version(db: Database, target: int) -> int:
    """Return the database's version, raising MigrationError unless it is exactly `target`."""
    version = await current_version(db)
    if version != target:
        raise _mismatch(version, target)
    return version


def check_schema(path: Path, folder: Path = MIGRATIONS_DIR) -> int:
    """Open the database file read-only and return its version if it is this code's latest.

    The cheap liveness probe behind `lightstick --health`: no migration is applied and nothing is
    written. Raises MigrationError when the file is missing or unreadable, when no migration files
    are installed, or when the version differs from the latest.
    """
    target = _shipped(folder)[-1].version
    if not path.is_file():
        raise MigrationError(f"no database at {path}")
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as exc:
        raise MigrationError(f"cannot read the database at {path}: {exc}") from exc
    if version != target:
        raise _mismatch(version, target)
    return version


async def check_postgres_schema(url: str, folder: Path = MIGRATIONS_DIR) -> int:
    """Connect to the PostgreSQL database and return its version if it is this code's latest.

    `lightstick --health` for PostgreSQL: nothing is applied or written. Raises MigrationError
    when the server cannot be reached or used, when no migration files are installed, or when
    the version differs from the latest.
    """
    target = _shipped(folder / POSTGRES_SUBDIR)[-1].version
    try:
        db = await PostgresDatabase.open(url, min_size=1, max_size=1)
    except (DatabaseUnusable, DatabaseUnavailable) as exc:
        raise MigrationError(str(exc)) from exc
    try:
        version = await current_version(db)
    except (asyncpg.PostgresError, DatabaseUnavailable) as exc:
        raise MigrationError(f"cannot read the database at {redact_url(url)}: {exc}") from exc
    finally:
        await db.close()
    if version != target:
        raise _mismatch(version, target)
    return version
