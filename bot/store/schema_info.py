"""What a migrated database holds: its tables, their columns, the order foreign keys impose.

Read from the engine's own catalog (sqlite_master and pragma_table_info on SQLite,
information_schema on PostgreSQL), so `migrate-db` and the schema parity test see the same shape.
"""

from __future__ import annotations

from bot.store.backend import Database

# PostgreSQL's bookkeeping table of the schema version; SQLite keeps it in PRAGMA user_version.
VERSION_TABLE = "schema_version"


def quote(name: str) -> str:
    """Return `name` as a quoted SQL identifier (valid on both backends)."""
    return '"' + name.replace('"', '""') + '"'


async def tables(db: Database) -> list[str]:
    """Return the application's tables, sorted by name (no engine or version bookkeeping)."""
    if db.dialect == "sqlite":
        rows = await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    else:
        rows = await db.fetchall(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "AND table_name <> :version ORDER BY table_name",
            {"version": VERSION_TABLE},
        )
    return [str(row[0]) for row in rows]


async def columns(db: Database, table: str) -> list[str]:
    """Return the columns of `table` in their declared order."""
    if db.dialect == "sqlite":
        rows = await db.fetchall(
            "SELECT name FROM pragma_table_info(:table) ORDER BY cid", {"table": table}
        )
    else:
        rows = await db.fetchall(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = :table "
            "ORDER BY ordinal_position",
            {"table": table},
        )
    return [str(row[0]) for row in rows]


async def referenced(db: Database, table: str) -> set[str]:
    """Return the other tables `table` has foreign keys to (SQLite only)."""
    if db.dialect != "sqlite":
        raise NotImplementedError("foreign keys are read from the SQLite source only")
    rows = await db.fetchall(
        'SELECT "table" FROM pragma_foreign_key_list(:table)', {"table": table}
    )
    return {str(row[0]) for row in rows} - {table}


async def dependency_order(db: Database, names: list[str]) -> list[str]:
    """Return `names` with every table after the tables it references (stable by name).

    Raises ValueError on a foreign-key cycle, which no copy order could satisfy.
    """
    pending = {name: await referenced(db, name) & set(names) for name in names}
    ordered: list[str] = []
    while pending:
        ready = sorted(name for name, needs in pending.items() if needs <= set(ordered))
        if not ready:
            raise ValueError(f"foreign keys form a cycle between {sorted(pending)}")
        ordered.extend(ready)
        for name in ready:
            del pending[name]
    return ordered


async def row_count(db: Database, table: str) -> int:
    """Return how many rows `table` holds."""
    sql = f"SELECT count(*) FROM {quote(table)}"  # noqa: S608 - a name from the catalog
    return int(await db.fetchval(sql) or 0)


async def has_rows(db: Database, table: str) -> bool:
    """Say whether `table` holds at least one row (without counting them all)."""
    sql = f"SELECT 1 FROM {quote(table)} LIMIT 1"  # noqa: S608 - a name from the catalog
    return await db.fetchval(sql) is not None


async def identity_columns(db: Database) -> list[tuple[str, str]]:
    """Return (table, column) of every PostgreSQL identity column; none on SQLite."""
    if db.dialect == "sqlite":
        return []
    rows = await db.fetchall(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name"
    )
    return [(str(row[0]), str(row[1])) for row in rows]


async def primary_key(db: Database, table: str) -> list[str]:
    """Return the primary-key columns of `table` in key order (SQLite only; [] for rowid)."""
    if db.dialect != "sqlite":
        raise NotImplementedError("primary keys are read from the SQLite source only")
    rows = await db.fetchall(
        "SELECT name FROM pragma_table_info(:table) WHERE pk > 0 ORDER BY pk", {"table": table}
    )
    return [str(row[0]) for row in rows]


async def autoincrement_counters(db: Database) -> dict[str, int]:
    """Return the largest id ever handed out per AUTOINCREMENT table (SQLite's sqlite_sequence).

    It can exceed the largest id left in the table when the newest rows were deleted; {} on
    PostgreSQL or when no AUTOINCREMENT table ever got a row.
    """
    if db.dialect != "sqlite":
        return {}
    if not await db.fetchval(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
    ):
        return {}
    rows = await db.fetchall("SELECT name, seq FROM sqlite_sequence")
    return {str(row[0]): int(row[1] or 0) for row in rows}
