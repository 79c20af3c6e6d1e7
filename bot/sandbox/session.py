"""The running sandbox: loopback Discord, fake X and the real Lightstick, driven by one person."""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.core.client import Lightstick
from bot.sandbox.logbuffer import LogBuffer
from bot.sandbox.world import DemoServer, build_demo_server, seed_x_accounts
from bot.store.spaces import SpacesRepo
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import cycle, running_bot
from bot.testing.loopback.injected import InjectedInteraction
from bot.testing.loopback.messages import EPHEMERAL
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import ADMINISTRATOR
from cogs.spaces import Spaces

log = logging.getLogger(__name__)

ANSWER_TIMEOUT = 10.0


class SandboxError(Exception):
    """Something Discord itself would refuse (a hidden command, a missing option): shown as is."""


@dataclass
class Asked:
    """One interaction the page sent: who sent it, what it was, and the loopback's handle."""

    ix: InjectedInteraction
    user_id: int
    label: str


@dataclass
class Sandbox:
    """Everything one sandbox runs, in one event loop; build it with `open_sandbox()`."""

    loopback: LoopbackDiscord
    fake_x: FakeX
    bot: Lightstick
    spaces: Spaces
    demo: DemoServer
    logs: LogBuffer
    asked: dict[int, Asked] = field(default_factory=dict)
    _space_serial: int = 0

    # -- what the page shows -------------------------------------------------------------
    def feed(self, channel_id: int, viewer_id: int) -> list[dict[str, Any]]:
        """Return the channel's messages plus the viewer's own ephemeral ones, oldest first.

        Each is Discord's message object with three sandbox keys: `pinged` (who it actually
        pinged), `used` (the command or button that caused it) and `ephemeral`.
        """
        store = self.loopback.messages
        shown = {int(m["id"]): m for m in store.in_channel(channel_id)}
        for asked in self.asked.values():
            ix = asked.ix
            if ix.channel_id != channel_id or asked.user_id != viewer_id:
                continue
            for msg in (ix.original, *ix.followups):
                if msg is not None and int(msg.get("flags") or 0) & EPHEMERAL:
                    shown[int(msg["id"])] = msg
        out = []
        for msg_id in sorted(shown):
            msg = shown[msg_id]
            pings = store.pings.get(msg_id)
            meta = msg.get("interaction_metadata") or {}
            cause = self.asked.get(int(meta.get("id") or 0))
            out.append(
                {
                    **msg,
                    "ephemeral": bool(int(msg.get("flags") or 0) & EPHEMERAL),
                    "pinged": {
                        "users": [str(u) for u in sorted(pings.users)] if pings else [],
                        "roles": [str(r) for r in sorted(pings.roles)] if pings else [],
                        "everyone": bool(pings and pings.everyone),
                    },
                    "used": (
                        {"user_id": str(cause.user_id), "label": cause.label} if cause else None
                    ),
                }
            )
        return out

    def commands(self, user_id: int) -> list[dict[str, Any]]:
        """Return the synced slash commands this person may see, one entry per leaf command.

        Shape: {"path": "spaces follow", "description": str, "options": [Discord option objects]}.
        """
        guild = self.demo.guild
        perms = guild.base_permissions(user_id)
        synced = [*self.loopback.global_commands, *self.loopback.guild_commands.get(guild.id, [])]
        out: list[dict[str, Any]] = []
        for cmd in synced:
            if int(cmd.get("type", 1)) != 1:
                continue
            required = cmd.get("default_member_permissions")
            if required is not None and not _may_see(int(required), perms):
                continue
            out.extend(_leaves(cmd["name"], cmd.get("description", ""), cmd.get("options") or []))
        return sorted(out, key=lambda c: str(c["path"]))

    # -- what the person does ------------------------------------------------------------
    async def slash(
        self, user_id: int, channel_id: int, command: str, options: dict[str, Any]
    ) -> dict[str, Any]:
        """Run a slash command as this person; return {"interaction": id, "modal": ...}."""
        ix = await self._inject(
            self.loopback.slash(
                self.demo.guild, command, options, user=user_id, channel=channel_id
            ),
            user_id,
            f"/{command}",
        )
        return await self._answer(ix)

    async def autocomplete(
        self,
        user_id: int,
        channel_id: int,
        command: str,
        options: dict[str, Any],
        focused: str,
    ) -> list[dict[str, Any]]:
        """Return the bot's own autocomplete choices for the focused option."""
        try:
            return await self.loopback.autocomplete(
                self.demo.guild, command, options, focused=focused, user=user_id, channel=channel_id
            )
        except AssertionError as exc:
            raise SandboxError(str(exc)) from None

    async def click(
        self, user_id: int, message_id: int, custom_id: str, values: list[str] | None
    ) -> dict[str, Any]:
        """Click a button or choose select-menu values as this person."""
        ix = await self._inject(
            self.loopback.click(message_id, custom_id, user=user_id, values=values),
            user_id,
            "a button" if values is None else "a menu",
        )
        return await self._answer(ix)

    async def submit_modal(
        self, user_id: int, interaction_id: int, values: dict[str, str]
    ) -> dict[str, Any]:
        """Submit the modal an earlier interaction opened, with text values by custom_id."""
        opener = self.asked.get(interaction_id)
        if opener is None or opener.ix.modal is None:
            raise SandboxError("That form is no longer open.")
        ix = await self._inject(
            self.loopback.submit_modal(opener.ix, values, user=user_id), user_id, "a form"
        )
        return await self._answer(ix)

    async def _inject(self, injecting: Any, user_id: int, label: str) -> InjectedInteraction:
        try:
            ix: InjectedInteraction = await injecting
        except (AssertionError, KeyError) as exc:
            raise SandboxError(str(exc).strip("'\"")) from None
        self.asked[ix.id] = Asked(ix, user_id, label)
        return ix

    async def _answer(self, ix: InjectedInteraction) -> dict[str, Any]:
        try:
            await ix.response(ANSWER_TIMEOUT)
        except AssertionError:
            raise SandboxError("Lightstick did not answer in time (see the log).") from None
        return {"interaction": str(ix.id), "modal": ix.modal}

    # -- the outside world (fake X) ------------------------------------------------------
    async def followed_handles(self) -> list[str]:
        """Return the X handles the demo server follows (as the bot stored them)."""
        follows = await self.bot.store.guild(self.demo.guild.id).repo(SpacesRepo).list_follows()
        return sorted({f.handle for f in follows}, key=str.lower)

    def x_state(self, handles: list[str]) -> list[dict[str, Any]]:
        """Return each handle's newest Space on the fake X (None when it has none)."""
        ids = {u["username"].lower(): uid for uid, u in self.fake_x.users.items()}
        out = []
        for handle in handles:
            creator = ids.get(handle.lower())
            spaces = [s for s in self.fake_x.spaces.values() if s["creator_id"] == creator]
            out.append({"handle": handle, "space": spaces[-1] if spaces else None})
        return out

    async def space_action(
        self, handle: str, action: str, *, listeners: int = 0, title: str = ""
    ) -> None:
        """Make `handle` schedule, go live with (or update the listener count of), or end a
        Space on the fake X; then poll and deliver at once, as the next poll would.

        Raises SandboxError for an action that makes no sense in the Space's current state.
        """
        current: dict[str, Any] | None = self.x_state([handle])[0]["space"]
        state = current["state"] if current else None
        now = datetime.now(UTC)
        title = title or f"{handle} talk"
        if action == "end":
            if state not in ("scheduled", "live"):
                raise SandboxError(f"@{handle} has no Space to end.")
            assert current is not None  # noqa: S101 - state says so
            self.fake_x.end_space(current["id"])
        elif action == "schedule":
            if state == "live":
                raise SandboxError(f"@{handle} is live already: end that Space first.")
            space_id = current["id"] if current and state == "scheduled" else self._new_space_id()
            self.fake_x.set_space(
                handle, space_id, "scheduled", title=title, scheduled_start=now + timedelta(hours=1)
            )
        elif action == "live":
            fields: dict[str, Any] = {"title": title, "participant_count": max(0, listeners)}
            if current and state == "live":
                fields["started_at"] = current["started_at"]  # a new listener count only
            elif current and state == "scheduled":
                fields["scheduled_start"] = current["scheduled_start"]
            space_id = current["id"] if current and state != "ended" else self._new_space_id()
            self.fake_x.set_space(handle, space_id, "live", **fields)
        else:
            raise SandboxError(f"unknown action {action!r}")
        log.info("sandbox: @%s %s on the fake X; polling now", handle, action)
        await cycle(self.spaces)

    def _new_space_id(self) -> str:
        self._space_serial += 1
        return f"1Sandbox{self._space_serial:05d}"


