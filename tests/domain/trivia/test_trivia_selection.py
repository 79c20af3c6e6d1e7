"""No-repeat selection: unseen first; a pool's cycle restarts only once it is exhausted."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.trivia.selection import choose_unseen

POOL = [f"q{i}" for i in range(10)]


def test_picks_only_unseen_while_some_remain() -> None:
    """With enough unseen questions, none of the seen ones is chosen."""
    pick = choose_unseen(POOL, {"q0", "q1", "q2"}, 5, random.Random(1))
    assert len(pick.ids) == 5
    assert not set(pick.ids) & {"q0", "q1", "q2"}
    assert not pick.reset
    assert set(pick.mark_seen) == set(pick.ids)


def test_exhausted_pool_finishes_cycle_then_starts_a_new_one() -> None:
    """When fewer unseen remain than asked, all of them come first and the cycle resets."""
    seen = set(POOL) - {"q8", "q9"}
    pick = choose_unseen(POOL, seen, 4, random.Random(2))
    assert set(pick.ids[:2]) == {"q8", "q9"}
    assert pick.reset
    assert len(set(pick.ids)) == 4
    assert set(pick.mark_seen) == set(pick.ids[2:])


@given(st.integers(1, 10), st.integers(0, 2**31))
def test_whole_pool_is_seen_before_any_repeat(per_game: int, seed: int) -> None:
    """Playing game after game, no question repeats until every question has been seen."""
    rng = random.Random(seed)
    seen: set[str] = set()
    shown: list[str] = []
    for _ in range(5):
        pick = choose_unseen(POOL, seen, per_game, rng)
        assert len(set(pick.ids)) == len(pick.ids) == per_game
        if pick.reset:
            seen.clear()
        seen.update(pick.mark_seen)
        shown.extend(pick.ids)
    for start in range(0, len(shown) - len(POOL) + 1, len(POOL)):
        assert len(set(shown[start : start + len(POOL)])) == len(POOL)


def test_count_is_capped_by_pool_size() -> None:
    """Asking for more questions than the pool holds returns the whole pool once."""
    pick = choose_unseen(POOL[:3], set(), 10, random.Random(3))
    assert sorted(pick.ids) == POOL[:3]
