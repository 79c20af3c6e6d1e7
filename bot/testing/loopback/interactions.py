"""Injecting interactions (slash, autocomplete, clicks, modals) and the handle tests await on."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from bot.testing.loopback.entities import MemberFx
from bot.testing.loopback.injected import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InjectedInteraction,
)
from bot.testing.loopback.options import build_command_data, member_of
from bot.testing.loopback.state import (
    USE_APPLICATION_COMMANDS,
    VIEW_CHANNEL,
    to_id,
)
from bot.testing.loopback.world import GuildFixture

if TYPE_CHECKING:
    from bot.testing.loopback.server import LoopbackDiscord


def _check_can_use(guild: GuildFixture, member: MemberFx, channel_id: int) -> None:
    perms = guild.permissions_in(member, channel_id)
    if not perms & VIEW_CHANNEL or not perms & USE_APPLICATION_COMMANDS:
        raise AssertionError(
            f"{member.user.username} cannot use application commands in channel {channel_id}"
        )


async def _inject(server: LoopbackDiscord, ix: InjectedInteraction) -> InjectedInteraction:
    server.interactions[ix.id] = ix
    server.interactions_by_token[ix.token] = ix
    ix.injected_perf = time.perf_counter()
    ix.created_at = server.clock.now()
    if not server.dispatch("INTERACTION_CREATE", ix.payload):
        raise AssertionError("no bot is connected to the loopback gateway")
    return ix


def _context(
    server: LoopbackDiscord, guild: Any, user: Any, channel: Any
) -> tuple[GuildFixture | None, MemberFx | None, int]:
    if guild is None:
        if channel is None:
            raise AssertionError("a DM interaction needs channel= (a DM channel id)")
        return None, None, to_id(channel)
    g = guild if isinstance(guild, GuildFixture) else server.guilds[to_id(guild)]
    member = member_of(g, user if user is not None else g.member)
    channel_id = to_id(channel) if channel is not None else g.general.id
    if channel_id not in g.channels:
        raise AssertionError(f"channel {channel_id} is not in guild {g.name}")
    return g, member, channel_id


async def slash(
    server: LoopbackDiscord,
    guild: Any,
    command: str,
    options: dict[str, Any],
    *,
    user: Any = None,
    channel: Any = None,
    channel_id: Any = None,
    override_permissions: bool = False,
    locale: str | None = None,
) -> InjectedInteraction:
    """Invoke `command` (e.g. 'spaces follow') with options validated against the synced schema.

    `locale` overrides the invoking member's Discord client language (`interaction.locale`).
    """
    g, member, cid = _context(server, guild, user, channel if channel is not None else channel_id)
    if g is not None and member is not None:
        _check_can_use(g, member, cid)
    data = build_command_data(
        server,
        g,
        member,
        command,
        options,
        focused=None,
        override_permissions=override_permissions,
        channel_id=cid,
    )
    ix = InjectedInteraction(
        server, APPLICATION_COMMAND, g, cid, data, member=member, locale=locale
    )
    return await _inject(server, ix)


async def autocomplete(
    server: LoopbackDiscord,
    guild: Any,
    command: str,
    options: dict[str, Any],
    *,
    focused: str,
    user: Any = None,
    channel: Any = None,
    timeout: float = 5.0,
) -> list[dict[str, Any]]:
    """Send an autocomplete interaction; return the choices (fails on invalid choices)."""
    g, member, cid = _context(server, guild, user, channel)
    data = build_command_data(server, g, member, command, options, focused=focused, channel_id=cid)
    ix = await _inject(
        server, InjectedInteraction(server, AUTOCOMPLETE, g, cid, data, member=member)
    )
    cb = await ix.response(timeout)
    if cb["type"] != 8:
        raise AssertionError(f"autocomplete answered with callback type {cb['type']}, not 8")
    return ix.choices


def _find_component(components: list[dict[str, Any]], custom_id: str) -> dict[str, Any] | None:
    for comp in components:
        if comp.get("custom_id") == custom_id:
            return comp
        for key in ("components", "accessory"):
            inner = comp.get(key)
            found = _find_component(
                inner if isinstance(inner, list) else [inner] if inner else [], custom_id
            )
            if found is not None:
                return found
    return None


def _all_custom_ids(components: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for comp in components:
        if comp.get("custom_id"):
            out.append(comp["custom_id"])
        out.extend(_all_custom_ids(comp.get("components") or []))
    return out


async def click(
    server: LoopbackDiscord,
    message: Any,
    custom_id: str,
    *,
    user: Any = None,
    values: list[Any] | None = None,
) -> InjectedInteraction:
    """Click a button (or pick select values) on a stored message as `user`."""
    if isinstance(message, InjectedInteraction):
        message = message.original_id
    msg = server.messages.get(to_id(message))
    comp = _find_component(msg.get("components") or [], custom_id)
    if comp is None:
        known = _all_custom_ids(msg.get("components") or [])
        raise AssertionError(f"no component {custom_id!r}; message has {known}")
    if comp.get("disabled"):
        raise AssertionError(
            f"component {custom_id!r} is disabled; Discord would not let anyone click it"
        )
    ctype = int(comp["type"])
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": ctype}
    if ctype == 2:
        if values is not None:
            raise AssertionError("buttons take no values")
    else:
        chosen = [str(to_id(v)) if ctype in (5, 6, 7, 8) else str(v) for v in (values or [])]
        lo, hi = int(comp.get("min_values", 1)), int(comp.get("max_values", 1))
        if not lo <= len(chosen) <= hi:
            raise AssertionError(f"select {custom_id!r} needs {lo}..{hi} values, got {len(chosen)}")
        if ctype == 3:
            allowed = {o["value"] for o in comp.get("options") or []}
            if not set(chosen) <= allowed:
                raise AssertionError(f"values {chosen} not among options {sorted(allowed)}")
            selected = {o["value"] for o in comp.get("options") or [] if o.get("default")}
            if selected and set(chosen) == selected:
                # Discord's client sends nothing when the pick leaves the selection unchanged.
                raise AssertionError(
                    f"values {chosen} are already selected (default) in {custom_id!r}; "
                    "Discord would send no interaction for this pick"
                )
        data["values"] = chosen
    return await forge_component(server, msg["id"], data, user=user)


async def forge_component(
    server: LoopbackDiscord,
    message: Any,
    data: dict[str, Any],
    *,
    user: Any = None,
) -> InjectedInteraction:
    """Send a component interaction carrying any `data` on a stored message, unchecked.

    What a modified client (or a post from an older bot version) can make Discord deliver:
    a custom_id the message never had, a wrong component_type, select values out of range.
    """
    msg = server.messages.get(to_id(message))
    guild = server.guilds.get(int(msg["guild_id"])) if msg.get("guild_id") else None
    g, member, cid = _context(server, guild, user, int(msg["channel_id"]))
    ix = InjectedInteraction(
        server, MESSAGE_COMPONENT, g, cid, data, member=member, source_message=msg
    )
    return await _inject(server, ix)


async def forge_modal_submit(
    server: LoopbackDiscord,
    guild: Any,
    data: dict[str, Any],
    *,
    user: Any = None,
    channel: Any = None,
) -> InjectedInteraction:
    """Send a MODAL_SUBMIT with any `data` (custom_id, components) no modal of the bot opened."""
    g, member, cid = _context(server, guild, user, channel)
    ix = InjectedInteraction(server, MODAL_SUBMIT, g, cid, data, member=member)
    return await _inject(server, ix)


async def submit_modal(
    server: LoopbackDiscord,
    opener: InjectedInteraction,
    values: dict[str, Any],
    *,
    user: Any = None,
) -> InjectedInteraction:
    """Submit the modal `opener` showed, filling text inputs by custom_id."""
    modal = opener.modal
    if modal is None:
        raise AssertionError(f"interaction {opener.id} did not open a modal")
    remaining = dict(values)

    def fill(comp: dict[str, Any]) -> dict[str, Any] | None:
        if comp.get("type") == 1:
            inner = [x for x in (fill(c) for c in comp.get("components") or []) if x]
            return {"type": 1, "components": inner}
        if comp.get("type") == 18:
            child = fill(comp["component"])
            return {"type": 18, "id": comp.get("id", 0), "component": child} if child else None
        cid = comp.get("custom_id")
        if cid is None:
            return None
        if comp.get("type") == 4:
            value = str(remaining.pop(cid, comp.get("value") or ""))
            if comp.get("required", True) and not value:
                raise AssertionError(f"modal field {cid!r} is required")
            lo, hi = int(comp.get("min_length", 0)), int(comp.get("max_length", 4000))
            if value and not lo <= len(value) <= hi:
                raise AssertionError(f"modal field {cid!r} must be {lo}..{hi} characters")
            return {"type": 4, "custom_id": cid, "value": value}
        chosen = remaining.pop(cid, [])
        return {"type": comp["type"], "custom_id": cid, "values": [str(v) for v in chosen]}

    components = [x for x in (fill(c) for c in modal.get("components") or []) if x]
    if remaining:
        raise AssertionError(f"modal has no fields {sorted(remaining)}")
    data = {"custom_id": modal["custom_id"], "components": components}
    source = server.messages.by_id.get(opener.source_message_id or 0)
    g, member, cid = _context(
        server, opener.guild, user if user is not None else opener.member, opener.channel_id
    )
    ix = InjectedInteraction(
        server, MODAL_SUBMIT, g, cid, data, member=member, source_message=source
    )
    return await _inject(server, ix)
