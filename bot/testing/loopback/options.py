"""Turn a test's `options={...}` into interaction data, checked against the synced commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.testing.loopback.entities import ChannelFx, MemberFx, RoleFx, UserFx
from bot.testing.loopback.state import Attachment, to_id
from bot.testing.loopback.world import GuildFixture

if TYPE_CHECKING:
    from bot.testing.loopback.server import LoopbackDiscord

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
)
TYPE_NAMES = {3: "STRING", 4: "INTEGER", 5: "BOOLEAN", 6: "USER", 7: "CHANNEL", 8: "ROLE",
              9: "MENTIONABLE", 10: "NUMBER", 11: "ATTACHMENT"}  # fmt: skip


def member_of(guild: GuildFixture, user: Any) -> MemberFx:
    """Return the guild member for a MemberFx, UserFx or id (AssertionError if absent)."""
    member = guild.members.get(to_id(user))
    if member is None:
        raise AssertionError(f"user {to_id(user)} is not a member of {guild.name}")
    return member


def find_command(server: LoopbackDiscord, guild: GuildFixture | None, name: str) -> dict[str, Any]:
    """Return the synced chat-input command called `name` visible in the guild."""
    scoped = server.guild_commands.get(guild.id, []) if guild is not None else []
    for cmd in (*scoped, *server.global_commands):
        if cmd["name"] == name and int(cmd.get("type", 1)) == 1:
            return cmd
    known = sorted({c["name"] for c in (*scoped, *server.global_commands)})
    raise AssertionError(f"/{name} is not synced (synced commands: {known})")


class _Resolver:
    def __init__(
        self,
        server: LoopbackDiscord,
        guild: GuildFixture | None,
        member: MemberFx | None,
        channel_id: int | None,
    ) -> None:
        self.server, self.guild, self.member = server, guild, member
        self.channel_id = channel_id
        self.resolved: dict[str, dict[str, Any]] = {}

    def _put(self, kind: str, ident: int, payload: dict[str, Any]) -> None:
        self.resolved.setdefault(kind, {})[str(ident)] = payload

    def user(self, value: Any) -> str:
        ident = to_id(value.user if isinstance(value, MemberFx) else value)
        user = self.server.users.get(ident)
        if user is None:
            raise AssertionError(f"unknown user {ident}")
        self._put("users", ident, user.payload())
        if self.guild is not None and ident in self.guild.members:
            m = self.guild.members[ident]
            perms = self.guild.permissions_in(m, self.channel_id) if self.channel_id else 0
            self._put("members", ident, {**m.payload(with_user=False), "permissions": str(perms)})
        return str(ident)

    def role(self, value: Any) -> str:
        ident = to_id(value)
        if self.guild is None or ident not in self.guild.roles:
            raise AssertionError(f"unknown role {ident}")
        self._put("roles", ident, self.guild.roles[ident].payload())
        return str(ident)

    def channel(self, value: Any, allowed_types: list[int] | None) -> str:
        ident = to_id(value)
        channel = self.server.channels.get(ident)
        if channel is None or (self.guild is not None and ident not in self.guild.channels):
            raise AssertionError(f"unknown channel {ident}")
        if allowed_types and channel.type not in allowed_types:
            raise AssertionError(
                f"channel {channel.name} has type {channel.type}, option allows {allowed_types}"
            )
        perms = self.guild.permissions_in(self.member, ident) if self.guild and self.member else 0
        payload = {k: v for k, v in channel.payload().items() if k != "permission_overwrites"}
        self._put("channels", ident, {**payload, "permissions": str(perms)})
        return str(ident)

    def attachment(self, value: Any) -> str:
        if not isinstance(value, Attachment):
            raise AssertionError(
                "ATTACHMENT options take bot.testing.loopback.state.Attachment(filename, data)"
            )
        att = self.server.messages.store_file(value.filename, value.data, value.content_type)
        att["ephemeral"] = True
        self._put("attachments", int(att["id"]), att)
        return str(att["id"])


def _coerce(opt: dict[str, Any], value: Any, res: _Resolver, path: str) -> Any:
    otype = int(opt["type"])
    name = f"{path}:{opt['name']}"
    if otype == STRING:
        value = _choice(opt, value, name)
        if not isinstance(value, str):
            raise AssertionError(f"{name} is STRING, got {value!r}")
        lo, hi = int(opt.get("min_length", 0)), int(opt.get("max_length", 6000))
        if not lo <= len(value) <= hi:
            raise AssertionError(f"{name} must be {lo}..{hi} characters, got {len(value)}")
        return value
    if otype in (INTEGER, NUMBER):
        value = _choice(opt, value, name)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise AssertionError(f"{name} is {TYPE_NAMES[otype]}, got {value!r}")
        try:
            number: int | float = int(value) if otype == INTEGER else float(value)
        except ValueError:
            raise AssertionError(f"{name} is {TYPE_NAMES[otype]}, got {value!r}") from None
        if otype == INTEGER and isinstance(value, float) and not value.is_integer():
            raise AssertionError(f"{name} is INTEGER, got {value!r}")
        if "min_value" in opt and number < opt["min_value"]:
            raise AssertionError(f"{name} must be >= {opt['min_value']}")
        if "max_value" in opt and number > opt["max_value"]:
            raise AssertionError(f"{name} must be <= {opt['max_value']}")
        return number
    if otype == BOOLEAN:
        if not isinstance(value, bool):
            raise AssertionError(f"{name} is BOOLEAN, got {value!r}")
        return value
    if otype == USER:
        return res.user(value)
    if otype == ROLE:
        return res.role(value)
    if otype == CHANNEL:
        return res.channel(value, opt.get("channel_types"))
    if otype == MENTIONABLE:
        return res.role(value) if isinstance(value, RoleFx) else res.user(value)
    if otype == ATTACHMENT:
        return res.attachment(value)
    raise AssertionError(f"{name}: unsupported option type {otype}")


def _choice(opt: dict[str, Any], value: Any, name: str) -> Any:
    choices = opt.get("choices")
    if not choices:
        return value
    for choice in choices:
        if value == choice["value"]:
            return value
    for choice in choices:
        if value == choice["name"]:
            return choice["value"]
    raise AssertionError(
        f"{name}={value!r} is not one of the choices {[c['value'] for c in choices]}"
    )


def build_command_data(
    server: LoopbackDiscord,
    guild: GuildFixture | None,
    member: MemberFx | None,
    command: str,
    options: dict[str, Any],
    *,
    focused: str | None,
    override_permissions: bool = False,
    channel_id: int | None = None,
) -> dict[str, Any]:
    """Build `data` for an APPLICATION_COMMAND (or AUTOCOMPLETE when `focused` is set)."""
    words = command.strip().lstrip("/").split()
    if not words:
        raise AssertionError("empty command path")
    cmd = find_command(server, guild, words[0])
    _check_visible(cmd, guild, member, override_permissions)
    res = _Resolver(server, guild, member, channel_id)
    schema: list[dict[str, Any]] = cmd.get("options") or []
    chain: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    path = f"/{words[0]}"
    for word in words[1:]:
        sub = next((o for o in schema if o["name"] == word and o["type"] in (1, 2)), None)
        if sub is None:
            subs = [o["name"] for o in schema if o["type"] in (1, 2)]
            raise AssertionError(f"{path} has no subcommand {word!r} (has {subs})")
        entry: dict[str, Any] = {"name": word, "type": sub["type"], "options": []}
        chain.append((entry, sub.get("options") or []))
        schema = sub.get("options") or []
        path += f" {word}"
    if any(o["type"] in (1, 2) for o in schema):
        raise AssertionError(f"{path} needs a subcommand: {[o['name'] for o in schema]}")
    leaf: list[dict[str, Any]] = []
    by_name = {o["name"]: o for o in schema}
    for key, value in options.items():
        opt = by_name.get(key)
        if opt is None:
            raise AssertionError(f"{path} has no option {key!r} (has {sorted(by_name)})")
        if key == focused:
            if not opt.get("autocomplete"):
                raise AssertionError(f"{path}:{key} does not have autocomplete enabled")
            leaf.append({"name": key, "type": opt["type"], "value": str(value), "focused": True})
            continue
        leaf.append({"name": key, "type": opt["type"], "value": _coerce(opt, value, res, path)})
    if focused is not None and focused not in options:
        raise AssertionError(f"focused option {focused!r} needs a (partial) value in options")
    if focused is None:
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in options]
        if missing:
            raise AssertionError(f"{path} is missing required options {missing}")
    nested = leaf
    for entry, _ in reversed(chain):
        entry["options"] = nested
        nested = [entry]
    data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": nested}
    if cmd.get("guild_id"):
        data["guild_id"] = cmd["guild_id"]
    if res.resolved:
        data["resolved"] = res.resolved
    return data


def _check_visible(
    cmd: dict[str, Any], guild: GuildFixture | None, member: MemberFx | None, override: bool
) -> None:
    if guild is None:
        contexts = cmd.get("contexts")
        if cmd.get("dm_permission") is False or (contexts is not None and 1 not in contexts):
            raise AssertionError(f"/{cmd['name']} is not available in DMs")
        return
    contexts = cmd.get("contexts")
    if contexts is not None and 0 not in contexts:
        raise AssertionError(f"/{cmd['name']} is not available in guilds")
    required = cmd.get("default_member_permissions")
    if required is None or override or member is None:
        return
    have = guild.base_permissions(member)
    if int(required) & have != int(required) or (int(required) == 0 and have & (1 << 3) == 0):
        raise AssertionError(
            f"Discord hides /{cmd['name']} from {member.user.username} (default_member_permissions="
            f"{required}); pass override_permissions=True to simulate an Integrations override"
        )


__all__ = ["ChannelFx", "UserFx", "build_command_data", "find_command", "member_of"]
