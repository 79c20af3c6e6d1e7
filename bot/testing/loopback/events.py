"""Guild scheduled events: create/list/get/edit/delete with MANAGE_EVENTS and the 100 cap."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.testing.loopback.state import (
    MANAGE_EVENTS,
    DiscordError,
    body_of,
    form_error,
    snowflake,
)

if TYPE_CHECKING:
    from bot.testing.loopback.server import LoopbackDiscord
    from bot.testing.loopback.world import GuildFixture

MAX_ACTIVE_EVENTS = 100
SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
_EDITABLE = (
    "name",
    "description",
    "scheduled_start_time",
    "scheduled_end_time",
    "privacy_level",
    "entity_type",
    "entity_metadata",
    "channel_id",
    "status",
    "image",
    "recurrence_rule",
)


def register(app: web.Application, server: LoopbackDiscord, prefix: str) -> None:
    """Add the scheduled-event routes."""
    h = ScheduledEvents(server)
    base = f"{prefix}/guilds/{{guild_id}}/scheduled-events"
    app.router.add_route("POST", base, h.create)
    app.router.add_route("GET", base, h.list)
    app.router.add_route("GET", f"{base}/{{event_id}}", h.get)
    app.router.add_route("PATCH", f"{base}/{{event_id}}", h.edit)
    app.router.add_route("DELETE", f"{base}/{{event_id}}", h.delete)


def _parse_time(path: str, value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise form_error(path, "DATE_TIME_TYPE_PARSE", "Could not parse date") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


class ScheduledEvents:
    """Handlers for /guilds/{id}/scheduled-events."""

    def __init__(self, server: LoopbackDiscord) -> None:
        self.server = server

    def _guild(self, request: web.Request, *, manage: bool) -> GuildFixture:
        guild = self.server.guilds.get(int(request.match_info["guild_id"]))
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        if manage and not guild.base_permissions(guild.bot) & MANAGE_EVENTS:
            raise DiscordError(403, 50013, "Missing Permissions")
        return guild

    def _event(self, guild: GuildFixture, request: web.Request) -> dict[str, Any]:
        event = guild.scheduled_events.get(int(request.match_info["event_id"]))
        if event is None:
            raise DiscordError(404, 10070, "Unknown Guild Scheduled Event")
        return event

    def _validate(self, event: dict[str, Any], guild: GuildFixture) -> None:
        name = event.get("name") or ""
        if not 1 <= len(name) <= 100:
            raise form_error("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        if len(event.get("description") or "") > 1000:
            raise form_error(
                "description", "BASE_TYPE_MAX_LENGTH", "Must be 1000 or fewer in length."
            )
        if event.get("privacy_level") != 2:
            raise form_error("privacy_level", "BASE_TYPE_CHOICES", "Value must be one of {2}.")
        start = _parse_time("scheduled_start_time", event.get("scheduled_start_time"))
        entity_type = event.get("entity_type")
        if entity_type == 3:
            location = (event.get("entity_metadata") or {}).get("location") or ""
            if not 1 <= len(location) <= 100:
                raise form_error(
                    "entity_metadata.location", "BASE_TYPE_REQUIRED", "This field is required"
                )
            if not event.get("scheduled_end_time"):
                raise form_error(
                    "scheduled_end_time", "BASE_TYPE_REQUIRED", "This field is required"
                )
            if event.get("channel_id"):
                raise form_error(
                    "channel_id", "GUILD_SCHEDULED_EVENT_CHANNEL_INVALID", "Must be null"
                )
        elif entity_type in (1, 2):
            if int(event.get("channel_id") or 0) not in guild.channels:
                raise form_error("channel_id", "BASE_TYPE_REQUIRED", "This field is required")
        else:
            raise form_error("entity_type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
        if event.get("scheduled_end_time"):
            end = _parse_time("scheduled_end_time", event["scheduled_end_time"])
            if end <= start:
                raise form_error(
                    "scheduled_end_time",
                    "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
                    "End before start",
                )

    async def create(self, request: web.Request) -> Any:
        """POST: create an event (MANAGE_EVENTS; at most 100 scheduled or active)."""
        guild = self._guild(request, manage=True)
        body = body_of(request) or {}
        open_events = [
            e for e in guild.scheduled_events.values() if e["status"] in (SCHEDULED, ACTIVE)
        ]
        if len(open_events) >= MAX_ACTIVE_EVENTS:
            # A legitimate production outcome the bot must handle, so not a violation.
            raise DiscordError(
                400, 30038, "Maximum number of uncompleted guild scheduled events reached (100)"
            )
        start = _parse_time("scheduled_start_time", body.get("scheduled_start_time"))
        if start <= datetime.now(UTC):
            raise form_error(
                "scheduled_start_time",
                "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
                "Cannot schedule event in the past.",
            )
        self._validate(body, guild)
        event_id = snowflake()
        event: dict[str, Any] = {
            "id": str(event_id),
            "guild_id": str(guild.id),
            "channel_id": str(body["channel_id"]) if body.get("channel_id") else None,
            "creator_id": str(self.server.bot_user.id),
            "creator": self.server.bot_user.payload(),
            "name": body["name"],
            "description": body.get("description"),
            "scheduled_start_time": body["scheduled_start_time"],
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": body["privacy_level"],
            "status": SCHEDULED,
            "entity_type": body["entity_type"],
            "entity_id": None,
            "entity_metadata": body.get("entity_metadata"),
            "user_count": 0,
            "image": body.get("image"),
            "recurrence_rule": body.get("recurrence_rule"),
        }
        guild.scheduled_events[event_id] = event
        self.server.dispatch("GUILD_SCHEDULED_EVENT_CREATE", event)
        return event

    async def list(self, request: web.Request) -> Any:
        """GET: list the guild's events."""
        guild = self._guild(request, manage=False)
        return list(guild.scheduled_events.values())

    async def get(self, request: web.Request) -> Any:
        """GET one event."""
        guild = self._guild(request, manage=False)
        return self._event(guild, request)

    async def edit(self, request: web.Request) -> Any:
        """PATCH: edit fields or move the status (completed/canceled events are frozen)."""
        guild = self._guild(request, manage=True)
        event = self._event(guild, request)
        if event["status"] in (COMPLETED, CANCELED):
            raise DiscordError(400, 180000, "Cannot update a finished event")
        body = body_of(request) or {}
        merged = {**event, **{k: body[k] for k in _EDITABLE if k in body}}
        if merged["entity_type"] == 3 and "channel_id" not in body:
            merged["channel_id"] = None
        self._validate(merged, guild)
        status = merged["status"]
        allowed = {SCHEDULED: {SCHEDULED, ACTIVE, CANCELED}, ACTIVE: {ACTIVE, COMPLETED}}
        if status not in allowed.get(event["status"], set()):
            raise form_error(
                "status", "GUILD_SCHEDULED_EVENT_INVALID_STATUS", "Invalid status transition"
            )
        event.update(merged)
        self.server.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", event)
        return event

    async def delete(self, request: web.Request) -> Any:
        """DELETE an event."""
        guild = self._guild(request, manage=True)
        event = self._event(guild, request)
        guild.scheduled_events.pop(int(event["id"]))
        self.server.dispatch("GUILD_SCHEDULED_EVENT_DELETE", event)
        return 204, None
