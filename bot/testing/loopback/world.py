"""The guild fixture: a populated server (channels, roles, members) and its permission checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.testing.loopback.entities import (
    ChannelFx,
    MemberFx,
    Overwrite,
    RoleFx,
    perms_value,
)
from bot.testing.loopback.state import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    BOT_INVITE_PERMISSIONS,
    EVERYONE_DEFAULT,
    MANAGE_EVENTS,
    MANAGE_GUILD,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    iso,
    snowflake,
    to_id,
)

if TYPE_CHECKING:
    from bot.testing.loopback.server import LoopbackDiscord


class GuildFixture:
    """A populated guild: the standard channels, roles and members Lightstick's tests rely on."""

    def __init__(
        self,
        server: LoopbackDiscord,
        name: str,
        *,
        manage_events: bool = True,
        shard: tuple[int, int] | None = None,
    ) -> None:
        self.server = server
        self.id = snowflake(shard=shard)
        self.name = name
        self.roles: dict[int, RoleFx] = {}
        self.channels: dict[int, ChannelFx] = {}
        self.members: dict[int, MemberFx] = {}
        self.scheduled_events: dict[int, dict[str, Any]] = {}
        self.joined_at = datetime.now(UTC)

        self.everyone_role = self._role("@everyone", EVERYONE_DEFAULT, role_id=self.id, position=0)
        self.fans = self._role("Fans", 0, mentionable=False, position=1)
        self.stans = self._role("Stans", 0, mentionable=True, position=2)
        self.moderator_role = self._role("Moderator", MANAGE_GUILD, position=3)
        self.admin_role = self._role("Admin", ADMINISTRATOR, position=4)
        bot_perms = BOT_INVITE_PERMISSIONS | (MANAGE_EVENTS if manage_events else 0)
        self.bot_role = self._role(
            server.bot_user.username, bot_perms, managed=True, position=5, bot_id=server.bot_user.id
        )

        self.owner = self._member("owner")
        self.owner_id = self.owner.id
        self.bot = MemberFx(server.bot_user, self.id, roles=[self.bot_role.id])
        self.members[self.bot.id] = self.bot
        self.member = self._member("member")
        self.moderator = self._member("moderator", [self.moderator_role.id])
        self.admin = self._member("admin", [self.admin_role.id])
        every_but = ALL_PERMISSIONS & ~(MANAGE_GUILD | ADMINISTRATOR)
        self.everything_role = self._role("Everything but manage", every_but, position=2)
        self.everything_but_manage = self._member(
            "everything_but_manage", [self.everything_role.id]
        )

        self.general = self._channel("general", position=0)
        self.announcements = self._channel(
            "announcements",
            position=1,
            overwrites=[
                Overwrite(self.id, 0, deny=SEND_MESSAGES),
                Overwrite(self.bot_role.id, 0, allow=SEND_MESSAGES),
                # As in real fan servers, moderators may write where members only read.
                Overwrite(self.moderator_role.id, 0, allow=SEND_MESSAGES),
            ],
        )
        self.locked = self._channel(
            "locked", position=2, overwrites=[Overwrite(self.bot.id, 1, deny=SEND_MESSAGES)]
        )
        self.system = self._channel("system", position=3)
        self.system_channel_id: int | None = self.system.id

    # -- construction helpers (no dispatch) ------------------------------------------------
    def _role(self, name: str, perms: int, *, role_id: int | None = None, **kw: Any) -> RoleFx:
        role = RoleFx(role_id or snowflake(), name, perms, **kw)
        self.roles[role.id] = role
        return role

    def _member(self, username: str, roles: list[int] | None = None) -> MemberFx:
        user = self.server.new_user(f"{username}_{str(self.id)[-4:]}", global_name=username)
        member = MemberFx(user, self.id, roles=list(roles or []))
        self.members[member.id] = member
        return member

    def _channel(self, name: str, *, type: int = 0, **kw: Any) -> ChannelFx:
        channel = ChannelFx(snowflake(), name, self.id, type=type, **kw)
        self.channels[channel.id] = channel
        self.server.channels[channel.id] = channel
        return channel

    # -- public mutators (dispatch gateway events when a bot is connected) ----------------
    def add_member(
        self,
        username: str,
        *,
        roles: Iterable[Any] = (),
        accepts_dms: bool = True,
        locale: str = "en-US",
    ) -> MemberFx:
        """Add a member with a Discord `locale` such as "ko" (dispatches GUILD_MEMBER_ADD)."""
        member = self._member(username, [to_id(r) for r in roles])
        member.user.accepts_dms = accepts_dms
        member.user.locale = locale
        self.server.dispatch("GUILD_MEMBER_ADD", {**member.payload(), "guild_id": str(self.id)})
        return member

    def add_role(self, name: str, permissions: int = 0, *, mentionable: bool = False) -> RoleFx:
        """Add a role (dispatches GUILD_ROLE_CREATE)."""
        role = self._role(name, permissions, mentionable=mentionable, position=len(self.roles))
        self.server.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(self.id), "role": role.payload()}
        )
        return role

    def update_role(self, role: Any, **changes: Any) -> RoleFx:
        """Change a role's attributes, e.g. permissions=..., mentionable=... (GUILD_ROLE_UPDATE)."""
        target = self.roles[to_id(role)]
        for key, value in changes.items():
            setattr(target, key, value)
        self.server.dispatch(
            "GUILD_ROLE_UPDATE", {"guild_id": str(self.id), "role": target.payload()}
        )
        return target

    def delete_role(self, role: Any) -> None:
        """Delete a role (dispatches GUILD_ROLE_DELETE)."""
        role_id = to_id(role)
        self.roles.pop(role_id)
        for member in self.members.values():
            if role_id in member.roles:
                member.roles.remove(role_id)
        self.server.dispatch(
            "GUILD_ROLE_DELETE", {"guild_id": str(self.id), "role_id": str(role_id)}
        )

    def add_channel(
        self,
        name: str,
        *,
        type: int = 0,
        overwrites: Iterable[Overwrite] = (),
        deny_bot: int = 0,
        allow_bot: int = 0,
    ) -> ChannelFx:
        """Add a channel, optionally with a member overwrite for the bot (CHANNEL_CREATE)."""
        ows = list(overwrites)
        if deny_bot or allow_bot:
            ows.append(Overwrite(self.bot.id, 1, allow=allow_bot, deny=deny_bot))
        channel = self._channel(name, type=type, position=len(self.channels), overwrites=ows)
        self.server.dispatch("CHANNEL_CREATE", channel.payload())
        return channel

    def remove_channel(self, channel: Any) -> None:
        """Delete a channel (dispatches CHANNEL_DELETE)."""
        removed = self.channels.pop(to_id(channel))
        self.server.channels.pop(removed.id, None)
        self.server.dispatch("CHANNEL_DELETE", removed.payload())

    def set_overwrites(self, channel: Any, overwrites: Iterable[Overwrite]) -> None:
        """Replace a channel's overwrites (dispatches CHANNEL_UPDATE)."""
        target = self.channels[to_id(channel)]
        target.overwrites = list(overwrites)
        self.server.dispatch("CHANNEL_UPDATE", target.payload())

    def set_bot_permissions(
        self, permissions: int | discord.Permissions | Iterable[str] | None = None, **names: bool
    ) -> None:
        """Set the bot's managed role permissions, replacing or toggling (GUILD_ROLE_UPDATE)."""
        base = self.bot_role.permissions if permissions is None else perms_value(permissions)
        self.update_role(self.bot_role, permissions=perms_value(base, **names))

    # -- permission algorithm ------------------------------------------------------------
    def base_permissions(self, member: Any) -> int:
        """Return guild-level permissions: @everyone | member roles; owner/admin get all."""
        m = self.members[to_id(member)]
        if m.id == self.owner_id:
            return ALL_PERMISSIONS
        value = self.everyone_role.permissions
        for role_id in m.roles:
            role = self.roles.get(role_id)
            if role is not None:
                value |= role.permissions
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def permissions_in(self, member: Any, channel: Any) -> int:
        """Return a member's permissions in a channel, applying overwrites like Discord."""
        m = self.members[to_id(member)]
        value = self.base_permissions(m)
        if value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        ch = self.channels[to_id(channel)]
        by_target = {(o.type, o.id): o for o in ch.overwrites}
        everyone = by_target.get((0, self.id))
        if everyone:
            value = (value & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for role_id in m.roles:
            ow = by_target.get((0, role_id))
            if ow:
                allow |= ow.allow
                deny |= ow.deny
        value = (value & ~deny) | allow
        own = by_target.get((1, m.id))
        if own:
            value = (value & ~own.deny) | own.allow
        return value if value & VIEW_CHANNEL else 0

    def bot_permissions_in(self, channel: Any) -> int:
        """Return the bot's permissions in a channel."""
        return self.permissions_in(self.bot, channel)

    # -- payloads ----------------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        """Return the REST guild object."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(self.system_channel_id) if self.system_channel_id else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }

    def create_payload(self, *, initial: bool) -> dict[str, Any]:
        """Return the GUILD_CREATE payload; initial ones say unavailable=False, joins omit it."""
        out = self.payload()
        out.update(
            joined_at=iso(self.joined_at),
            large=False,
            member_count=len(self.members),
            members=[self.bot.payload()],
            channels=[
                {k: v for k, v in c.payload().items() if k != "guild_id"}
                for c in self.channels.values()
            ],
            threads=[],
            presences=[],
            voice_states=[],
            stage_instances=[],
            guild_scheduled_events=list(self.scheduled_events.values()),
            soundboard_sounds=[],
        )
        if initial:
            out["unavailable"] = False
        return out
