"""Scoring: right and fast earns most, wrong earns nothing, streaks count consecutive right."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.trivia.scoring import BASE_POINTS, MAX_SPEED_BONUS, next_streak, score_answer


def test_wrong_answer_scores_zero() -> None:
    """A wrong answer earns no points however fast it was."""
    assert score_answer(False, 0.1, 20) == 0


def test_instant_right_answer_gets_full_bonus() -> None:
    """A right answer at time zero earns base plus the whole speed bonus."""
    assert score_answer(True, 0.0, 20) == BASE_POINTS + MAX_SPEED_BONUS


def test_last_second_right_answer_gets_base_only() -> None:
    """A right answer at (or after) the deadline earns the base points only."""
    assert score_answer(True, 20.0, 20) == BASE_POINTS
    assert score_answer(True, 25.0, 20) == BASE_POINTS


@given(st.floats(0, 60), st.floats(0, 60), st.integers(1, 60))
def test_faster_never_scores_less(a: float, b: float, seconds: int) -> None:
    """Between two right answers, the faster one never earns fewer points."""
    fast, slow = sorted((a, b))
    assert score_answer(True, fast, seconds) >= score_answer(True, slow, seconds)
    assert BASE_POINTS <= score_answer(True, slow, seconds) <= BASE_POINTS + MAX_SPEED_BONUS


def test_streak_grows_and_resets() -> None:
    """A streak grows by one per right answer and falls to zero on a wrong one."""
    s = 0
    for correct in (True, True, True):
        s = next_streak(s, correct)
    assert s == 3
    assert next_streak(s, False) == 0
