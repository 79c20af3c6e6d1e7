"""`lightstick migrate-db` refusing what it must refuse, before it writes anything: URLs of the
wrong form, PostgreSQL's own databases, a target holding someone else's tables, a source at
another schema version; and copying what it must: AUTOINCREMENT counters past deleted ids, no
runtime state of the old process, a row PostgreSQL cannot store named by table and key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from bot.store.copy import (
    EXIT_DATABASE,
    EXIT_NOT_EMPTY,
    EXIT_OK,
    EXIT_USAGE,
    run_migrate_db,
)
from bot.store.db import SqliteDatabase
from bot.store.migrate import latest_version, migrate
from bot.store.pg_admin import create_database, drop_database
from tests.test_entrypoint import run_bot

GUILD = 10**17
NOW = 1_790_000_000


async def _run(source: str, target: str) -> tuple[int, str]:
    out: list[str] = []
    code = await run_migrate_db(source, target, out.append)
    return code, "".join(out)


async def _source(path: Path, *, parties: int = 0) -> SqliteDatabase:
    """A migrated SQLite database with one server and `parties` parties (ids 1..parties)."""
    db = await SqliteDatabase.open(path)
    await migrate(db)
    await db.execute(
        "INSERT INTO guilds (guild_id, name, joined_at) VALUES (:g, 'Fans', :now)",
        {"g": GUILD, "now": NOW},
    )
    for _ in range(parties):
        await _add_party(db, "Comeback stage")
    return db


async def _add_party(db: SqliteDatabase | asyncpg.Connection, title: str) -> int:
    if isinstance(db, SqliteDatabase):
        return int(
            await db.fetchval(
                "INSERT INTO parties (guild_id, title, starts_at, duration_s, channel_id, "
                "organiser_id, zone, created_at, updated_at) VALUES (:g, :title, :now, 3600, 1, "
                "2, 'Asia/Seoul', :now, :now) RETURNING party_id",
                {"g": GUILD, "title": title, "now": NOW},
            )
        )
    return int(
        await db.fetchval(
            "INSERT INTO parties (guild_id, title, starts_at, duration_s, channel_id, "
            "organiser_id, zone, created_at, updated_at) VALUES ($1, $2, $3, 3600, 1, 2, "
            "'Asia/Seoul', $3, $3) RETURNING party_id",
            GUILD,
            title,
            NOW,
        )
    )


@pytest.fixture
async def target(pg_url: str) -> AsyncIterator[str]:
    url = await create_database(pg_url, prefix="lightstick_copy")
    try:
        yield url
    finally:
        await drop_database(pg_url, url)


async def _target_tables(url: str) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        )
        return [str(r[0]) for r in rows]
    finally:
        await conn.close()


async def test_a_target_holding_another_table_is_refused_before_anything_is_written(
    tmp_path: Path, target: str
) -> None:
    """One unrelated table with one row: exit 4, and not one Lightstick table created there."""
    await (await _source(tmp_path / "old.db")).close()
    conn = await asyncpg.connect(target)
    try:
        await conn.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)")
        await conn.execute("INSERT INTO customers VALUES (1, 'Mina')")
    finally:
        await conn.close()
    code, out = await _run(f"sqlite:///{tmp_path / 'old.db'}", target)
    assert code == EXIT_NOT_EMPTY, out
    assert "tables that are not Lightstick's: customers" in out
    assert "nothing was copied" in out
    assert await _target_tables(target) == ["customers"]


async def test_a_target_with_lightstick_rows_is_refused_before_it_is_migrated(
    tmp_path: Path, target: str
) -> None:
    """A migrated target holding a server: exit 4, its schema and rows left as they were."""
    await (await _source(tmp_path / "old.db")).close()
    first = await _source(tmp_path / "first.db")
    await first.close()
    code, out = await _run(f"sqlite:///{tmp_path / 'first.db'}", target)
    assert code == EXIT_OK, out
    before = await _target_tables(target)
    code, out = await _run(f"sqlite:///{tmp_path / 'old.db'}", target)
    assert code == EXIT_NOT_EMPTY, out
    assert "rows in guilds" in out
    assert await _target_tables(target) == before


@pytest.mark.parametrize(
    ("to", "says"),
    [
        ("postgresql://postgres@127.0.0.1:5432", "names no database"),
        ("postgresql://postgres@127.0.0.1:5432/", "names no database"),
        ("postgresql://postgres@127.0.0.1:5432/postgres", "PostgreSQL's own database 'postgres'"),
        ("postgres://u@127.0.0.1/template0", "PostgreSQL's own database 'template0'"),
        ("postgresql://u@127.0.0.1/template1", "PostgreSQL's own database 'template1'"),
        ("/tmp/new.db", "is not a database URL"),
        ("mysql://u@127.0.0.1/lightstick", "is not a database URL"),
    ],
)
async def test_the_target_must_be_a_url_naming_a_database_of_its_own(
    tmp_path: Path, to: str, says: str
) -> None:
    """A usage error (exit 2) naming the expected form; the maintenance database is untouched."""
    await (await _source(tmp_path / "old.db")).close()
    code, out = await _run(f"sqlite:///{tmp_path / 'old.db'}", to)
    assert code == EXIT_USAGE, out
    assert says in out
    assert "postgresql://user[:password]@host[:port]/database" in out


@pytest.mark.parametrize(
    "source", ["/tmp/old.db", "old.db", "sqlite://old.db", "mysql://u@h/db", "postgresq://u@h/db"]
)
def test_a_source_that_is_not_an_sqlite_url_is_a_usage_error(tmp_path: Path, source: str) -> None:
    """Exit 2 from the command line, with the form it expects and no traceback."""
    result = run_bot(
        ["migrate-db", "--from", source, "--to", "postgresql://u@127.0.0.1:9/lightstick"], tmp_path
    )
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert "sqlite:///relative/path.db or sqlite:////absolute/path.db" in result.stdout
    assert "Traceback" not in result.stderr


async def test_a_target_that_cannot_be_opened_is_named_once(tmp_path: Path) -> None:
    """Exit 3, and the target's URL (password hidden) appears once in the message."""
    await (await _source(tmp_path / "old.db")).close()
    url = "postgresql://u:secret@127.0.0.1:9/lightstick"
    code, out = await _run(f"sqlite:///{tmp_path / 'old.db'}", url)
    assert code == EXIT_DATABASE, out
    assert out.count("127.0.0.1:9/lightstick") == 1, out
    assert "secret" not in out


