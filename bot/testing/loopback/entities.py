"""What a guild is made of: users, roles, overwrites, channels, members, permission values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.testing.loopback.state import (
    iso,
)

if TYPE_CHECKING:
    pass


@dataclass
class UserFx:
    """A Discord user (a person or the bot)."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    accepts_dms: bool = True
    locale: str = "en-US"  # Discord's user locale (sent as an interaction's `locale`)

    def payload(self) -> dict[str, Any]:
        """Return the user object."""
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }

    @property
    def mention(self) -> str:
        """Return the <@id> mention text."""
        return f"<@{self.id}>"


@dataclass
class RoleFx:
    """A guild role."""

    id: int
    name: str
    permissions: int
    position: int = 1
    mentionable: bool = False
    managed: bool = False
    hoist: bool = False
    color: int = 0
    bot_id: int | None = None

    def payload(self) -> dict[str, Any]:
        """Return the role object."""
        out: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            out["tags"] = {"bot_id": str(self.bot_id)}
        return out

    @property
    def mention(self) -> str:
        """Return the <@&id> mention text (or @everyone)."""
        return f"<@&{self.id}>"


@dataclass
class Overwrite:
    """A channel permission overwrite for a role (type 0) or a member (type 1)."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, Any]:
        """Return the overwrite object."""
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass
class ChannelFx:
    """A guild channel (text by default) or a DM channel."""

    id: int
    name: str
    guild_id: int | None
    type: int = 0
    position: int = 0
    overwrites: list[Overwrite] = field(default_factory=list)
    topic: str | None = None
    parent_id: int | None = None
    recipient: UserFx | None = None

    def payload(self) -> dict[str, Any]:
        """Return the channel object."""
        if self.guild_id is None:
            return {
                "id": str(self.id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.recipient.payload()] if self.recipient else [],
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [o.payload() for o in self.overwrites],
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "topic": self.topic,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
            "bitrate": 64000,
            "user_limit": 0,
            "rtc_region": None,
        }

    @property
    def mention(self) -> str:
        """Return the <#id> mention text."""
        return f"<#{self.id}>"


@dataclass
class MemberFx:
    """A guild member: a user plus roles."""

    user: UserFx
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def id(self) -> int:
        """Return the user id."""
        return self.user.id

    @property
    def mention(self) -> str:
        """Return the <@id> mention text."""
        return self.user.mention

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        """Return the guild member object."""
        out: dict[str, Any] = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            out["user"] = self.user.payload()
        return out


def perms_value(
    permissions: int | discord.Permissions | Iterable[str] | None = None, **names: bool
) -> int:
    """Turn an int, a discord.Permissions, names, or keyword flags into a permission integer."""
    if isinstance(permissions, discord.Permissions):
        value = permissions.value
    elif isinstance(permissions, int):
        value = permissions
    elif permissions is None:
        value = 0
    else:
        value = discord.Permissions(**dict.fromkeys(permissions, True)).value
    if names:
        current = discord.Permissions(value)
        current.update(**names)
        value = current.value
    return value
