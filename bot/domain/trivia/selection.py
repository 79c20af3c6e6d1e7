"""No-repeat selection: a server sees every question of a pool before any comes back."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pick:
    """Chosen ids, and how the caller must update the server's seen set.

    When `reset` is true the pool's cycle is complete: forget the pool's seen ids, then record
    `mark_seen` (the ids drawn from the fresh cycle). Otherwise just record `mark_seen`.
    """

    ids: tuple[str, ...]
    reset: bool
    mark_seen: tuple[str, ...]


def choose_unseen(
    pool: Sequence[str], seen: Collection[str], count: int, rng: random.Random
) -> Pick:
    """Choose `count` ids from `pool`, unseen first, starting a new cycle once the pool runs dry."""
    pool = list(dict.fromkeys(pool))
    count = max(0, min(count, len(pool)))
    seen_set = set(seen)
    unseen = [q for q in pool if q not in seen_set]
    if len(unseen) >= count:
        chosen = rng.sample(unseen, count)
        return Pick(tuple(chosen), False, tuple(chosen))
    # The rest of this cycle, then a fresh cycle that excludes what this game already holds.
    head = rng.sample(unseen, len(unseen))
    fresh = [q for q in pool if q not in set(head)]
    tail = rng.sample(fresh, count - len(head))
    return Pick(tuple(head + tail), True, tuple(tail))
