"""`lightstick migrate-db`: copy every table of an SQLite database into an empty one.

The target is migrated to the latest schema first and must hold no rows. Tables are copied in
foreign-key order, in batches, inside one transaction on the target (a failure leaves it empty);
PostgreSQL identity sequences then continue after the copied ids. Afterwards every table is
counted on both sides and printed as `table: source N, target N`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from bot.store import open_database
from bot.store.backend import Database, backend_of, redact_url, sqlite_path
from bot.store.db import DatabaseUnavailable, DatabaseUnusable, SqliteDatabase
from bot.store.migrate import MigrationError, latest_version, migrate, require_version
from bot.store.schema_info import (
    columns,
    dependency_order,
    has_rows,
    identity_columns,
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


async def _open_source(url: str) -> SqliteDatabase:
    if backend_of(url) != "sqlite":
        raise CopyRefused(
            "migrate-db copies from an SQLite database: give --from sqlite:///path/to/file.db",
            EXIT_USAGE,
        )
    path = sqlite_path(url)
    if not path.is_file():
        raise CopyRefused(f"there is no SQLite database at {path}", EXIT_USAGE)
    return await SqliteDatabase.open(path)


async def _check_ready(source: Database, target: Database) -> list[str]:
    """Migrate the target, check both schemas and the target's emptiness; return copy order."""
    try:
        await require_version(source, latest_version())
    except MigrationError as exc:
        raise CopyRefused(
            f"the source database is not at this Lightstick's schema ({exc}); start this "
            "Lightstick on it once (it migrates on start), then copy",
            EXIT_DATABASE,
        ) from exc
    try:
        await migrate(target)
    except MigrationError as exc:
        raise CopyRefused(f"cannot migrate the target database: {exc}", EXIT_DATABASE) from exc
    names = await tables(source)
    target_names = await tables(target)
    missing = sorted(set(names) - set(target_names))
    if missing:
        raise CopyRefused(f"the target lacks tables {', '.join(missing)}", EXIT_DATABASE)
    full = [name for name in target_names if await has_rows(target, name)]
    if full:
        raise CopyRefused(
            "the target database is not empty (rows in "
            + ", ".join(full)
            + "); migrate-db only copies into an empty database, so nothing was copied",
            EXIT_NOT_EMPTY,
        )
    return await dependency_order(source, names)


async def _copy_table(source: SqliteDatabase, target: Database, table: str) -> int:
    """Copy every row of `table` in batches; return how many were copied."""
    cols = await columns(source, table)
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
            await target.execute_many(insert, batch)
            copied += len(batch)
    return copied


async def _continue_identities(target: Database) -> None:
    """Make every PostgreSQL identity column hand out ids after the largest copied one."""
    for table, column in await identity_columns(target):
        largest = f"SELECT max({quote(column)}) FROM {quote(table)}"  # noqa: S608 - catalog names
        await target.fetchval(
            "SELECT setval(pg_get_serial_sequence(:table, :column), "
            f"coalesce(({largest}), 0) + 1, false)",
            {"table": table, "column": column},
        )


async def copy_database(source: SqliteDatabase, target: Database) -> list[TableCount]:
    """Copy `source` into the empty `target` and return both sides' counts per table.

    Raises CopyRefused when the target is not empty or a schema does not match; a failure
    during the copy rolls the target back to empty.
    """
    order = await _check_ready(source, target)
    async with target.transaction():
        for table in order:
            copied = await _copy_table(source, target, table)
            log.info("copied %s rows of %s", copied, table)
        await _continue_identities(target)
    return [TableCount(t, await row_count(source, t), await row_count(target, t)) for t in order]


async def run_migrate_db(source_url: str, target_url: str, write: Write) -> int:
    """Run `lightstick migrate-db`: copy, print the counts, return the process exit code."""
    try:
        source = await _open_source(source_url)
    except CopyRefused as exc:
        write(f"migrate-db: {exc}\n")
        return exc.exit_code
    except (DatabaseUnusable, ValueError) as exc:
        write(f"migrate-db: cannot open the source: {exc}\n")
        return EXIT_DATABASE
    try:
        try:
            target = await open_database(target_url)
        except (DatabaseUnusable, DatabaseUnavailable, ValueError) as exc:
            write(f"migrate-db: cannot open the target {redact_url(target_url)}: {exc}\n")
            return EXIT_DATABASE
        try:
            counts = await copy_database(source, target)
        except CopyRefused as exc:
            write(f"migrate-db: {exc}\n")
            return exc.exit_code
        except (asyncpg.PostgresError, DatabaseUnavailable, ValueError) as exc:
            write(f"migrate-db: the copy failed and was rolled back: {exc}\n")
            return EXIT_DATABASE
        finally:
            await target.close()
    finally:
        await source.close()
    for count in counts:
        write(count.line() + "\n")
    differ = [c.table for c in counts if c.source != c.target]
    if differ:
        write(f"migrate-db: counts differ for {', '.join(differ)}\n")
        return EXIT_MISMATCH
    write(f"migrate-db: copied {len(counts)} tables to {redact_url(target_url)}\n")
    return EXIT_OK
