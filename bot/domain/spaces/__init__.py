"""X Spaces announcements: pure domain (diffing, filters, templates, nonces); no Discord here."""

from bot.domain.spaces.diff import DEFAULT_MISSING_GRACE, diff, reconcile
from bot.domain.spaces.keys import handle_key, nonce_for, normalise_handle, plan_batches
from bot.domain.spaces.model import (
    SPACE_STATES,
    DiffResult,
    FetchedSpace,
    SpaceState,
    TrackedSpace,
    Transition,
    normalise_state,
)
from bot.domain.spaces.text import (
    DEFAULT_SCHEDULED_TEMPLATE,
    DEFAULT_TEMPLATE,
    format_duration,
    format_listeners,
    matches_keywords,
    neutralise_mentions,
    parse_keywords,
    render_template,
    space_url,
    validate_template,
)

__all__ = [
    "DEFAULT_MISSING_GRACE",
    "DEFAULT_SCHEDULED_TEMPLATE",
    "DEFAULT_TEMPLATE",
    "SPACE_STATES",
    "DiffResult",
    "FetchedSpace",
    "SpaceState",
    "TrackedSpace",
    "Transition",
    "diff",
    "format_duration",
    "format_listeners",
    "handle_key",
    "matches_keywords",
    "neutralise_mentions",
    "nonce_for",
    "normalise_handle",
    "normalise_state",
    "parse_keywords",
    "plan_batches",
    "reconcile",
    "render_template",
    "space_url",
    "validate_template",
]
