"""Real `python -m bot` processes with SHARD_COUNT and SHARD_IDS: each serves its own servers.

Splitting shards over processes needs PostgreSQL; the settings checks run on SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.pg_admin import create_database, drop_database
from bot.testing.loopback.harness import run_bot_process
from bot.testing.loopback.server import LoopbackDiscord


def env_for(tmp_path: Path, name: str, **shards: str) -> dict[str, str]:
    """Settings of one process: its own database file, MusicBrainz off, and the shard settings."""
    return {"DATABASE_PATH": str(tmp_path / f"{name}.db"), "MUSICBRAINZ_API_BASE": "", **shards}


@pytest.fixture
async def shared_url(pg_url: str) -> AsyncIterator[str]:
    """A fresh PostgreSQL database for the processes of one test (then dropped)."""
    url = await create_database(pg_url, prefix="lightstick_shards")
    try:
        yield url
    finally:
        await drop_database(pg_url, url)


async def test_two_shard_processes_each_answer_in_their_own_servers(
    loopback: LoopbackDiscord, shared_url: str
) -> None:
    """SHARD_IDS=0 and SHARD_IDS=1 of SHARD_COUNT=2 on one PostgreSQL database (SQLite serves
    one process): both connect, each gets its servers."""
    zero = [loopback.add_guild(f"Zero {i}", shard=(0, 2)) for i in range(2)]
    one = [loopback.add_guild(f"One {i}", shard=(1, 2)) for i in range(3)]
    base = {"DATABASE_URL": shared_url, "MUSICBRAINZ_API_BASE": "", "SHARD_COUNT": "2"}
    env0 = {**base, "SHARD_IDS": "0"}
    env1 = {**base, "SHARD_IDS": "1"}
    async with run_bot_process(loopback, env0) as p0, run_bot_process(loopback, env1) as p1:
        assert sorted(loopback.gateway.shards_connected(), key=str) == [(0, 2), (1, 2)]
        await p0.wait_for_output(
            r"in 2 servers \(2 joined, 0 back, 0 left while offline\), shards 0 of 2"
        )
        await p1.wait_for_output(
            r"in 3 servers \(3 joined, 0 back, 0 left while offline\), shards 1 of 2"
        )
        for guild in (*zero, *one):
            ix = await loopback.slash(guild, "about", user=guild.member)
            await ix.response(timeout=10)
            assert "Lightstick" in ix.all_text()
        joined = loopback.add_guild("One, new", shard=(1, 2))
        assert joined.system is not None
        # Only shard 1's process hears of the join, and posts its setup guide once.
        await loopback.gateway.wait_for(lambda: bool(loopback.messages_in(joined.system)), 10)
    for proc in (p0, p1):
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
    assert len(loopback.messages_in(joined.system)) == 1


async def test_bad_shard_settings_stop_the_process_with_a_clear_message(
    loopback: LoopbackDiscord, tmp_path: Path
) -> None:
    """SHARD_IDS outside SHARD_COUNT: exit code 2 naming the problem, nothing connects."""
    env = env_for(tmp_path, "bad", SHARD_COUNT="2", SHARD_IDS="0,2")
    async with run_bot_process(loopback, env, wait_ready=False) as proc:
        code = await proc.wait(20)
    assert code == 2
    assert "shard ids must be between 0 and 1 for 2 shards; got 2" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert loopback.gateway.identify_count == 0


async def test_too_many_servers_for_one_shard_stops_the_process(
    loopback: LoopbackDiscord, tmp_path: Path
) -> None:
    """Discord closes with 4011 (sharding required): the process says what to set and exits 2."""
    loopback.gateway.max_guilds_per_shard = 1
    for i in range(2):
        loopback.add_guild(f"G{i}")
    async with run_bot_process(loopback, env_for(tmp_path, "full"), wait_ready=False) as proc:
        code = await proc.wait(30)
    assert code == 2, proc.stderr
    assert "too many servers for its shards" in proc.stderr
    assert "Traceback" not in proc.stderr
