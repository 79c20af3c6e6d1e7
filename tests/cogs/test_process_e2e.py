"""The real `python -m bot` process against the loopback: commands answer, sync is skipped when
nothing changed, and SIGTERM shuts down cleanly."""

from __future__ import annotations

import signal
from pathlib import Path

from bot.testing.loopback.harness import run_bot_process
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


def sync_requests(loopback: LoopbackDiscord) -> int:
    return len(loopback.requests_to("PUT", r"/applications/\d+/commands$"))


async def test_process_answers_and_stops_cleanly_on_sigterm(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """A real bot process answers /about, then SIGTERM closes it with exit code 0."""
    env = {"DATABASE_PATH": str(tmp_path / "bot.db"), "MUSICBRAINZ_API_BASE": ""}
    async with run_bot_process(loopback, env) as proc:
        ix = await loopback.slash(guild.id, "about", user=guild.member)
        await ix.response(timeout=10)
        assert "Lightstick" in ix.all_text()
        proc.proc.send_signal(signal.SIGTERM)
        code = await proc.wait(20)
    assert code == 0, proc.stderr
    assert "stopped cleanly" in proc.stderr
    assert "Traceback" not in proc.stderr


async def test_commands_sync_only_when_the_schema_changes(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """The first start syncs, a restart with the same commands does not, --sync forces it."""
    env = {"DATABASE_PATH": str(tmp_path / "bot.db"), "MUSICBRAINZ_API_BASE": ""}
    async with run_bot_process(loopback, env):
        pass
    assert sync_requests(loopback) == 1
    async with run_bot_process(loopback, env):
        pass
    assert sync_requests(loopback) == 1
    async with run_bot_process(loopback, env, args=["--sync"]):
        pass
    assert sync_requests(loopback) == 2


async def test_dev_guild_syncs_to_that_guild_only(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """With DEV_GUILD_ID the commands go to that server, not globally."""
    env = {
        "DATABASE_PATH": str(tmp_path / "bot.db"),
        "MUSICBRAINZ_API_BASE": "",
        "DEV_GUILD_ID": str(guild.id),
    }
    async with run_bot_process(loopback, env):
        ix = await loopback.slash(guild.id, "help", user=guild.member)
        await ix.response(timeout=10)
    assert sync_requests(loopback) == 0
    assert len(loopback.requests_to("PUT", rf"/guilds/{guild.id}/commands$")) == 1
