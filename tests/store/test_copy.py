"""`lightstick migrate-db` as an operator runs it: a seeded SQLite deployment (1,000 servers
with parties, RSVPs and trivia games) copied to PostgreSQL with matching counts, then refused
when run again on the now non-empty target."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench._seed import seed_servers
from bot.store import Store
from bot.store.copy import EXIT_NOT_EMPTY, RUNTIME_TABLES
from bot.store.pg_admin import create_database, drop_database
from bot.store.schema_info import tables
from tests.test_entrypoint import run_bot

SERVERS = 1000


def _counts(stdout: str) -> dict[str, tuple[int, int]]:
    """Parse `table: source N, target N` lines."""
    found: dict[str, tuple[int, int]] = {}
    for line in stdout.splitlines():
        if ": source " not in line:
            continue
        table, rest = line.split(": source ")
        source, target = rest.split(", target ")
        found[table] = (int(source), int(target))
    return found


def test_migrate_db_copies_every_table_and_refuses_a_non_empty_target(
    tmp_path: Path, pg_url: str
) -> None:
    """Every table is printed with equal counts; the second run exits 4 and copies nothing."""
    source = tmp_path / "lightstick.db"
    guilds = [
        (10**17 + i * 1000, 10**17 + i * 1000 + 1, 10**17 + i * 1000 + 2) for i in range(SERVERS)
    ]
    asyncio.run(seed_servers(source, guilds))
    target = asyncio.run(create_database(pg_url, prefix="lightstick_copy"))
    try:
        args = ["migrate-db", "--from", f"sqlite:///{source}", "--to", target]
        first = run_bot(args, tmp_path)
        assert first.returncode == 0, first.stdout + first.stderr
        counts = _counts(first.stdout)
        # The old process's runtime state (leases, heartbeats) is not copied.
        assert set(counts) == set(asyncio.run(_tables(source))) - set(RUNTIME_TABLES)
        assert all(s == t for s, t in counts.values()), counts
        for table in ("guilds", "parties", "party_rsvps", "trivia_games", "trivia_answers"):
            assert counts[table][0] >= SERVERS, (table, counts[table])

        second = run_bot(args, tmp_path)
        assert second.returncode == EXIT_NOT_EMPTY, second.stdout + second.stderr
        assert "the target database is not empty" in second.stdout
        assert "nothing was copied" in second.stdout
        assert "Traceback" not in second.stderr
        assert asyncio.run(_guild_count(target)) == SERVERS
    finally:
        asyncio.run(drop_database(pg_url, target))


async def _tables(path: Path) -> list[str]:
    store = await Store.open(path)
    try:
        return await tables(store.db)
    finally:
        await store.close()


async def _guild_count(url: str) -> int:
    store = await Store.open(url)
    try:
        return int(await store.db.fetchval("SELECT count(*) FROM guilds"))
    finally:
        await store.close()


def test_migrate_db_needs_both_urls_and_an_existing_source(tmp_path: Path) -> None:
    """A missing --to, or a source file that does not exist, is a usage error (exit 2)."""
    missing_to = run_bot(["migrate-db", "--from", "sqlite:///x.db"], tmp_path)
    assert missing_to.returncode == 2
    assert "needs both --from URL and --to URL" in missing_to.stderr
    no_file = run_bot(
        ["migrate-db", "--from", "sqlite:///nowhere.db", "--to", "postgresql://u:pw@127.0.0.1:9/x"],
        tmp_path,
    )
    assert no_file.returncode == 2, no_file.stdout
    assert "there is no SQLite database at nowhere.db" in no_file.stdout
    assert not (tmp_path / "nowhere.db").exists()
