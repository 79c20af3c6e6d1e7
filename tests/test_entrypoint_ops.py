"""`python -m bot` as an operator deploys it (issue 16): passwords in any part of DATABASE_URL
stay masked, malformed URLs and missing database rights are one-line errors, and
`lightstick migrate` brings a database up to date."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.store import Store
from bot.store.migrate import latest_version
from bot.store.pg_admin import create_database, drop_database
from tests.test_entrypoint import run_bot

SECRET = "hunter2"


def _assert_one_clean_error(result: object, code: int) -> None:
    out = result.stdout + result.stderr  # type: ignore[attr-defined]
    assert result.returncode == code, out  # type: ignore[attr-defined]
    assert "Traceback" not in out
    assert SECRET not in out


def test_a_password_in_the_query_string_is_masked(tmp_path: Path) -> None:
    """`?password=` (any case) is masked by --health, migrate and --check alike."""
    for query in (f"password={SECRET}", f"PassWord={SECRET}&sslmode=disable"):
        url = f"postgresql://postgres@127.0.0.1:9/nosuch?{query}"
        for args in (["--health"], ["migrate"], ["--check"]):
            result = run_bot(args, tmp_path, {"DATABASE_URL": url})
            _assert_one_clean_error(result, 3)
            assert "postgresql://postgres@127.0.0.1:9/nosuch?" in result.stderr
            assert "=***" in result.stderr


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (f"postgresql://postgres:{SECRET}@127.0.0.1:port/db", "must be a number"),
        (f"postgresql://postgres:{SECRET}@127.0.0.1/db?sslmode=bogus", "sslmode"),
        (f"postgresql://postgres@127.0.0.1/db?password={SECRET}&sslmode=bogus", "sslmode"),
    ],
)
def test_a_malformed_database_url_is_a_settings_error(tmp_path: Path, url: str, says: str) -> None:
    """A port that is not a number or an option asyncpg refuses: exit 2, password masked."""
    for args in (["--health"], [], ["migrate"]):
        result = run_bot(args, tmp_path, {"DATABASE_URL": url, "DISCORD_TOKEN": "x"})
        _assert_one_clean_error(result, 2)
        assert "DATABASE_URL" in result.stderr
        assert says in result.stderr


def test_from_and_to_outside_migrate_db_are_refused(tmp_path: Path) -> None:
    """`--from`/`--to` without `migrate-db` used to be ignored silently."""
    result = run_bot(["--from", "x", "--to", "y"], tmp_path)
    assert result.returncode == 2
    assert "migrate-db" in result.stderr


def test_sqlite_refuses_a_partial_shard_ids(tmp_path: Path) -> None:
    """SQLite serves one process: SHARD_IDS must then be every shard."""
    result = run_bot(["--health"], tmp_path, {"SHARD_COUNT": "4", "SHARD_IDS": "0,1"})
    assert result.returncode == 2, result.stderr
    assert "SQLite serves one process" in result.stderr


def test_migrate_brings_an_sqlite_database_up_to_date(tmp_path: Path) -> None:
    """`lightstick migrate` migrates DATABASE_PATH, says from and to which version, exits 0."""
    env = {"DATABASE_PATH": str(tmp_path / "bot.db")}
    first = run_bot(["migrate"], tmp_path, env)
    assert first.returncode == 0, first.stderr
    assert f"from schema v0 to v{latest_version()}" in first.stdout
    again = run_bot(["migrate"], tmp_path, env)
    assert again.returncode == 0, again.stderr
    assert f"already at schema v{latest_version()}" in again.stdout
    health = run_bot(["--health"], tmp_path, env)
    assert health.returncode == 0, health.stderr


def _as_user(url: str, user: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"{user}@{host}", parts.path, parts.query, parts.fragment))


async def _limited_role(url: str, role: str, *, create: bool) -> None:
    """A role with only SELECT/INSERT/UPDATE/DELETE on the database's tables."""
    conn = await asyncpg.connect(url)
    try:
        db = urlsplit(url).path.lstrip("/")
        if create:
            await conn.execute(f'CREATE ROLE "{role}" LOGIN')
        await conn.execute(f'GRANT CONNECT ON DATABASE "{db}" TO "{role}"')
        await conn.execute(f'REVOKE CREATE ON DATABASE "{db}" FROM PUBLIC')
        await conn.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        await conn.execute(
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'
        )
        await conn.execute(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    finally:
        await conn.close()


async def _drop_role(admin: str, role: str) -> None:
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP ROLE IF EXISTS "{role}"')
    finally:
        await conn.close()


async def _migrate(url: str) -> None:
    store = await Store.open(url)
    try:
        await store.migrate()
    finally:
        await store.close()


@pytest.fixture
def limited(pg_url: str) -> Iterator[tuple[str, str]]:
    """A limited role's URLs of two fresh databases: one migrated (by its owner), one empty."""
    role = f"lightstick_limited_{secrets.token_hex(4)}"
    migrated = asyncio.run(create_database(pg_url, prefix="lightstick_rights"))
    empty = asyncio.run(create_database(pg_url, prefix="lightstick_rights"))
    try:
        asyncio.run(_migrate(migrated))
        asyncio.run(_limited_role(migrated, role, create=True))
        asyncio.run(_limited_role(empty, role, create=False))
        yield _as_user(migrated, role), _as_user(empty, role)
    finally:
        asyncio.run(drop_database(pg_url, migrated))
        asyncio.run(drop_database(pg_url, empty))
        asyncio.run(_drop_role(pg_url, role))


def test_a_user_without_create_runs_a_migrated_database(
    tmp_path: Path, limited: tuple[str, str]
) -> None:
    """Nothing pending: migrating needs no CREATE right. Something pending, or --check's
    scratch schema: exit 3 with one line naming the right the user lacks."""
    migrated, empty = limited
    asyncio.run(_migrate(migrated))  # as the limited role, in-process: no CREATE needed
    ok = run_bot(["migrate"], tmp_path, {"DATABASE_URL": migrated})
    assert ok.returncode == 0, ok.stderr
    assert "already at schema" in ok.stdout

    pending = run_bot(["migrate"], tmp_path, {"DATABASE_URL": empty})
    _assert_one_clean_error(pending, 3)
    assert "needs CREATE on the schema" in pending.stderr
    assert len(pending.stderr.strip().splitlines()) == 1, pending.stderr

    check = run_bot(["--check"], tmp_path, {"DATABASE_URL": migrated})
    _assert_one_clean_error(check, 3)
    assert "needs CREATE on the database" in check.stderr
    assert len(check.stderr.strip().splitlines()) == 1, check.stderr
