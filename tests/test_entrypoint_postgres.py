"""`python -m bot` on PostgreSQL as an operator runs it: --check, --health, an unreachable
server, and a password that never reaches the terminal."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg

from bot.store import Store
from bot.store.migrate import latest_version
from bot.store.pg_admin import create_database, drop_database
from tests.test_entrypoint import run_bot


async def _schemas(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT schema_name FROM information_schema.schemata")
        return {row[0] for row in rows}
    finally:
        await conn.close()


async def _migrate(url: str) -> None:
    store = await Store.open(url)
    try:
        await store.migrate()
    finally:
        await store.close()


def test_check_and_health_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    """--check migrates a scratch schema and drops it; --health passes once the database is
    migrated and fails before."""
    url = asyncio.run(create_database(pg_url, prefix="lightstick_probe"))
    try:
        _check_and_health(tmp_path, url)
    finally:
        asyncio.run(drop_database(pg_url, url))


def _check_and_health(tmp_path: Path, pg_url: str) -> None:
    before = asyncio.run(_schemas(pg_url))
    check = run_bot(["--check"], tmp_path, {"DATABASE_URL": pg_url})
    assert check.returncode == 0, check.stderr
    assert f"check ok: schema v{latest_version()}," in check.stderr
    assert asyncio.run(_schemas(pg_url)) == before
    assert not (tmp_path / "data").exists()

    early = run_bot(["--health"], tmp_path, {"DATABASE_URL": pg_url})
    assert early.returncode == 3, early.stderr
    asyncio.run(_migrate(pg_url))
    health = run_bot(["--health"], tmp_path, {"DATABASE_URL": pg_url})
    assert health.returncode == 0, health.stderr
    assert f"health ok: schema v{latest_version()}" in health.stderr


def test_unreachable_server_exits_3_with_one_line_and_no_password(tmp_path: Path) -> None:
    """Nothing listens at DATABASE_URL: exit 3, one line naming the server, password masked."""
    env = {
        "DISCORD_TOKEN": "not-a-real-token",
        "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10",  # nothing listens: never the real one
        "DATABASE_URL": "postgresql://bot:Sup3rSecret@127.0.0.1:9/lightstick",
    }
    result = run_bot([], tmp_path, env)
    assert result.returncode == 3, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "postgresql://bot:***@127.0.0.1:9/lightstick" in lines[0]
    assert "Sup3rSecret" not in result.stderr + result.stdout
    for probe in (["--check"], ["--health"]):
        failed = run_bot(probe, tmp_path, env)
        assert failed.returncode == 3, failed.stderr
        assert "Sup3rSecret" not in failed.stderr + failed.stdout
