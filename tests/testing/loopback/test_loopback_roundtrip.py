"""Login, command sync and interaction round trips through the loopback with a plain bot."""

from __future__ import annotations

from bot.testing.echo_bot import build_echo_bot
from bot.testing.loopback.harness import run_client_in_loop
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


async def test_login_sync_and_echo(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """The real client logs in, syncs its commands and answers /echo with the text."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        assert bot.user is not None
        assert bot.user.id == loopback.bot_user.id
        assert bot.get_guild(guild.id) is not None
        assert loopback.requests_to("PUT", r"^/applications/\d+/commands$")
        ix = await loopback.slash(guild, "echo", {"text": "hello loopback"}, user=guild.member)
        cb = await ix.response()
        assert cb["type"] == 4
        assert ix.content == "hello loopback"
        assert not ix.ephemeral
        assert [m["content"] for m in loopback.messages_in(guild.general)] == ["hello loopback"]
