"""`python -m bot` as an operator runs it: guidance without a token, and the boot smoke test."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.resources import MIGRATIONS_DIR
from bot.store import Store
from bot.store.migrate import latest_version

ROOT = Path(__file__).resolve().parent.parent


def run_bot(
    args: list[str], cwd: Path, extra_env: dict[str, str] | None = None, *, root: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "X_", "DATABASE_"))}
    env["PYTHONPATH"] = str(root)
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_no_token_prints_guidance_and_exits_2(tmp_path: Path) -> None:
    """Without DISCORD_TOKEN the bot explains the set-up and exits 2, with no traceback."""
    result = run_bot([], tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "discord.com/developers/applications" in result.stderr
    assert ".env" in result.stderr
    assert "DISCORD_TOKEN" in result.stderr


def test_invalid_setting_is_reported_without_traceback(tmp_path: Path) -> None:
    """A malformed value names the variable and exits 2."""
    result = run_bot([], tmp_path, {"SPACES_POLL_SECONDS": "often"})
    assert result.returncode == 2
    assert "SPACES_POLL_SECONDS" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_boots_without_logging_in(tmp_path: Path) -> None:
    """--check migrates a temporary database and loads every cog, exit 0."""
    result = run_bot(["--check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "check ok" in result.stderr
    assert not (tmp_path / "data").exists()


def copy_without_migrations(dest: Path) -> Path:
    """Copy `bot` and `cogs` into `dest` with an empty `bot/migrations`, as a bad package would."""
    for package in ("bot", "cogs"):
        shutil.copytree(
            ROOT / package, dest / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    migrations = dest / "bot" / "migrations"
    shutil.rmtree(migrations)
    migrations.mkdir()
    return migrations


def test_check_without_migrations_fails_closed(tmp_path: Path) -> None:
    """--check with no migration files exits 3 with one line naming the folder, never "v0 ok"."""
    migrations = copy_without_migrations(tmp_path / "install")
    result = run_bot(["--check"], tmp_path, root=tmp_path / "install")
    assert result.returncode == 3, result.stderr
    assert f"check failed: no migration files found in {migrations}" in result.stderr
    assert "check ok" not in result.stderr
    assert "Traceback" not in result.stderr


def test_start_without_migrations_fails_closed(tmp_path: Path) -> None:
    """Start-up with no migration files exits 3 before logging in, naming the folder."""
    migrations = copy_without_migrations(tmp_path / "install")
    env = {
        "DISCORD_TOKEN": "not-a-real-token",
        "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10",  # nothing listens: never the real one
        "DATABASE_PATH": str(tmp_path / "db.sqlite"),
    }
    result = run_bot([], tmp_path, env, root=tmp_path / "install")
    assert result.returncode == 3, result.stderr
    assert f"no migration files found in {migrations}" in result.stderr
    assert "Traceback" not in result.stderr


async def migrate_file(path: Path) -> None:
    store = await Store.open(path)
    try:
        await store.migrate()
    finally:
        await store.close()


def test_health_checks_the_database_schema(tmp_path: Path) -> None:
    """--health exits 3 without a database or with an old schema, 0 once it is migrated."""
    db = tmp_path / "db.sqlite"
    env = {"DATABASE_PATH": str(db)}
    missing = run_bot(["--health"], tmp_path, env)
    assert missing.returncode == 3, missing.stderr
    assert f"health failed: no database at {db}" in missing.stderr
    assert not db.exists()

    conn = sqlite3.connect(db)
    conn.executescript((MIGRATIONS_DIR / "0001_initial.sql").read_text(encoding="utf-8"))
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    old = run_bot(["--health"], tmp_path, env)
    assert old.returncode == 3, old.stderr
    assert "schema version 1 is not this Lightstick's version" in old.stderr

    asyncio.run(migrate_file(db))
    current = run_bot(["--health"], tmp_path, env)
    assert current.returncode == 0, current.stderr
    assert f"health ok: schema v{latest_version()}" in current.stderr
