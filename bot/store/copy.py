"""`lightstick migrate-db`: copy every table of an SQLite database into an empty one.

Both URLs are checked first (a usage error otherwise), then the target: a table that is not
Lightstick's, or a Lightstick table with rows, refuses it before anything is written there. Only
then is the target migrated to the latest schema. Tables are copied in foreign-key order, in
batches, inside one transaction on the target (a failure leaves it empty); the rows of `leases`
and `processes` (the old process's runtime state) are not copied. PostgreSQL identity sequences
then continue after the largest id SQLite ever handed out, so no deleted id comes back.
Afterwards every copied table is counted on both sides and printed as `table: source N, target N`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg

from bot.store import open_database
from bot.store.backend import Database, backend_of, redact_url, sqlite_path
from bot.store.db import DatabaseUnavailable, DatabaseUnusable, SqliteDatabase
from bot.store.migrate import MigrationError, current_version, latest_version, migrate
from bot.store.schema_info import (
    autoincrement_counters,
    columns,
    dependency_order,
    has_rows,
    identity_columns,
    primary_key,
    quote,
    row_count,
    tables,
)

log = logging.getLogger(__name__)

# The same codes as `lightstick` itself (bot/__main__.py), plus two of migrate-db's own.
EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DATABASE = 3
EXIT_NOT_EMPTY = 4
EXIT_MISMATCH = 5

BATCH_ROWS = 1000

# Runtime state of the process that ran on the source (chore leases, heartbeats): meaningless to
# the processes that will run on the target, so their rows are not copied.
RUNTIME_TABLES = ("leases", "processes")
# PostgreSQL's own databases: never a deployment's target.
RESERVED_DATABASES = frozenset({"postgres", "template0", "template1"})
SOURCE_FORM = "sqlite:///relative/path.db or sqlite:////absolute/path.db"
TARGET_FORM = "postgresql://user[:password]@host[:port]/database"

Write = Callable[[str], object]


class CopyRefused(Exception):
    """The copy cannot start; `str()` tells the operator why and `exit_code` which code to use."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class TableCount:
    """Rows of one table on each side after the copy."""

    table: str
    source: int
    target: int

    def line(self) -> str:
        """Return `table: source N, target N`."""
        return f"{self.table}: source {self.source}, target {self.target}"


def _source_path(url: str) -> Path:
    """Return the SQLite file `--from` names; raise CopyRefused (usage) for any other form."""
    try:
        if backend_of(url) == "sqlite":
            return sqlite_path(url)
    except ValueError:
        pass
    raise CopyRefused(
        f"--from {redact_url(url)} is not an SQLite database URL: migrate-db copies from "
        f"{SOURCE_FORM}",
        EXIT_USAGE,
    )


def _check_target_url(url: str) -> None:
    """Raise CopyRefused (usage) unless `--to` is an SQLite URL or names a PostgreSQL database."""
    try:
        backend = backend_of(url) if "://" in url else None
        if backend == "sqlite":
            sqlite_path(url)
            return
        database = urlsplit(url).path.lstrip("/") if backend else ""
    except ValueError:
        backend, database = None, ""
    if backend is None:
        raise CopyRefused(
            f"--to {redact_url(url)} is not a database URL: give {TARGET_FORM}", EXIT_USAGE
        )
    if not database:
        raise CopyRefused(
            f"--to {redact_url(url)} names no database: give {TARGET_FORM} with the empty "
            "database created for Lightstick",
            EXIT_USAGE,
        )
    if database in RESERVED_DATABASES:
        raise CopyRefused(
            f"--to names PostgreSQL's own database {database!r}: create an empty database for "
            f"Lightstick and give {TARGET_FORM}",
            EXIT_USAGE,
        )


async def _open_source(url: str) -> SqliteDatabase:
    path = _source_path(url)
    if not path.is_file():
        raise CopyRefused(f"there is no SQLite database at {path}", EXIT_USAGE)
    return await SqliteDatabase.open(path)


async def _check_source(source: Database) -> list[str]:
    """Check the source is at this Lightstick's schema; return its tables."""
    version, latest = await current_version(source), latest_version()
    if version > latest:
        raise CopyRefused(
            f"the source database is at schema version {version}, newer than this "
            f"Lightstick's {latest}: copy it with a Lightstick at least as new as the one that "
            "last ran on it",
            EXIT_DATABASE,
        )
    if version < latest:
        raise CopyRefused(
            f"the source database is at schema version {version}, older than this "
            f"Lightstick's {latest}: start this Lightstick on it once (it migrates on start), "
            "then copy",
            EXIT_DATABASE,
        )
    return await tables(source)


def _not_empty(what: str) -> CopyRefused:
    return CopyRefused(
        f"the target database is not empty ({what}); migrate-db only copies into an empty "
        "database, so nothing was copied",
        EXIT_NOT_EMPTY,
    )


async def _check_ready(source: Database, target: Database) -> list[str]:
    """Check the source's schema and the target's emptiness, then migrate the target.

    Nothing is written to the target before it is found empty: no table other than
    Lightstick's, and no row in Lightstick's. Returns the tables to copy, in copy order.
    """
    names = await _check_source(source)
    existing = await tables(target)
    foreign = sorted(set(existing) - set(names))
    if foreign:
        raise _not_empty("tables that are not Lightstick's: " + ", ".join(foreign))
    full = [name for name in existing if await has_rows(target, name)]
    if full:
        raise _not_empty("rows in " + ", ".join(full))
    try:
        await migrate(target)
    except MigrationError as exc:
        raise CopyRefused(f"cannot migrate the target database: {exc}", EXIT_DATABASE) from exc
    missing = sorted(set(names) - set(await tables(target)))
    if missing:
        raise CopyRefused(f"the target lacks tables {', '.join(missing)}", EXIT_DATABASE)
    copied = [name for name in names if name not in RUNTIME_TABLES]
    return await dependency_order(source, copied)


