"""Message objects as Discord stores them: creation, edits, attachments and who got pinged."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from bot.testing.loopback.limits import compute_pings, validate_message
from bot.testing.loopback.state import (
    EMBED_LINKS,
    MENTION_EVERYONE,
    DiscordError,
    Pings,
    RecordedFile,
    form_error,
    iso,
    snowflake,
)

if TYPE_CHECKING:
    from bot.testing.loopback.server import LoopbackDiscord
    from bot.testing.loopback.world import GuildFixture

EDITABLE = ("content", "embeds", "components", "flags", "allowed_mentions", "poll")
SUPPRESS_EMBEDS, EPHEMERAL, LOADING, SUPPRESS_NOTIFICATIONS = 1 << 2, 1 << 6, 1 << 7, 1 << 12
IS_COMPONENTS_V2 = 1 << 15
CHANNEL_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_COMPONENTS_V2
INTERACTION_FLAGS = CHANNEL_FLAGS | EPHEMERAL


class MessageStore:
    """Every message the loopback holds, with pings and per-channel order."""

    def __init__(self, server: LoopbackDiscord) -> None:
        self.server = server
        self.by_id: dict[int, dict[str, Any]] = {}
        self.channel_order: dict[int, list[int]] = {}
        self.deleted: set[int] = set()
        self.pings: dict[int, Pings] = {}
        self.history: dict[int, list[dict[str, Any]]] = {}
        self.cdn: dict[int, tuple[str, bytes, str]] = {}

    # -- attachments -------------------------------------------------------------------
    def store_file(self, filename: str, data: bytes, content_type: str) -> dict[str, Any]:
        """Keep a file on the loopback CDN and return its attachment object."""
        att_id = snowflake()
        self.cdn[att_id] = (filename, data, content_type)
        url = f"{self.server.base_url}/attachments/{att_id}/{filename}"
        return {
            "id": str(att_id),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }

    def _attachments(
        self, body: dict[str, Any], files: list[RecordedFile], existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_field = {f.field: f for f in files}
        keep = {a["id"]: a for a in existing}
        declared = body.get("attachments")
        out: list[dict[str, Any]] = []
        used: set[str] = set()
        for item in declared if declared is not None else []:
            ident = str(item.get("id"))
            if ident in keep:
                out.append(keep[ident])
                continue
            upload = by_field.get(f"files[{ident}]")
            if upload is None:
                raise form_error(
                    f"attachments.{ident}", "ATTACHMENT_NOT_FOUND", "Unknown attachment"
                )
            used.add(upload.field)
            att = self.store_file(
                item.get("filename") or upload.filename, upload.data, upload.content_type
            )
            if item.get("description"):
                att["description"] = item["description"]
            out.append(att)
        if declared is None:
            out.extend(existing)
        for upload in files:
            if upload.field not in used and upload.field.startswith("file"):
                out.append(self.store_file(upload.filename, upload.data, upload.content_type))
        return out

    # -- create / edit -------------------------------------------------------------------
    def _ping_context(
        self, guild: GuildFixture | None, channel_id: int
    ) -> tuple[set[int], dict[int, bool], bool]:
        if guild is None:
            return set(), {}, False
        bot_perms = guild.bot_permissions_in(channel_id) if channel_id in guild.channels else 0
        can_everyone = bool(bot_perms & MENTION_EVERYONE)
        roles = {
            rid: (role.mentionable or can_everyone)
            for rid, role in guild.roles.items()
            if rid != guild.id
        }
        return set(guild.members), roles, can_everyone

    def _finish(
        self,
        msg: dict[str, Any],
        guild: GuildFixture | None,
        channel_id: int,
        *,
        notify: bool = True,
    ) -> None:
        members, roles, can_everyone = self._ping_context(guild, channel_id)
        pings = compute_pings(
            msg.get("content") or "",
            msg.pop("allowed_mentions", None),
            member_ids=members,
            roles=roles,
            can_mention_everyone=can_everyone,
        )
        if notify:
            # Edits never notify anyone, except the first real content of a deferred response.
            self.pings[int(msg["id"])] = pings
        users = self.server.users
        msg["mentions"] = [users[u].payload() for u in sorted(pings.users) if u in users]
        msg["mention_roles"] = [str(r) for r in sorted(pings.roles)]
        msg["mention_everyone"] = pings.everyone

    def create(
        self,
        channel_id: int,
        body: dict[str, Any],
        files: list[RecordedFile],
        *,
        guild: GuildFixture | None,
        allowed_flags: int = CHANNEL_FLAGS,
        message_type: int = 0,
        webhook_id: int | None = None,
        extra: dict[str, Any] | None = None,
        store_in_channel: bool = True,
        validate: bool = True,
    ) -> dict[str, Any]:
        """Validate and store a new message; raises DiscordError like Discord would."""
        flags = int(body.get("flags") or 0)
        if flags & ~allowed_flags:
            raise form_error("flags", "MESSAGE_INVALID_FLAGS", f"Invalid flags {flags}")
        if validate:
            validate_message(body, n_files=len(files))
        in_guild = guild is not None and channel_id in guild.channels
        perms = guild.bot_permissions_in(channel_id) if guild is not None and in_guild else 0
        if in_guild and webhook_id is None and not perms & EMBED_LINKS:
            # Discord silently drops embeds the bot may not post.
            body = {**body, "embeds": []}
        msg_id = snowflake()
        msg: dict[str, Any] = {
            "id": str(msg_id),
            "channel_id": str(channel_id),
            "author": self.server.bot_user.payload(),
            "content": body.get("content") or "",
            "timestamp": iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "embeds": copy.deepcopy(body.get("embeds") or []),
            "components": copy.deepcopy(body.get("components") or []),
            "attachments": self._attachments(body, files, []),
            "pinned": False,
            "type": message_type,
            "flags": flags,
            "allowed_mentions": body.get("allowed_mentions"),
        }
        if guild is not None:
            msg["guild_id"] = str(guild.id)
        if webhook_id is not None:
            msg["webhook_id"] = str(webhook_id)
            msg["application_id"] = str(webhook_id)
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        if body.get("message_reference"):
            msg["message_reference"] = body["message_reference"]
        msg.update(extra or {})
        self._finish(msg, guild, channel_id)
        self.by_id[msg_id] = msg
        self.history[msg_id] = [copy.deepcopy(msg)]
        if store_in_channel:
            self.channel_order.setdefault(channel_id, []).append(msg_id)
        return msg

    def edit(
        self,
        msg: dict[str, Any],
        body: dict[str, Any],
        files: list[RecordedFile],
        *,
        guild: GuildFixture | None,
        allowed_flags: int = CHANNEL_FLAGS,
    ) -> dict[str, Any]:
        """Apply a PATCH the way Discord merges it, validating the resulting message."""
        was_loading = bool(int(msg.get("flags") or 0) & LOADING)
        merged = {k: msg.get(k) for k in EDITABLE}
        merged["attachments"] = msg.get("attachments") or []
        for key in (*EDITABLE, "attachments"):
            if key in body:
                merged[key] = body[key]
        flags = int(merged.get("flags") or 0) | (int(msg.get("flags") or 0) & (EPHEMERAL | LOADING))
        flags &= ~LOADING
        if (int(body.get("flags") or 0)) & ~allowed_flags:
            raise form_error("flags", "MESSAGE_INVALID_FLAGS", "Invalid flags")
        merged["flags"] = flags
        new_attachments = self._attachments(
            {"attachments": body["attachments"]} if "attachments" in body else {},
            files,
            msg.get("attachments") or [],
        )
        validate_message({**merged, "attachments": new_attachments}, n_files=0)
        msg.update(
            content=merged.get("content") or "",
            embeds=copy.deepcopy(merged.get("embeds") or []),
            components=copy.deepcopy(merged.get("components") or []),
            attachments=new_attachments,
            flags=flags,
            edited_timestamp=iso(),
        )
        msg["allowed_mentions"] = body.get("allowed_mentions")
        self._finish(msg, guild, int(msg["channel_id"]), notify=was_loading)
        self.history[int(msg["id"])].append(copy.deepcopy(msg))
        return msg

    def delete(self, msg_id: int) -> None:
        """Mark a message deleted (it disappears from channel listings)."""
        self.deleted.add(msg_id)

    def get(self, msg_id: int) -> dict[str, Any]:
        """Return a live message or raise 404 Unknown Message."""
        msg = self.by_id.get(msg_id)
        if msg is None or msg_id in self.deleted:
            raise DiscordError(404, 10008, "Unknown Message")
        return msg

    def in_channel(self, channel_id: int) -> list[dict[str, Any]]:
        """Return the channel's live messages, oldest first."""
        return [
            self.by_id[m] for m in self.channel_order.get(channel_id, []) if m not in self.deleted
        ]
