"""Injecting interactions (slash, autocomplete, clicks, modals) and the handle tests await on."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.testing.loopback.options import build_command_data, member_of
from bot.testing.loopback.state import (
    USE_APPLICATION_COMMANDS,
    VIEW_CHANNEL,
    DiscordError,
    snowflake,
    to_id,
)
from bot.testing.loopback.world import GuildFixture, MemberFx

if TYPE_CHECKING:
    from bot.testing.loopback.server import LoopbackDiscord

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class InjectedInteraction:
    """One interaction the loopback sent to the bot, and everything the bot answered."""

    def __init__(
        self,
        server: LoopbackDiscord,
        kind: int,
        guild: GuildFixture | None,
        channel_id: int,
        data: dict[str, Any],
        *,
        member: MemberFx | None,
        source_message: dict[str, Any] | None = None,
        locale: str | None = None,
    ) -> None:
        self.server = server
        # The member's Discord client language, e.g. "pt-BR"; None: the member's own setting.
        self.locale = locale
        self.id = snowflake()
        self.token = f"aW50ZXJhY3Rpb24{secrets.token_urlsafe(48)}"
        self.type = kind
        self.guild = guild
        self.channel_id = channel_id
        self.member = member
        self.source_message_id = int(source_message["id"]) if source_message else None
        self.created_at = server.clock.now()
        self.injected_perf = 0.0
        self.callback_perf: float | None = None
        self.callback: dict[str, Any] | None = None
        self.original_id: int | None = None
        self.followup_ids: list[int] = []
        self.rejected: list[str] = []
        self._future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._changed = asyncio.Event()
        self.payload = self._build(data, source_message)

    def _build(self, data: dict[str, Any], source_message: dict[str, Any] | None) -> dict[str, Any]:
        channel = self.server.channels[self.channel_id]
        payload: dict[str, Any] = {
            "id": str(self.id),
            "application_id": str(self.server.application_id),
            "type": self.type,
            "data": data,
            "channel_id": str(self.channel_id),
            "channel": channel.payload(),
            "token": self.token,
            "version": 1,
            "locale": self.locale or self._locale(channel),
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if self.guild is not None and self.member is not None:
            g = self.guild
            payload.update(
                guild_id=str(g.id),
                guild={"id": str(g.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                member={
                    **self.member.payload(),
                    "permissions": str(g.permissions_in(self.member, self.channel_id)),
                },
                app_permissions=str(g.bot_permissions_in(self.channel_id)),
                authorizing_integration_owners={"0": str(g.id)},
                context=0,
            )
        else:
            user = channel.recipient or self.server.bot_user
            payload.update(
                user=user.payload(),
                app_permissions="0",
                authorizing_integration_owners={"0": str(user.id)},
                context=1,
            )
        if source_message is not None:
            payload["message"] = source_message
        return payload

    def _locale(self, channel: Any) -> str:
        if self.member is not None:
            return self.member.user.locale
        return channel.recipient.locale if channel.recipient else "en-US"

    # -- waiting -------------------------------------------------------------------------
    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _record_callback(self, cb_type: int, data: dict[str, Any] | None) -> None:
        self.callback_perf = time.perf_counter()
        self.callback = {"type": cb_type, "data": data}
        if not self._future.done():
            self._future.set_result(self.callback)
        self._notify()

    def _reject(self, err: DiscordError) -> None:
        self.rejected.append(f"{err.status} {err.code} {err.message} {err.errors or ''}".strip())
        self._notify()

    async def response(self, timeout: float = 5.0) -> dict[str, Any]:
        """Wait for the initial callback; return {'type': int, 'data': dict | None}.

        Fails fast with the loopback's error when the bot's callback was refused.
        """
        await self.wait_until(lambda: self._future.done() or bool(self.rejected), timeout)
        if not self._future.done():
            raise AssertionError(f"callback for interaction {self.id} refused: {self.rejected}")
        return self._future.result()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until predicate() holds, re-checking whenever the bot answers or edits."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    ev = self._changed
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(ev.wait(), 0.1)
        except TimeoutError:
            raise AssertionError(
                f"condition not met for interaction {self.id} in {timeout}s "
                f"(callback={self.response_type}, refused={self.rejected})"
            ) from None

    async def wait_followup(self, n: int = 1, timeout: float = 5.0) -> dict[str, Any]:
        """Wait until the bot has sent n followups; return the n-th (1-based)."""
        await self.wait_until(lambda: len(self.followup_ids) >= n, timeout)
        return self.server.messages.by_id[self.followup_ids[n - 1]]

    async def settled(self, timeout: float = 5.0) -> InjectedInteraction:
        """Wait for the callback and, if it was a defer, for the deferred message to be filled."""
        await self.response(timeout)
        await self.wait_until(lambda: not self.loading, timeout)
        return self

    # -- what the user sees ---------------------------------------------------------------
    @property
    def latency(self) -> float | None:
        """Return seconds from injection to the callback arriving (None if not yet)."""
        return None if self.callback_perf is None else self.callback_perf - self.injected_perf

    @property
    def response_type(self) -> int | None:
        """Return the callback type (4 message, 5 defer, 6 deferred update, 7 update, 8, 9)."""
        return None if self.callback is None else int(self.callback["type"])

    @property
    def original(self) -> dict[str, Any] | None:
        """Return the current state of the original response message (None if none/deleted)."""
        if self.original_id is None or self.original_id in self.server.messages.deleted:
            return None
        return self.server.messages.by_id.get(self.original_id)

    @property
    def loading(self) -> bool:
        """Return True while a deferred 'thinking' response has not been filled in."""
        msg = self.original
        return bool(msg and int(msg.get("flags") or 0) & (1 << 7))

    @property
    def followups(self) -> list[dict[str, Any]]:
        """Return followup messages as they are now (deleted ones omitted)."""
        store = self.server.messages
        return [store.by_id[i] for i in self.followup_ids if i not in store.deleted]

    @property
    def content(self) -> str:
        """Return the original response's content ('' if none)."""
        return (self.original or {}).get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """Return the original response's embeds."""
        return (self.original or {}).get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        """Return the original response's components."""
        return (self.original or {}).get("components") or []

    @property
    def ephemeral(self) -> bool:
        """Return True when the original response is ephemeral (flags & 64)."""
        msg = self.original
        if msg is not None:
            return bool(int(msg.get("flags") or 0) & 64)
        data = (self.callback or {}).get("data") or {}
        return bool(int(data.get("flags") or 0) & 64)

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Return autocomplete choices the bot sent."""
        return ((self.callback or {}).get("data") or {}).get("choices") or []

    @property
    def modal(self) -> dict[str, Any] | None:
        """Return the modal the bot opened (callback type 9), if any."""
        if self.response_type != 9 or self.callback is None:
            return None
        return self.callback["data"]  # type: ignore[no-any-return]

    def all_text(self) -> str:
        """Flatten content and embed text of the original response and followups, to grep."""
        parts: list[str] = []
        msgs = [m for m in (self.original, *self.followups) if m is not None]
        for msg in msgs:
            parts.append(msg.get("content") or "")
            for embed in msg.get("embeds") or []:
                parts.append((embed.get("author") or {}).get("name") or "")
                parts.append(embed.get("title") or "")
                parts.append(embed.get("description") or "")
                for fld in embed.get("fields") or []:
                    parts.extend([fld.get("name") or "", fld.get("value") or ""])
                parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(p for p in parts if p)

    def __repr__(self) -> str:
        return f"<InjectedInteraction id={self.id} type={self.type} response={self.response_type}>"


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
        data["values"] = chosen
    guild = server.guilds.get(int(msg["guild_id"])) if msg.get("guild_id") else None
    g, member, cid = _context(server, guild, user, int(msg["channel_id"]))
    ix = InjectedInteraction(
        server, MESSAGE_COMPONENT, g, cid, data, member=member, source_message=msg
    )
    return await _inject(server, ix)


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
