"""No-repeat selection: unseen first; a pool's cycle restarts only once it is exhausted."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
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


def play(pool: list[str], sizes: list[int], seed: int) -> list[tuple[str, ...]]:
    """Play games of the given sizes as the cog does (seen set, reset, previous game as recent)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    games: list[tuple[str, ...]] = []
    for size in sizes:
        recent = games[-1] if games else ()
        pick = choose_unseen(pool, seen, size, rng, recent=recent)
        if pick.reset:
            seen -= set(pool)
        seen.update(pick.mark_seen)
        games.append(pick.ids)
    return games


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 300),
    st.lists(st.integers(1, 20), min_size=2, max_size=40),
    st.integers(0, 2**31),
)
def test_no_question_in_two_consecutive_games_and_full_cycles(
    pool_size: int, sizes: list[int], seed: int
) -> None:
    """With two games' worth in the pool, consecutive games share no question; and the stream of
    questions is whole cycles: every question once before any comes back."""
    pool = [f"q{i}" for i in range(pool_size)]
    games = play(pool, sizes, seed)
    for before, after in itertools.pairwise(games):
        if pool_size >= len(before) + len(after):
            assert not set(before) & set(after)
    stream = [q for g in games for q in g]
    for start in range(0, len(stream), pool_size):
        window = stream[start : start + pool_size]
        assert len(set(window)) == len(window), "no repeat inside a cycle"
        if len(window) == pool_size:
            assert set(window) == set(pool)


def test_straddling_games_used_to_repeat() -> None:
    """The issue's case, 97 questions and 10 per game over many cycles: no game repeats a
    question of the game just before (the old rule repeated in about half the straddling games)."""
    pool = [f"q{i}" for i in range(97)]
    games = play(pool, [10] * 500, seed=7)
    assert all(not set(a) & set(b) for a, b in itertools.pairwise(games))


def test_daily_avoids_the_last_week_when_it_can() -> None:
    """One question a day with the last seven as recent: none of them comes back the next day."""
    pool = [f"q{i}" for i in range(20)]
    rng = random.Random(3)
    seen: set[str] = set()
    days: list[str] = []
    for _ in range(200):
        pick = choose_unseen(pool, seen, 1, rng, recent=days[-7:])
        if pick.reset:
            seen -= set(pool)
        seen.update(pick.mark_seen)
        assert pick.ids[0] not in days[-7:]
        days.extend(pick.ids)
