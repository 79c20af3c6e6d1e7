"""Interaction callbacks and the interaction-token webhook (original response and followups)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.testing.loopback.injected import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    PING,
    InjectedInteraction,
)
from bot.testing.loopback.messages import EPHEMERAL, INTERACTION_FLAGS, LOADING
from bot.testing.loopback.state import DiscordError, body_of, files_of, form_error, violation_error

if TYPE_CHECKING:
    from bot.testing.loopback.server import LoopbackDiscord

ACK_DEADLINE = 3.0
TOKEN_LIFETIME = 15 * 60.0
_ALLOWED_CALLBACKS = {
    PING: {1},
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


def register(app: web.Application, server: LoopbackDiscord, prefix: str) -> None:
    """Add /interactions and /webhooks routes."""
    h = Webhooks(server)
    add = app.router.add_route
    add("POST", f"{prefix}/interactions/{{iid}}/{{token}}/callback", h.callback)
    add("POST", f"{prefix}/webhooks/{{app_id}}/{{token}}", h.followup)
    for method, fn in (("GET", h.get), ("PATCH", h.edit), ("DELETE", h.delete)):
        add(method, f"{prefix}/webhooks/{{app_id}}/{{token}}/messages/{{mid}}", fn)


def _validate_choices(data: dict[str, Any]) -> None:
    choices = data.get("choices")
    if not isinstance(choices, list):
        raise form_error(
            "data.choices", "BASE_TYPE_REQUIRED", "This field is required", kind="autocomplete"
        )
    if len(choices) > 25:
        raise form_error(
            "data.choices",
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.",
            kind="autocomplete",
        )
    for i, choice in enumerate(choices):
        name = str(choice.get("name", ""))
        if not 1 <= len(name) <= 100:
            raise form_error(
                f"data.choices.{i}.name",
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
                kind="autocomplete",
            )
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            raise form_error(
                f"data.choices.{i}.value",
                "BASE_TYPE_MAX_LENGTH",
                "Must be 100 or fewer in length.",
                kind="autocomplete",
            )


def _validate_modal(data: dict[str, Any]) -> None:
    if not 1 <= len(str(data.get("custom_id") or "")) <= 100:
        raise form_error(
            "data.custom_id",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
            kind="modal",
        )
    if not 1 <= len(str(data.get("title") or "")) <= 45:
        raise form_error(
            "data.title",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 45 in length.",
            kind="modal",
        )
    if not 1 <= len(data.get("components") or []) <= 5:
        raise form_error(
            "data.components",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 5 in length.",
            kind="modal",
        )


class Webhooks:
    """Handlers that act on an InjectedInteraction."""

    def __init__(self, server: LoopbackDiscord) -> None:
        self.server = server

    def _announce(self, event: str, ix: InjectedInteraction, msg: dict[str, Any]) -> None:
        if int(msg.get("flags") or 0) & EPHEMERAL:
            return
        data = dict(msg)
        if ix.guild is not None:
            data["member"] = ix.guild.bot.payload(with_user=False)
        self.server.dispatch(event, data)

    def _metadata(self, ix: InjectedInteraction) -> dict[str, Any]:
        user = ix.member.user if ix.member else self.server.bot_user
        return {
            "interaction_metadata": {
                "id": str(ix.id),
                "type": ix.type,
                "user": user.payload(),
                "authorizing_integration_owners": ix.payload.get(
                    "authorizing_integration_owners", {}
                ),
            }
        }

    # -- POST /interactions/{id}/{token}/callback ----------------------------------------
    async def callback(self, request: web.Request) -> Any:
        """Acknowledge an interaction (3 s deadline, once only)."""
        ix = self.server.interactions.get(
            int(request.match_info["iid"]) if request.match_info["iid"].isdigit() else 0
        )
        if ix is None or ix.token != request.match_info["token"]:
            raise violation_error(404, 10062, "Unknown interaction", "unknown_interaction")
        try:
            return self._acknowledge(ix, request)
        except DiscordError as err:
            ix._reject(err)
            raise

    def _acknowledge(self, ix: InjectedInteraction, request: web.Request) -> Any:
        if ix.callback is not None:
            raise violation_error(
                400, 40060, "Interaction has already been acknowledged.", "double_ack"
            )
        elapsed = self.server.clock.now() - ix.created_at
        if elapsed > ACK_DEADLINE:
            raise DiscordError(
                404,
                10062,
                "Unknown interaction",
                violation=f"ack_deadline: Unknown interaction (answered after {elapsed:.2f}s > 3s)",
            )
        body = body_of(request) or {}
        cb_type = int(body.get("type") or 0)
        data = body.get("data") or {}
        if cb_type not in _ALLOWED_CALLBACKS.get(ix.type, set()):
            raise form_error(
                "type",
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Callback type {cb_type} is invalid for interaction type {ix.type}",
                kind="bad_callback_type",
            )
        if cb_type in (6, 7) and ix.source_message_id is None:
            raise form_error(
                "type",
                "INTERACTION_RESPONSE_TYPE_INVALID",
                "No message to update",
                kind="bad_callback_type",
            )
        store = self.server.messages
        resource: dict[str, Any] = {"type": cb_type}
        files = files_of(request)
        if cb_type == 4:
            msg = store.create(
                ix.channel_id, data, files, guild=ix.guild, allowed_flags=INTERACTION_FLAGS,
                message_type=20 if ix.type == APPLICATION_COMMAND else 0,
                webhook_id=self.server.application_id, extra=self._metadata(ix),
                store_in_channel=not int(data.get("flags") or 0) & EPHEMERAL,
            )  # fmt: skip
            ix.original_id = int(msg["id"])
            resource["message"] = msg
            self._announce("MESSAGE_CREATE", ix, msg)
        elif cb_type == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            msg = store.create(
                ix.channel_id, {"content": "", "flags": flags}, [], guild=ix.guild,
                allowed_flags=INTERACTION_FLAGS | LOADING,
                message_type=20 if ix.type == APPLICATION_COMMAND else 0,
                webhook_id=self.server.application_id, extra=self._metadata(ix),
                store_in_channel=not flags & EPHEMERAL, validate=False,
            )  # fmt: skip
            ix.original_id = int(msg["id"])
            resource["message"] = msg
            self._announce("MESSAGE_CREATE", ix, msg)
        elif cb_type in (6, 7):
            ix.original_id = ix.source_message_id
            if cb_type == 7:
                source = store.get(ix.source_message_id or 0)
                msg = store.edit(
                    source, data, files, guild=ix.guild, allowed_flags=INTERACTION_FLAGS
                )
                resource["message"] = msg
                self._announce("MESSAGE_UPDATE", ix, msg)
        elif cb_type == 8:
            _validate_choices(data)
        elif cb_type == 9:
            _validate_modal(data)
        ix._record_callback(cb_type, data)
        original = ix.original
        interaction: dict[str, Any] = {"id": str(ix.id), "type": ix.type}
        if original is not None and cb_type in (4, 5, 7):
            interaction.update(
                response_message_id=original["id"],
                response_message_loading=cb_type == 5,
                response_message_ephemeral=bool(int(original.get("flags") or 0) & EPHEMERAL),
            )
        out: dict[str, Any] = {"interaction": interaction}
        if cb_type != 6:
            out["resource"] = resource
        return out

    # -- webhook endpoints --------------------------------------------------------------
    def _ix(self, request: web.Request) -> InjectedInteraction:
        ix = self.server.interactions_by_token.get(request.match_info["token"])
        if ix is None or request.match_info["app_id"] != str(self.server.application_id):
            raise violation_error(404, 10015, "Unknown Webhook", "unknown_webhook")
        age = self.server.clock.now() - ix.created_at
        if age > TOKEN_LIFETIME:
            raise DiscordError(
                401,
                50027,
                "Invalid Webhook Token",
                violation=f"token_expired: token used after {age:.0f}s",
            )
        return ix

    def _target(self, ix: InjectedInteraction, mid: str) -> dict[str, Any]:
        if mid == "@original":
            if ix.original_id is None:
                raise violation_error(404, 10008, "Unknown Message", "original_before_ack")
            return self.server.messages.get(ix.original_id)
        if not mid.isdigit() or (int(mid) not in ix.followup_ids and int(mid) != ix.original_id):
            raise violation_error(404, 10008, "Unknown Message", "unknown_followup")
        return self.server.messages.get(int(mid))

    async def followup(self, request: web.Request) -> Any:
        """POST /webhooks/{app}/{token}: a followup (the first one after a defer fills it in)."""
        ix = self._ix(request)
        if ix.callback is None:
            raise violation_error(404, 10015, "Unknown Webhook", "followup_before_ack")
        body = body_of(request) or {}
        store = self.server.messages
        if ix.loading and ix.original is not None:
            # Discord turns the first followup after a defer into the deferred message itself.
            fill = {k: v for k, v in body.items() if k != "flags"}
            msg = store.edit(
                ix.original,
                fill,
                files_of(request),
                guild=ix.guild,
                allowed_flags=INTERACTION_FLAGS,
            )
            self._announce("MESSAGE_UPDATE", ix, msg)
        else:
            flags = int(body.get("flags") or 0)
            msg = store.create(
                ix.channel_id,
                body,
                files_of(request),
                guild=ix.guild,
                allowed_flags=INTERACTION_FLAGS,
                webhook_id=self.server.application_id,
                extra=self._metadata(ix),
                store_in_channel=not flags & EPHEMERAL,
            )
            self._announce("MESSAGE_CREATE", ix, msg)
        ix.followup_ids.append(int(msg["id"]))
        ix._notify()
        if request.query.get("wait") in ("true", "1", "True"):
            return msg
        return 204, None

    async def get(self, request: web.Request) -> Any:
        """GET @original or a followup."""
        ix = self._ix(request)
        return self._target(ix, request.match_info["mid"])

    async def edit(self, request: web.Request) -> Any:
        """PATCH @original or a followup."""
        ix = self._ix(request)
        msg = self._target(ix, request.match_info["mid"])
        edited = self.server.messages.edit(
            msg,
            body_of(request) or {},
            files_of(request),
            guild=ix.guild,
            allowed_flags=INTERACTION_FLAGS,
        )
        self._announce("MESSAGE_UPDATE", ix, edited)
        ix._notify()
        return edited

    async def delete(self, request: web.Request) -> Any:
        """DELETE @original or a followup."""
        ix = self._ix(request)
        msg = self._target(ix, request.match_info["mid"])
        self.server.messages.delete(int(msg["id"]))
        if not int(msg.get("flags") or 0) & EPHEMERAL:
            data = {"id": msg["id"], "channel_id": msg["channel_id"]}
            if msg.get("guild_id"):
                data["guild_id"] = msg["guild_id"]
            self.server.dispatch("MESSAGE_DELETE", data)
        ix._notify()
        return 204, None