class CopyFailed(Exception):
    """A row could not be written to the target; `str()` names the table and the row."""


def _check_text(table: str, key: list[str], row: dict[str, object], cols: list[str]) -> None:
    """Raise CopyFailed if a text value holds NUL, which PostgreSQL text cannot store."""
    for name, value in zip(cols, row.values(), strict=True):
        if isinstance(value, str) and "\x00" in value:
            where = ", ".join(f"{k}={row[f'c{cols.index(k)}']!r}" for k in key) or "no key"
            raise CopyFailed(
                f"table {table}, row {where}: column {name} holds a NUL character, which "
                "PostgreSQL cannot store in text; remove it in the SQLite database and copy again"
            )


async def _copy_table(source: SqliteDatabase, target: Database, table: str) -> int:
    """Copy every row of `table` in batches; return how many were copied."""
    cols = await columns(source, table)
    key = await primary_key(source, table)
    names = [f"c{i}" for i in range(len(cols))]
    col_list = ", ".join(quote(c) for c in cols)
    insert = (
        f"INSERT INTO {quote(table)} ({col_list}) "  # noqa: S608 - names from the catalog
        f"VALUES ({', '.join(':' + n for n in names)})"
    )
    copied = 0
    # Streamed from SQLite with a cursor: a big table never sits in memory whole.
    select = f"SELECT {col_list} FROM {quote(table)}"  # noqa: S608 - names from the catalog
    async with source.connection.execute(select) as cursor:
        while batch := [
            dict(zip(names, row, strict=True)) for row in await cursor.fetchmany(BATCH_ROWS)
        ]:
            if target.dialect == "postgresql":
                for row in batch:
                    _check_text(table, key, row, cols)
            try:
                await target.execute_many(insert, batch)
            except asyncpg.PostgresError as exc:
                raise CopyFailed(f"table {table}: {exc}") from exc
            copied += len(batch)
    return copied


async def _continue_identities(source: SqliteDatabase, target: Database) -> None:
    """Make every PostgreSQL identity column hand out ids after the largest one SQLite ever
    handed out (its AUTOINCREMENT counter, which deleted rows leave above the largest id)."""
    counters = await autoincrement_counters(source)
    for table, column in await identity_columns(target):
        largest = f"SELECT max({quote(column)}) FROM {quote(table)}"  # noqa: S608 - catalog names
        await target.fetchval(
            "SELECT setval(pg_get_serial_sequence(:table, :column), "
            f"greatest(coalesce(({largest}), 0), :counter) + 1, false)",
            {"table": table, "column": column, "counter": counters.get(table, 0)},
        )


async def copy_database(source: SqliteDatabase, target: Database) -> list[TableCount]:
    """Copy `source` into the empty `target` and return both sides' counts per table.

    The rows of RUNTIME_TABLES are not copied, nor counted. Raises CopyRefused when the target
    is not empty or a schema does not match, CopyFailed when a row cannot be written; a failure
    during the copy rolls the target back to empty.
    """
    order = await _check_ready(source, target)
    async with target.transaction():
        for table in order:
            copied = await _copy_table(source, target, table)
            log.info("copied %s rows of %s", copied, table)
        await _continue_identities(source, target)
    return [TableCount(t, await row_count(source, t), await row_count(target, t)) for t in order]


async def run_migrate_db(source_url: str, target_url: str, write: Write) -> int:
    """Run `lightstick migrate-db`: copy, print the counts, return the process exit code."""
    try:
        _source_path(source_url)
        _check_target_url(target_url)
        source = await _open_source(source_url)
    except CopyRefused as exc:
        write(f"migrate-db: {exc}\n")
        return exc.exit_code
    except DatabaseUnusable as exc:
        write(f"migrate-db: cannot open the source: {exc}\n")
        return EXIT_DATABASE
    try:
        try:
            target = await open_database(target_url)
        except (DatabaseUnusable, DatabaseUnavailable, ValueError) as exc:
            # The error names the URL already (password redacted).
            write(f"migrate-db: cannot open the target: {exc}\n")
            return EXIT_DATABASE
        try:
            counts = await copy_database(source, target)
        except CopyRefused as exc:
            write(f"migrate-db: {exc}\n")
            return exc.exit_code
        except (CopyFailed, asyncpg.PostgresError, DatabaseUnavailable, ValueError) as exc:
            write(f"migrate-db: the copy failed and was rolled back: {exc}\n")
            return EXIT_DATABASE
        finally:
            await target.close()
    finally:
        await source.close()
    for count in counts:
        write(count.line() + "\n")
    for table in RUNTIME_TABLES:
        write(f"{table}: not copied (runtime state of the old process)\n")
    differ = [c.table for c in counts if c.source != c.target]
    if differ:
        write(f"migrate-db: counts differ for {', '.join(differ)}\n")
        return EXIT_MISMATCH
    write(f"migrate-db: copied {len(counts)} tables to {redact_url(target_url)}\n")
    return EXIT_OK
