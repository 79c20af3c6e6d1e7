"""Hardening, fault 1: a command never posts for a member where the member may not write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.store.spaces import SpacesRepo
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.entities import Overwrite
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import SEND_MESSAGES, VIEW_CHANNEL
from bot.testing.loopback.world import GuildFixture


def buttons(message: dict[str, Any] | None) -> list[str]:
    """Return the labels of every button on a message."""
    rows = (message or {}).get("components") or []
    return [c.get("label", "") for row in rows for c in row["components"]]


async def test_member_cannot_schedule_a_party_in_a_read_only_channel(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """/party schedule channel:#announcements by a member who can't send there is refused."""
    async with start_lightstick(loopback, tmp_path / "db.sqlite", dev_guild_id=guild.id):
        ix = await loopback.slash(
            guild.id,
            "party schedule",
            options={
                "title": "Fake notice",
                "when": "tomorrow 20:00",
                "channel": guild.announcements.id,
            },
            user=guild.member,
        )
        await ix.settled()
        assert ix.ephemeral
        assert "can't send messages" in ix.content
        assert "Confirm" not in buttons(ix.original)
        assert loopback.messages_in(guild.announcements.id) == []


async def test_member_cannot_schedule_a_party_in_a_hidden_channel(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """A channel the member cannot see is refused without naming what is in it."""
    hidden = guild.add_channel(
        "staff", overwrites=[Overwrite(guild.id, 0, deny=VIEW_CHANNEL)], allow_bot=VIEW_CHANNEL
    )
    async with start_lightstick(loopback, tmp_path / "db.sqlite", dev_guild_id=guild.id):
        ix = await loopback.slash(
            guild.id,
            "party schedule",
            options={"title": "Leak", "when": "tomorrow 20:00", "channel": hidden.id},
            user=guild.member,
        )
        await ix.settled()
        assert "can't see that channel" in ix.content
        assert loopback.messages_in(hidden.id) == []


async def test_moderator_commands_check_the_moderators_own_channel_permissions(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """/spaces setup and /trivia settings daily_channel refuse a channel the moderator can't use."""
    muted = guild.add_channel(
        "muted", overwrites=[Overwrite(guild.id, 0, deny=SEND_MESSAGES)], allow_bot=SEND_MESSAGES
    )
    async with start_lightstick(loopback, tmp_path / "db.sqlite", dev_guild_id=guild.id) as bot:
        setup = await loopback.slash(
            guild.id, "spaces setup", options={"channel": muted.id}, user=guild.moderator
        )
        await setup.settled()
        assert "can't send messages" in setup.content
        trivia = await loopback.slash(
            guild.id,
            "trivia settings",
            options={"daily_channel": muted.id, "daily_time": "20:00"},
            user=guild.moderator,
        )
        await trivia.settled()
        assert "can't send messages" in trivia.content
        assert await bot.store.guild(guild.id).repo(SpacesRepo).get_config() is None
        # A channel the moderator can write in still works.
        ok = await loopback.slash(
            guild.id,
            "spaces setup",
            options={"channel": guild.announcements.id},
            user=guild.moderator,
        )
        await ok.settled()
        assert "Space announcements go to" in ok.content
