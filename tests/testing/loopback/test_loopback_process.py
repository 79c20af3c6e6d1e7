"""A bot in a real subprocess, configured only by DISCORD_* env vars, against the loopback."""

from __future__ import annotations

import signal

from bot.testing.loopback.harness import run_bot_process
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


async def test_subprocess_bot_logs_in_and_answers(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """The echo script identifies, answers /echo, and exits cleanly on SIGTERM."""
    async with run_bot_process(loopback, module="bot.testing.echo_bot") as proc:
        assert loopback.gateway.identify_count == 1
        await proc.wait_for_output("echo bot ready")
        ix = await loopback.slash(guild, "echo", {"text": "from a process"})
        await ix.response(timeout=10)
        assert ix.content == "from a process"
        proc.terminate()
        assert await proc.wait() == 0
    assert "shutting down" in proc.stderr


async def test_subprocess_kill_is_sigkill(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """kill() ends the bot with SIGKILL, reported as a negative exit code."""
    async with run_bot_process(loopback, module="bot.testing.echo_bot") as proc:
        proc.kill()
        assert await proc.wait() == -signal.SIGKILL
