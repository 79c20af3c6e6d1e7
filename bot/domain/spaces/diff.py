"""Detect announceable Space transitions between what we tracked and what X returned."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.spaces.model import (
    DiffResult,
    FetchedSpace,
    TrackedSpace,
    Transition,
    is_cancelled,
    normalise_state,
)

# X's "Spaces by creator" lookup only returns live and scheduled Spaces, so an ended Space
# usually just vanishes; one missed response must not end a live Space, hence the grace.
DEFAULT_MISSING_GRACE = timedelta(minutes=3)


def _transition(space: TrackedSpace) -> Transition:
    return Transition(
        space_id=space.space_id,
        creator_id=space.creator_id,
        kind=space.state,
        title=space.title,
        scheduled_start=space.scheduled_start,
        started_at=space.started_at,
        ended_at=space.ended_at,
        participant_count=space.participant_count,
        peak_listeners=space.peak_listeners,
        was_live=space.was_live,
    )


def _merge(prev: TrackedSpace | None, fetched: FetchedSpace, creator_id: str) -> TrackedSpace:
    state = normalise_state(fetched.state)
    count = fetched.participant_count
    if count is None and prev is not None:
        count = prev.participant_count
    peak = max(prev.peak_listeners if prev else 0, count or 0)
    was_live = (prev.was_live if prev else False) or state == "live"
    if state == "ended" and fetched.started_at is not None:
        was_live = True
    return TrackedSpace(
        space_id=fetched.id,
        creator_id=creator_id,
        state=state,
        title=fetched.title if fetched.title is not None else (prev.title if prev else None),
        scheduled_start=fetched.scheduled_start or (prev.scheduled_start if prev else None),
        started_at=fetched.started_at or (prev.started_at if prev else None),
        ended_at=fetched.ended_at,
        participant_count=count,
        peak_listeners=peak,
        was_live=was_live,
        missing_since=None,
    )


def reconcile(
    previous: Mapping[str, TrackedSpace],
    fetched: Iterable[FetchedSpace],
    *,
    polled_creators: Collection[str],
    now: datetime,
    grace: timedelta = DEFAULT_MISSING_GRACE,
) -> DiffResult:
    """Compare tracked Spaces with a poll's results; return transitions and rows to store.

    Spaces may skip states: unseen to live announces live, scheduled to ended (never live) asks
    for the scheduled post to be closed (`cancelled` when X said "canceled"), and a tracked Space
    that is missing from the answer for creators that were polled successfully is ended once it
    has been missing for `grace`; one reported live after that is restored (a `restored` live
    transition). A scheduled Space whose start or title changed yields a `rescheduled`
    scheduled transition (an edit). `fetched` may mix the creators' answer with Spaces looked
    up by id.
    """
    transitions: list[Transition] = []
    upserts: list[TrackedSpace] = []
    seen: set[str] = set()
    for space in fetched:
        prev = previous.get(space.id)
        creator = space.creator_id or (prev.creator_id if prev else None)
        if creator is None or space.id in seen:
            continue
        seen.add(space.id)
        new = _merge(prev, space, creator)
        if prev is None:
            if new.state != "ended":
                transitions.append(_transition(new))
                upserts.append(new)
            continue
        if prev.state == "ended":
            if new.state == "live":
                # A Space id never restarts: live again means the end was wrong. Restore it.
                new = replace(new, was_live=True, ended_at=None)
                transitions.append(replace(_transition(new), restored=True))
                upserts.append(new)
            continue
        if new.state == "ended":
            new = replace(new, ended_at=new.ended_at or now)
            cancelled = is_cancelled(space.state) and not new.was_live
            transitions.append(replace(_transition(new), cancelled=cancelled))
        elif new.state == "live" and prev.state == "scheduled":
            transitions.append(_transition(new))
        elif new.state == "scheduled" and prev.state == "live":
            # A Space never goes back to scheduled; keep what we announced.
            new = replace(new, state="live", was_live=True)
        elif new.state == "scheduled" and (
            new.scheduled_start != prev.scheduled_start or new.title != prev.title
        ):
            # Moved or retitled: the scheduled posts are edited to say so.
            transitions.append(replace(_transition(new), rescheduled=True))
        if new != prev:
            upserts.append(new)
    polled = set(polled_creators)
    for prev in previous.values():
        if prev.space_id in seen or prev.state == "ended" or prev.creator_id not in polled:
            continue
        missing_since = prev.missing_since or now
        if now - missing_since >= grace:
            ended = replace(prev, state="ended", ended_at=missing_since, missing_since=None)
            transitions.append(_transition(ended))
            upserts.append(ended)
        elif prev.missing_since is None:
            upserts.append(replace(prev, missing_since=missing_since))
    return DiffResult(transitions=transitions, upserts=upserts)


def diff(
    previous: Mapping[str, TrackedSpace],
    fetched: Iterable[FetchedSpace],
    *,
    polled_creators: Collection[str],
    now: datetime,
    grace: timedelta = DEFAULT_MISSING_GRACE,
) -> list[Transition]:
    """Return only the announceable transitions of `reconcile`."""
    return reconcile(
        previous, fetched, polled_creators=polled_creators, now=now, grace=grace
    ).transitions
