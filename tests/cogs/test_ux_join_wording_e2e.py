"""Issue 18, item 10 end to end: replies use Discord's permission names and plain words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import discord

from bot.core.checks import is_moderator_command
from bot.settings import Settings
from bot.store.spaces import Follow, SpacesRepo
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import cycle, running_bot
from bot.testing.loopback.interactions import InjectedInteraction
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import Attachment
from bot.testing.loopback.world import GuildFixture
from cogs.spaces.views import STATE_TEXT

# discord.py's names for permissions (`send_messages`, `manage_guild`), which Discord never shows.
FORBIDDEN_PERMISSION_NAMES = sorted(discord.Permissions.VALID_FLAGS)
# Operator settings (`X_BEARER_TOKEN`...), which moderators cannot change.
FORBIDDEN_ENV_NAMES = sorted(name.upper() for name in Settings.model_fields)
# Stored states such as `auth_failed`: moderators read them in words.
FORBIDDEN_STATES = sorted(state for state in STATE_TEXT if "_" in state)
WRONG_PLURALS = re.compile(
    r"\b1 (questions|follows|parties|members|packs|servers|games|artists|nicknames)\b"
    r"|\b(?:0|[2-9]|\d{2,}) (question|follow|party|member|pack|server|game|artist|nickname)\b"
    # "0 server packs" is a plural too: a singular noun before a plural one is a compound.
    r"(?! [a-z]+s\b)"
)
SWEEP_OPTIONS: dict[str, Any] = {
    "alias": "bangtan",
    "artist": "BTS",
    "url": "https://x.com/i/spaces/1SweepSpace01",
    "name": "sweep pack",
    "zone": "Europe/Paris",
    "file": Attachment("pack.yaml", b"questions: []\n", "application/x-yaml"),
}


def nested_parentheses(text: str) -> bool:
    """Say whether a parenthesis opens inside another one."""
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
            if depth > 1:
                return True
        elif char == ")":
            depth = max(depth - 1, 0)
    return False


def wording_faults(label: str, text: str) -> list[str]:
    """Return what is wrong with one reply's words (empty when it reads right)."""
    faults = [f"{label}: `{n}`" for n in FORBIDDEN_PERMISSION_NAMES if re.search(rf"\b{n}\b", text)]
    faults += [f"{label}: {n}" for n in FORBIDDEN_ENV_NAMES if re.search(rf"\b{n}\b", text)]
    faults += [f"{label}: state {s}" for s in FORBIDDEN_STATES if s in text]
    faults += [f"{label}: plural {m.group(0)!r}" for m in WRONG_PLURALS.finditer(text)]
    if nested_parentheses(text):
        faults.append(f"{label}: nested parentheses in {text!r}")
    if "->" in text or "=>" in text:
        faults.append(f"{label}: an ASCII arrow")
    return faults


async def reply(ix: InjectedInteraction) -> str:
    """Wait for the interaction's answer; return all of its text."""
    await ix.settled(timeout=10)
    return ix.all_text()


async def test_item_10_replies_name_permissions_as_discord_does_and_read_as_sentences(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Sweep /settings, /help, /spaces setup and status, every moderator command run by a
    member, and the bot's own missing permissions: Discord's permission names, no setting or
    state codes, right plurals, no nested parentheses; a member is told to ask a moderator, a
    moderator where."""
    guild.set_bot_permissions(manage_events=False)
    replies: dict[str, str] = {}
    async with running_bot(loopback, tmp_path / "bot.db", None) as (bot, _):
        for who in (guild.moderator, guild.member):
            ix = await loopback.slash(guild, "help", user=who)
            replies[f"/help as {who.user.global_name}"] = await reply(ix)
        ix = await loopback.slash(guild, "trivia settings", {"questions": 1}, user=guild.moderator)
        replies["/trivia settings questions:1"] = await reply(ix)
        ix = await loopback.slash(
            guild, "spaces setup", {"channel": guild.announcements.id}, user=guild.moderator
        )
        replies["/spaces setup without X access"] = await reply(ix)
        for command in ("settings", "spaces status", "about"):
            ix = await loopback.slash(guild, command, user=guild.moderator)
            replies[f"/{command}"] = await reply(ix)
        moderator_commands = [
            c
            for c in bot.tree.walk_commands()
            if not isinstance(c, discord.app_commands.Group) and is_moderator_command(c)
        ]
        assert len(moderator_commands) >= 10
        for command in moderator_commands:
            options = {
                p.name: guild.general.id
                if p.type is discord.AppCommandOptionType.channel
                # Channel options are filled with #general, every other one by name.
                else SWEEP_OPTIONS[p.name]
                for p in command.parameters
                if p.required
            }
            ix = await loopback.slash(
                guild,
                command.qualified_name,
                options,
                user=guild.member,
                override_permissions=True,
            )
            text = await reply(ix)
            replies[f"/{command.qualified_name} as a member"] = text
            assert "Only moderators can do this" in text, (command.qualified_name, text)
            assert "**Manage Server**" in text
        # The bot itself lacks Send Messages in #locked.
        for who in (guild.member, guild.moderator):
            name = who.user.global_name
            ix = await loopback.slash(guild, "trivia start", user=who, channel=guild.locked)
            replies[f"/trivia start in #locked as {name}"] = await reply(ix)
            ix = await loopback.slash(
                guild,
                "party schedule",
                {"title": "MV party", "when": "tomorrow 8pm", "channel": guild.locked.id},
                user=who,
            )
            replies[f"/party schedule in #locked as {name}"] = await reply(ix)
    for who in ("trivia start", "party schedule"):
        member = replies[f"/{who} in #locked as member"]
        moderator = replies[f"/{who} in #locked as moderator"]
        assert "I'm missing Send Messages" in member, member
        assert "Ask a moderator to give me that" in member, member
        assert "You can give me that in the channel's settings" in moderator, moderator
        assert "Ask a moderator" not in moderator
    assert "1 question per game" in replies["/trivia settings questions:1"]
    # Without X access, setup must not send the moderator on to a /spaces follow that refuses.
    setup = replies["/spaces setup without X access"]
    assert "/spaces follow" not in setup, setup
    assert "`/spaces announce` with its link" in setup, setup
    assert "**Manage Events**" in replies["/settings"]
    assert "**Read Message History**" in replies["/about"]
    assert "from live to ended" in replies["/about"]
    faults = [f for label, text in replies.items() for f in wording_faults(label, text)]
    assert not faults, "\n".join(faults)


async def test_item_10_x_refusing_the_token_is_told_in_words(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """When X answers 401, /spaces status and /settings say "X refused the token", never the
    stored state `auth_failed`, and name no operator setting."""
    async with FakeX() as fake:
        fake.add_user("BTS_twt")
        async with running_bot(loopback, tmp_path / "bot.db", fake) as (bot, cog):
            scope = bot.store.guild(guild.id).repo(SpacesRepo)
            await scope.set_config(guild.announcements.id, None)
            await scope.upsert_follows([Follow("bts_twt", "BTS_twt", "bts", "BTS", "1")])
            fake.fail_next("/2/spaces", "401", count=5)
            await cycle(cog)
            replies = {}
            for command in ("spaces status", "settings"):
                ix = await loopback.slash(guild, command, user=guild.moderator)
                replies[command] = await reply(ix)
    for command, text in replies.items():
        assert "stopped: X refused the token" in text, (command, text)
        assert "/2/spaces" not in text
        assert "401" not in text
    faults = [f for label, text in replies.items() for f in wording_faults(label, text)]
    assert not faults, "\n".join(faults)
