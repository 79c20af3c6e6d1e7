"""No-repeat selection: a server sees every question of a pool before any comes back, and a
question of the game just before (or of recent daily questions) is not asked again straight away.

The rule, with pool P, this cycle's seen set S and the recent ids R (the previous game):
1. draw from the unseen questions not in R;
2. if short, from the unseen questions in R (stays inside the cycle; only when P is small);
3. if still short, the cycle is complete: start a fresh one, drawing first from questions not in
   R and not already in this game, then from R.
When P holds at least two games' worth (|P| >= |R| + count), steps 2 and 3 never draw from R: the
unseen questions outside R number at least |P| - |R|, and a fresh cycle offers |P| - |R| - (the
ones taken in step 1) outside R. tests/domain/trivia/test_trivia_selection.py checks it over pool
sizes 1-300 and game sizes 1-20 with hypothesis.
"""

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


def _draw(candidates: list[str], count: int, recent: set[str], rng: random.Random) -> list[str]:
    """Draw up to `count` of `candidates`, those outside `recent` first, in random order."""
    fresh = [q for q in candidates if q not in recent]
    stale = [q for q in candidates if q in recent]
    first = rng.sample(fresh, min(count, len(fresh)))
    return first + rng.sample(stale, min(count - len(first), len(stale)))


def choose_unseen(
    pool: Sequence[str],
    seen: Collection[str],
    count: int,
    rng: random.Random,
    recent: Collection[str] = (),
) -> Pick:
    """Choose `count` ids from `pool`, unseen first and avoiding `recent`, starting a new cycle
    once the pool runs dry (the count is capped at the pool's size)."""
    pool = list(dict.fromkeys(pool))
    count = max(0, min(count, len(pool)))
    seen_set, recent_set = set(seen), set(recent)
    unseen = [q for q in pool if q not in seen_set]
    head = _draw(unseen, count, recent_set, rng)
    if len(head) == count:
        return Pick(tuple(head), False, tuple(head))
    taken = set(head)
    tail = _draw([q for q in pool if q not in taken], count - len(head), recent_set, rng)
    return Pick(tuple(head + tail), True, tuple(tail))
