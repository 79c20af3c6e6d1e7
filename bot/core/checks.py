"""Run-time permission checks and text neutralising shared by every cog."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import discord
from discord import app_commands

from bot.domain.text import clean_text
from bot.errors import NotAllowed

# The `extras` key that marks a moderator-only command (run-time checked by the command too).
MODERATOR_EXTRA = "moderator"

# Permission names as Discord's own settings show them (discord.py calls Manage Server
# `manage_guild`). Any other flag falls back to its words in title case.
PERMISSION_NAMES: dict[str, str] = {
    "administrator": "Administrator",
    "manage_guild": "Manage Server",
    "manage_channels": "Manage Channels",
    "manage_roles": "Manage Roles",
    "manage_messages": "Manage Messages",
    "manage_webhooks": "Manage Webhooks",
    "manage_expressions": "Manage Expressions",
    "moderate_members": "Timeout Members",
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "read_message_history": "Read Message History",
    "mention_everyone": "Mention @everyone, @here, and All Roles",
    "use_external_emojis": "Use External Emoji",
    "use_application_commands": "Use Application Commands",
    "manage_events": "Manage Events",
    "create_events": "Create Events",
    "send_messages_in_threads": "Send Messages in Threads",
}


def permission_name(flag: str) -> str:
    """Return a discord.py permission flag (`manage_guild`) as Discord shows it (Manage Server)."""
    return PERMISSION_NAMES.get(flag) or flag.replace("_", " ").title()


# A bracket or parenthesis not already escaped (preceded by an even number of backslashes).
_LINK_SYNTAX = re.compile(r"(?<!\\)((?:\\\\)*)([\[\]])")


def is_moderator(permissions: discord.Permissions) -> bool:
    """Say whether resolved permissions count as a moderator (Manage Server or Administrator)."""
    return permissions.manage_guild or permissions.administrator


def who_can_fix(permissions: discord.Permissions, count: int = 1) -> str:
    """Say, to the person who asked, who can give the bot `count` permissions it lacks in a
    channel ("that" for one, "those" for more).

    A moderator (Manage Server) is told where to do it; anyone else is told to ask a
    moderator, since they cannot change a channel's permissions themselves.
    """
    what = "that" if count == 1 else "those"
    if is_moderator(permissions):
        return f"You can give me {what} in the channel's settings, under Permissions."
    return f"Ask a moderator to give me {what} in the channel's settings."


def moderator_only() -> dict[str, Any]:
    """Return the `extras` that mark a command as moderator-only (for /help and the sweep)."""
    # A fresh dict each time: discord.py keeps the object, so commands must not share one.
    return {MODERATOR_EXTRA: True}


def is_moderator_command(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> bool:
    """Say whether a command is for moderators: marked so, or hidden behind Manage Server."""
    if command.extras.get(MODERATOR_EXTRA):
        return True
    perms = command.default_permissions
    return perms is not None and (perms.manage_guild or perms.administrator)


def require_manage_guild(interaction: discord.Interaction) -> None:
    """Refuse the interaction unless the member holds Manage Server (checked at run time)."""
    if interaction.guild is None:
        raise NotAllowed("This command only works inside a server.")
    if not is_moderator(interaction.permissions):
        raise NotAllowed("Only moderators can do this: it needs the **Manage Server** permission.")


# Discord denies these implicitly where a member can't see a channel or can't send in it, and
# discord.py's permissions_for reports them missing too, whatever the overwrites say.
_IMPLYING = ("view_channel", "send_messages")


def _granted_permissions(
    channel: discord.abc.GuildChannel | discord.Thread, me: discord.Member
) -> discord.Permissions:
    """Return what roles and overwrites grant `me` in `channel`, before implicit denials."""
    source = channel.parent if isinstance(channel, discord.Thread) else channel
    if source is None:
        return channel.permissions_for(me)
    # The base class's resolution: roles, then @everyone, role and member overwrites, without
    # the subclasses' implicit step (no Send Messages hides Embed Links, Attach Files...).
    return discord.abc.GuildChannel.permissions_for(source, me)


def missing_channel_permissions(
    channel: discord.abc.GuildChannel | discord.Thread,
    me: discord.Member,
    needed: Iterable[str],
) -> list[str]:
    """Return the human names of the permissions the bot lacks in `channel`, roots first.

    Only what really has to be granted is named: with Send Messages denied, Discord (and
    discord.py) also deny Embed Links, but granting Send Messages brings it back, so Embed
    Links is named only when roles or overwrites deny it too.
    """
    wanted = list(needed)
    lacking = [name for name in wanted if not getattr(channel.permissions_for(me), name)]
    if not lacking:
        return []
    granted = _granted_permissions(channel, me)
    really = [name for name in lacking if not getattr(granted, name)]
    if len(really) < len(lacking):
        # Some are missing only because a root is: name that root, even if not asked about.
        roots = [r for r in _IMPLYING if not getattr(granted, r) and r not in really]
        really = roots + really
    return [permission_name(name) for name in really]


def member_permissions_in(
    interaction: discord.Interaction[Any], channel: discord.abc.Snowflake
) -> discord.Permissions:
    """Return the invoking member's permissions in `channel`.

    Sources, in order: the interaction's resolved channel (Discord computes `permissions` for
    the member when the channel is a command option), the interaction's own channel
    (`interaction.permissions`), then the cached channel's overwrites for the member.
    """
    data: Any = interaction.data or {}
    resolved = (data.get("resolved") or {}).get("channels") or {}
    entry = resolved.get(str(channel.id))
    if isinstance(entry, dict) and "permissions" in entry:
        return discord.Permissions(int(entry["permissions"]))
    if channel.id == interaction.channel_id:
        return interaction.permissions
    user = interaction.user
    if isinstance(user, discord.Member) and isinstance(
        channel, discord.abc.GuildChannel | discord.Thread
    ):
        return channel.permissions_for(user)
    return discord.Permissions.none()


def require_member_can_post(
    interaction: discord.Interaction[Any], channel: discord.abc.GuildChannel | discord.Thread
) -> None:
    """Refuse (NotAllowed) unless the member may view and send in `channel`.

    The bot posts under its own name, so a member must not reach a channel through it that
    Discord would not let them write in themselves.
    """
    perms = member_permissions_in(interaction, channel)
    if not perms.view_channel:
        raise NotAllowed("You can't see that channel, so I won't post there for you.")
    can_send = (
        perms.send_messages_in_threads
        if isinstance(channel, discord.Thread)
        else perms.send_messages
    )
    if not can_send:
        raise NotAllowed(
            f"You can't send messages in {channel.mention}, so I won't post there for you. "
            "Pick a channel where you can write, or ask a moderator."
        )


def strip_control(text: str) -> str:
    """Remove control characters and bidirectional overrides that could garble a message."""
    return clean_text(text, multiline=True)


def truncate(text: str, limit: int) -> str:
    """Shorten `text` to at most `limit` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


def escape_link_syntax(text: str) -> str:
    """Backslash-escape `[`, `]` and a `(` after `]`: untrusted text can neither open nor
    close a masked link (other parentheses stay as typed).

    discord.py's escape_markdown only escapes a complete `[text](url)`; a Space title such as
    `talk](https://evil.example) [listen` completes a link with the text around it instead.
    """
    escaped = _LINK_SYNTAX.sub(r"\\\g<0>", text)
    # Discord's parser still closes a link at an escaped `]` directly followed by `(`.
    return escaped.replace("\\](", "\\]\\(")


def safe_text(text: str, limit: int) -> str:
    """Neutralise mentions, markdown and link syntax in user or X text, strip controls, bound it.

    The one escaping function for untrusted text shown in messages and embeds.
    """
    cleaned = discord.utils.escape_markdown(strip_control(text))
    cleaned = escape_link_syntax(cleaned)
    cleaned = discord.utils.escape_mentions(cleaned)
    # escape_mentions misses role and channel syntax inside code-free text; break them too.
    cleaned = re.sub(r"<(@[!&]?|#)(\d+)>", "<\\1\u200b\\2>", cleaned)
    return truncate(cleaned, limit)