@pytest.mark.parametrize("offset", [1, -1])
async def test_a_source_at_another_schema_version_says_which_lightstick_to_use(
    tmp_path: Path, target: str, offset: int
) -> None:
    """Newer: copy it with a newer Lightstick; older: start this one on it first."""
    db = await _source(tmp_path / "old.db")
    await db.execute(f"PRAGMA user_version = {latest_version() + offset}")
    await db.close()
    code, out = await _run(f"sqlite:///{tmp_path / 'old.db'}", target)
    assert code == EXIT_DATABASE, out
    if offset > 0:
        assert "newer than this Lightstick's" in out
        assert "at least as new as the one that last ran on it" in out
        assert "start this Lightstick on it" not in out
    else:
        assert "start this Lightstick on it once" in out
    assert await _target_tables(target) == []


async def test_new_ids_continue_after_the_largest_id_sqlite_ever_handed_out(
    tmp_path: Path, target: str
) -> None:
    """Parties 1..5 made, 4 and 5 deleted: the first party made on PostgreSQL gets id 6."""
    db = await _source(tmp_path / "old.db", parties=5)
    await db.execute("DELETE FROM parties WHERE party_id > 3")
    await db.close()
    code, out = await _run(f"sqlite:///{tmp_path / 'old.db'}", target)
    assert code == EXIT_OK, out
    conn = await asyncpg.connect(target)
    try:
        assert await _add_party(conn, "After the move") == 6
    finally:
        await conn.close()


async def test_a_nul_character_names_the_table_and_row_and_copies_nothing(
    tmp_path: Path, target: str
) -> None:
    """PostgreSQL text cannot hold NUL: exit 3, the table and the row's key named, rolled back."""
    db = await _source(tmp_path / "old.db", parties=2)
    bad = await _add_party(db, "Fan\x00chant")
    await db.close()
    code, out = await _run(f"sqlite:///{tmp_path / 'old.db'}", target)
    assert code == EXIT_DATABASE, out
    assert "rolled back" in out
    assert f"table parties, row party_id={bad}: column title holds a NUL character" in out
    conn = await asyncpg.connect(target)
    try:
        assert await conn.fetchval("SELECT count(*) FROM guilds") == 0
    finally:
        await conn.close()


async def test_the_old_process_runtime_state_is_not_copied(tmp_path: Path, target: str) -> None:
    """Rows of leases and processes stay behind; the output says so; the copy exits 0."""
    db = await _source(tmp_path / "old.db")
    await db.execute(
        "INSERT INTO leases (name, holder, expires_at, taken_at) "
        "VALUES ('spaces-poller', 'old:1:ab', :now, :now)",
        {"now": NOW},
    )
    await db.execute(
        "INSERT INTO processes (holder, shard_ids, started_at, last_seen) "
        "VALUES ('old:1:ab', '', :now, :now)",
        {"now": NOW},
    )
    await db.close()
    code, out = await _run(f"sqlite:///{tmp_path / 'old.db'}", target)
    assert code == EXIT_OK, out
    assert "leases: not copied (runtime state of the old process)" in out
    assert "processes: not copied (runtime state of the old process)" in out
    assert "guilds: source 1, target 1" in out
    conn = await asyncpg.connect(target)
    try:
        assert await conn.fetchval("SELECT count(*) FROM leases") == 0
        assert await conn.fetchval("SELECT count(*) FROM processes") == 0
    finally:
        await conn.close()
