"""REST v10 endpoints for the bot token: identity, commands, channels, messages, guilds, DMs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.testing.loopback import events
from bot.testing.loopback.command_schema import validate_command
from bot.testing.loopback.entities import ChannelFx
from bot.testing.loopback.messages import CHANNEL_FLAGS
from bot.testing.loopback.state import (
    ATTACH_FILES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    DiscordError,
    body_of,
    files_of,
    form_error,
    snowflake,
)
from bot.testing.loopback.world import GuildFixture

if TYPE_CHECKING:
    from bot.testing.loopback.server import LoopbackDiscord

NONCE_WINDOW = 300.0
MISSING_PERMISSIONS = (403, 50013, "Missing Permissions")


def register(app: web.Application, server: LoopbackDiscord, prefix: str) -> None:
    """Add the bot-token routes to the app."""
    r = Rest(server)
    add = app.router.add_route
    add("GET", f"{prefix}/users/@me", r.me)
    add("GET", f"{prefix}/users/{{user_id}}", r.get_user)
    add("GET", f"{prefix}/oauth2/applications/@me", r.app_info)
    add("GET", f"{prefix}/applications/@me", r.app_info)
    add("GET", f"{prefix}/gateway", r.gateway)
    add("GET", f"{prefix}/gateway/bot", r.gateway_bot)
    for scope in ("", "/guilds/{guild_id}"):
        add("GET", f"{prefix}/applications/{{app_id}}{scope}/commands", r.get_commands)
        add("PUT", f"{prefix}/applications/{{app_id}}{scope}/commands", r.put_commands)
    add("GET", f"{prefix}/channels/{{channel_id}}", r.get_channel)
    add("POST", f"{prefix}/channels/{{channel_id}}/messages", r.send_message)
    add("GET", f"{prefix}/channels/{{channel_id}}/messages", r.list_messages)
    add("GET", f"{prefix}/channels/{{channel_id}}/messages/{{message_id}}", r.get_message)
    add("PATCH", f"{prefix}/channels/{{channel_id}}/messages/{{message_id}}", r.edit_message)
    add("DELETE", f"{prefix}/channels/{{channel_id}}/messages/{{message_id}}", r.delete_message)
    add("POST", f"{prefix}/channels/{{channel_id}}/typing", r.typing)
    add("GET", f"{prefix}/guilds/{{guild_id}}", r.get_guild)
    add("GET", f"{prefix}/guilds/{{guild_id}}/channels", r.get_guild_channels)
    add("GET", f"{prefix}/guilds/{{guild_id}}/roles", r.get_roles)
    add("GET", f"{prefix}/guilds/{{guild_id}}/members/{{user_id}}", r.get_member)
    add("POST", f"{prefix}/users/@me/channels", r.open_dm)
    add("DELETE", f"{prefix}/users/@me/guilds/{{guild_id}}", r.leave_guild)
    events.register(app, server, prefix)


def _int(request: web.Request, key: str) -> int:
    value = request.match_info[key]
    if not value.isdigit():
        raise DiscordError(404, 0, "404: Not Found")
    return int(value)


class Rest:
    """Handlers; each returns a payload, (status, payload), or raises DiscordError."""

    def __init__(self, server: LoopbackDiscord) -> None:
        self.server = server

    # -- identity --------------------------------------------------------------------------
    async def me(self, request: web.Request) -> Any:
        """GET /users/@me."""
        return {**self.server.bot_user.payload(), "verified": True, "mfa_enabled": False}

    async def get_user(self, request: web.Request) -> Any:
        """GET /users/{id}."""
        user = self.server.users.get(_int(request, "user_id"))
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        return user.payload()

    async def app_info(self, request: web.Request) -> Any:
        """GET /oauth2/applications/@me."""
        s = self.server
        owner = s.users.get(next(iter(s.guilds.values())).owner_id) if s.guilds else None
        return {
            "id": str(s.application_id),
            "name": s.bot_user.username,
            "icon": None,
            "description": "Loopback application",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": (owner or s.bot_user).payload(),
            "summary": "",
            "verify_key": "0" * 64,
            "team": None,
            "flags": 0,
            "bot": s.bot_user.payload(),
            "approximate_guild_count": len(s.guilds),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "tags": [],
            "integration_types_config": {"0": {}},
        }

    async def gateway(self, request: web.Request) -> Any:
        """GET /gateway."""
        return {"url": self.server.gateway_url}

    async def gateway_bot(self, request: web.Request) -> Any:
        """GET /gateway/bot (AutoShardedBot)."""
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        shards = self.server.recommended_shards
        return {"url": self.server.gateway_url, "shards": shards, "session_start_limit": limit}

    # -- application commands ---------------------------------------------------------------
    def _scope(self, request: web.Request) -> int | None:
        if _int(request, "app_id") != self.server.application_id:
            raise DiscordError(403, 50001, "Missing Access", violation="wrong_application: app id")
        if "guild_id" not in request.match_info:
            return None
        guild_id = _int(request, "guild_id")
        if guild_id not in self.server.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        return guild_id

    async def get_commands(self, request: web.Request) -> Any:
        """GET application commands (global or guild)."""
        scope = self._scope(request)
        s = self.server
        return s.global_commands if scope is None else s.guild_commands.get(scope, [])

    async def put_commands(self, request: web.Request) -> Any:
        """PUT (bulk overwrite) application commands, validating Discord's schema limits."""
        scope = self._scope(request)
        body = body_of(request)
        if not isinstance(body, list):
            raise form_error("_root", "BASE_TYPE_ARRAY", "Must be an array", kind="command_schema")
        if len(body) > 100:
            raise form_error(
                "_root", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer", kind="command_schema"
            )
        old = (
            self.server.global_commands
            if scope is None
            else self.server.guild_commands.get(scope, [])
        )
        ids = {(c["name"], c["type"]): c["id"] for c in old}
        seen: set[tuple[str, int]] = set()
        out = []
        for i, cmd in enumerate(body):
            ctype = int(cmd.get("type", 1))
            validate_command(f"{i}", cmd, ctype)
            key = (cmd["name"], ctype)
            if key in seen:
                raise form_error(
                    f"{i}.name",
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    "Duplicate name",
                    kind="command_schema",
                )
            seen.add(key)
            stored = {
                "id": ids.get(key) or str(snowflake()),
                "application_id": str(self.server.application_id),
                "version": str(snowflake()),
                "type": ctype,
                "name": cmd["name"],
                "name_localizations": cmd.get("name_localizations"),
                "description": cmd.get("description", ""),
                "description_localizations": cmd.get("description_localizations"),
                "options": cmd.get("options") or [],
                "default_member_permissions": cmd.get("default_member_permissions"),
                "dm_permission": cmd.get("dm_permission", True),
                "contexts": cmd.get("contexts"),
                "integration_types": cmd.get("integration_types") or [0],
                "nsfw": bool(cmd.get("nsfw", False)),
            }
            if scope is not None:
                stored["guild_id"] = str(scope)
            out.append(stored)
        if scope is None:
            self.server.global_commands = out
        else:
            self.server.guild_commands[scope] = out
        return out

    # -- channels & messages ----------------------------------------------------------------
    def channel(self, channel_id: int) -> ChannelFx:
        """Return a channel the bot can see or raise 404 Unknown Channel."""
        channel = self.server.channels.get(channel_id)
        if channel is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        return channel

    def require(self, channel: ChannelFx, needed: int) -> GuildFixture | None:
        """Raise 403 Missing Permissions unless the bot has `needed` in the channel."""
        guild = self.server.guild_of_channel(channel.id)
        if guild is None:
            return None
        have = guild.bot_permissions_in(channel.id)
        if not have & VIEW_CHANNEL:
            raise DiscordError(403, 50001, "Missing Access")
        if have & needed != needed:
            raise DiscordError(*MISSING_PERMISSIONS)
        return guild

    async def get_channel(self, request: web.Request) -> Any:
        """GET /channels/{id}."""
        channel = self.channel(_int(request, "channel_id"))
        self.require(channel, VIEW_CHANNEL)
        return channel.payload()

    async def send_message(self, request: web.Request) -> Any:
        """POST /channels/{id}/messages with permissions, nonce dedup and limits."""
        channel = self.channel(_int(request, "channel_id"))
        body: dict[str, Any] = body_of(request) or {}
        files = files_of(request)
        needed = VIEW_CHANNEL | SEND_MESSAGES | (ATTACH_FILES if files else 0)
        if body.get("message_reference"):
            needed |= READ_MESSAGE_HISTORY
        guild = self.require(channel, needed)
        if guild is None and channel.recipient is not None and not channel.recipient.accepts_dms:
            raise DiscordError(403, 50007, "Cannot send messages to this user")
        s = self.server
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            key = (channel.id, str(nonce))
            seen = s.nonces.get(key)
            if seen is not None and s.clock.now() - seen[0] < NONCE_WINDOW:
                return s.messages.get(seen[1])
        msg = s.messages.create(channel.id, body, files, guild=guild, allowed_flags=CHANNEL_FLAGS)
        if nonce is not None and body.get("enforce_nonce"):
            s.nonces[(channel.id, str(nonce))] = (s.clock.now(), int(msg["id"]))
        self.announce("MESSAGE_CREATE", msg, guild)
        return msg

    def announce(self, event: str, msg: dict[str, Any], guild: GuildFixture | None) -> None:
        """Dispatch a message event the way the gateway would (guild messages carry `member`)."""
        data = dict(msg)
        if guild is not None:
            data["member"] = guild.bot.payload(with_user=False)
        self.server.dispatch(event, data)

    def _message(self, request: web.Request) -> tuple[ChannelFx, dict[str, Any]]:
        channel = self.channel(_int(request, "channel_id"))
        msg = self.server.messages.get(_int(request, "message_id"))
        if int(msg["channel_id"]) != channel.id or int(msg.get("flags") or 0) & 64:
            raise DiscordError(404, 10008, "Unknown Message")
        return channel, msg

    async def list_messages(self, request: web.Request) -> Any:
        """GET /channels/{id}/messages (newest first; before/after/limit)."""
        channel = self.channel(_int(request, "channel_id"))
        self.require(channel, VIEW_CHANNEL | READ_MESSAGE_HISTORY)
        msgs = list(reversed(self.server.messages.in_channel(channel.id)))
        q = request.query
        if "before" in q:
            msgs = [m for m in msgs if int(m["id"]) < int(q["before"])]
        if "after" in q:
            msgs = [m for m in msgs if int(m["id"]) > int(q["after"])]
        limit = int(q.get("limit", 50))
        if not 1 <= limit <= 100:
            raise form_error("limit", "NUMBER_TYPE_MAX", "int value should be <= 100.")
        return msgs[:limit]

    async def get_message(self, request: web.Request) -> Any:
        """GET /channels/{id}/messages/{mid}."""
        channel, msg = self._message(request)
        self.require(channel, VIEW_CHANNEL | READ_MESSAGE_HISTORY)
        return msg

    async def edit_message(self, request: web.Request) -> Any:
        """PATCH /channels/{id}/messages/{mid} (only the bot's own messages)."""
        channel, msg = self._message(request)
        guild = self.require(channel, VIEW_CHANNEL)
        if int(msg["author"]["id"]) != self.server.bot_user.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        edited = self.server.messages.edit(
            msg, body_of(request) or {}, files_of(request), guild=guild
        )
        self.announce("MESSAGE_UPDATE", edited, guild)
        return edited

    async def delete_message(self, request: web.Request) -> Any:
        """DELETE /channels/{id}/messages/{mid}."""
        channel, msg = self._message(request)
        self.require(channel, VIEW_CHANNEL)
        self.server.messages.delete(int(msg["id"]))
        data = {"id": msg["id"], "channel_id": msg["channel_id"]}
        if msg.get("guild_id"):
            data["guild_id"] = msg["guild_id"]
        self.server.dispatch("MESSAGE_DELETE", data)
        return 204, None

    async def typing(self, request: web.Request) -> Any:
        """POST /channels/{id}/typing."""
        self.require(self.channel(_int(request, "channel_id")), VIEW_CHANNEL | SEND_MESSAGES)
        return 204, None

    # -- guilds ------------------------------------------------------------------------------
    def guild(self, request: web.Request) -> GuildFixture:
        """Return the guild from the path or raise 404 Unknown Guild."""
        guild = self.server.guilds.get(_int(request, "guild_id"))
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild

    async def get_guild(self, request: web.Request) -> Any:
        """GET /guilds/{id}."""
        guild = self.guild(request)
        out = guild.payload()
        if request.query.get("with_counts") in ("true", "1", "True"):
            out.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
        return out

    async def get_guild_channels(self, request: web.Request) -> Any:
        """GET /guilds/{id}/channels."""
        return [c.payload() for c in self.guild(request).channels.values()]

    async def get_roles(self, request: web.Request) -> Any:
        """GET /guilds/{id}/roles."""
        return [r.payload() for r in self.guild(request).roles.values()]

    async def get_member(self, request: web.Request) -> Any:
        """GET /guilds/{id}/members/{uid}."""
        guild = self.guild(request)
        member = guild.members.get(_int(request, "user_id"))
        if member is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return member.payload()

    async def leave_guild(self, request: web.Request) -> Any:
        """DELETE /users/@me/guilds/{id}: the bot leaves; GUILD_DELETE follows."""
        guild = self.guild(request)
        self.server.remove_guild(guild)
        return 204, None

    # -- DMs -----------------------------------------------------------------------------------
    async def open_dm(self, request: web.Request) -> Any:
        """POST /users/@me/channels {recipient_id} -> the DM channel (same one each time)."""
        body = body_of(request) or {}
        try:
            user = self.server.users[int(body["recipient_id"])]
        except (TypeError, ValueError, KeyError):
            raise DiscordError(400, 50033, "Invalid Recipient(s)") from None
        for channel in self.server.channels.values():
            if channel.guild_id is None and channel.recipient is user:
                return channel.payload()
        channel = ChannelFx(snowflake(), user.username, None, type=1, recipient=user)
        self.server.channels[channel.id] = channel
        return channel.payload()
