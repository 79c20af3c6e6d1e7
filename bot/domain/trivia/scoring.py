"""Points for an answer (base plus a speed bonus that shrinks with time) and streaks."""

from __future__ import annotations

BASE_POINTS = 100
MAX_SPEED_BONUS = 100


def score_answer(correct: bool, elapsed: float, seconds: float) -> int:
    """Return the points for one answer: 0 if wrong, else base plus a linearly falling bonus."""
    if not correct:
        return 0
    if seconds <= 0:
        return BASE_POINTS
    remaining = 1.0 - min(max(elapsed / seconds, 0.0), 1.0)
    return BASE_POINTS + round(MAX_SPEED_BONUS * remaining)


def next_streak(current: int, correct: bool) -> int:
    """Return the streak after one answer: one longer if right, back to zero if wrong."""
    return current + 1 if correct else 0
