"""Spaces orchestration, no Discord: the poller (X -> outbox), the fan-out (outbox -> sends)."""

from bot.services.spaces.fanout import (
    Announcer,
    DeliveryBroken,
    DeliveryGone,
    EventReport,
    Sender,
)
from bot.services.spaces.planning import plan_deliveries, plan_end_edits
from bot.services.spaces.poller import PollReport, SpacesPoller

__all__ = [
    "Announcer",
    "DeliveryBroken",
    "DeliveryGone",
    "EventReport",
    "PollReport",
    "Sender",
    "SpacesPoller",
    "plan_deliveries",
    "plan_end_edits",
]