def _may_see(required: int, perms: int) -> bool:
    """Apply Discord's rule for default_member_permissions ("0": administrators only)."""
    if perms & ADMINISTRATOR:
        return True
    return required != 0 and required & perms == required


def _leaves(path: str, description: str, options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    subs = [o for o in options if int(o["type"]) in (1, 2)]
    if not subs:
        return [{"path": path, "description": description, "options": options}]
    out: list[dict[str, Any]] = []
    for sub in subs:
        out.extend(
            _leaves(f"{path} {sub['name']}", sub.get("description", ""), sub.get("options") or [])
        )
    return out


@contextlib.asynccontextmanager
async def open_sandbox(logs: LogBuffer | None = None) -> AsyncIterator[Sandbox]:
    """Start the loopback Discord, fake X and Lightstick (own temp database); stop them on exit."""
    buffer = logs or LogBuffer()
    with tempfile.TemporaryDirectory(prefix="lightstick-sandbox-") as tmp:
        async with (
            LoopbackDiscord() as loopback,
            FakeX() as fake,
            running_bot(loopback, Path(tmp) / "sandbox.db", fake) as (bot, cog),
        ):
            catalog = bot.catalog
            handles = [
                h.handle for entry in (catalog.entries if catalog else ()) for h in entry.x_handles
            ]
            seed_x_accounts(fake, handles)
            demo = build_demo_server(loopback)
            box = Sandbox(loopback, fake, bot, cog, demo, buffer)
            if cog.poller is not None:
                cog.poller.grace = timedelta(0)  # "End" in the panel ends it now, not after X's lag
            await _wait_for_guild(bot, demo.guild.id)
            await _set_time_zones(box)
            log.info("sandbox ready: %d X accounts on the fake X", len(handles))
            yield box


async def _wait_for_guild(bot: Lightstick, guild_id: int) -> None:
    if bot.get_guild(guild_id) is None:
        await bot.wait_for("guild_join", check=lambda g: g.id == guild_id, timeout=10)


async def _set_time_zones(box: Sandbox) -> None:
    """Each person sets their zone with /timezone set, as a member would (ephemeral, unseen)."""
    for person in box.demo.people:
        ix = await box.loopback.slash(
            box.demo.guild,
            "timezone set",
            {"zone": person.timezone},
            user=person.member,
            channel=box.demo.guild.general,
        )
        await ix.settled()
