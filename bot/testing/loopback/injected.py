"""The handle a test holds for one injected interaction: its payload, responses and waits."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.testing.loopback.entities import MemberFx
from bot.testing.loopback.state import (
    DiscordError,
    snowflake,
)
from bot.testing.loopback.world import GuildFixture

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
