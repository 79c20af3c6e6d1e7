"""Game rules without Discord: shuffled choices, click verdicts, rounds, silence, scoreboard."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from bot.domain.trivia.model import CHOICES, Question
from bot.domain.trivia.scoring import next_streak

MAX_SILENT_QUESTIONS = 3
# A typed answer is stored with this choice number (the answers table keeps one per member).
TYPED_CHOICE = 0
ENDED_MESSAGE = "This game has ended."
CLOSED_MESSAGE = "This question is closed. Wait for the next one!"
DUPLICATE_MESSAGE = "You already answered this question."

Phase = Literal["waiting", "asking", "revealed", "ended"]


def shuffled_order(seed: int, index: int) -> tuple[int, ...]:
    """Return a permutation of option positions (0 = the correct answer) for one question."""
    order = list(range(CHOICES))
    random.Random(f"trivia:{seed}:{index}").shuffle(order)
    return tuple(order)


def choices_for(question: Question, seed: int, index: int) -> tuple[str, ...]:
    """Return the question's four options in this game's shuffled order; () if it is typed."""
    options = question.options
    if not options:
        return ()
    return tuple(options[i] for i in shuffled_order(seed, index))


def correct_choice(seed: int, index: int) -> int:
    """Return which button (0-3) holds the correct answer for question `index` of a game."""
    return shuffled_order(seed, index).index(0)


def correct_for(question: Question, seed: int, index: int) -> int:
    """Return the stored 'correct choice' of a question: its button, or TYPED_CHOICE if typed."""
    return correct_choice(seed, index) if question.kind == "choice" else TYPED_CHOICE


class Verdict(Enum):
    """What a click on an answer button gets."""

    ACCEPT = "accept"
    ENDED = "ended"
    CLOSED = "closed"


def judge_click(*, running: bool, current_index: int, question_open: bool, q_index: int) -> Verdict:
    """Decide whether a click on question `q_index` can count, given the game's stored state."""
    if not running:
        return Verdict.ENDED
    if q_index != current_index or not question_open:
        return Verdict.CLOSED
    return Verdict.ACCEPT


@dataclass(frozen=True, slots=True)
class Answer:
    """One member's recorded answer to one question."""

    member_id: int
    choice: int
    correct: bool
    points: int
    elapsed: float


@dataclass(frozen=True, slots=True)
class RoundResult:
    """The reveal of one question: the right button and everyone's answer, best first."""

    index: int
    question: Question
    correct_choice: int
    answers: tuple[Answer, ...]

    @property
    def silent(self) -> bool:
        """Say whether nobody answered."""
        return not self.answers


@dataclass
class TriviaGame:
    """The flow of one game: ask, close with the answers received, stop when done or silent."""

    game_id: int
    questions: list[Question]
    seconds: int
    seed: int
    max_silent: int = MAX_SILENT_QUESTIONS
    index: int = -1
    phase: Phase = "waiting"
    silent_streak: int = 0
    end_reason: str | None = None
    totals: dict[int, int] = field(default_factory=dict)
    correct: dict[int, int] = field(default_factory=dict)
    streaks: dict[int, int] = field(default_factory=dict)
    best_streaks: dict[int, int] = field(default_factory=dict)

    @property
    def current(self) -> Question:
        """Return the question being asked or last revealed."""
        return self.questions[self.index]

    def choices(self, index: int | None = None) -> tuple[str, ...]:
        """Return the shuffled options of a question (the current one by default)."""
        i = self.index if index is None else index
        return choices_for(self.questions[i], self.seed, i)

    @property
    def finished(self) -> bool:
        """Say whether no question should be asked any more."""
        return (
            self.phase == "ended"
            or self.index + 1 >= len(self.questions)
            or self.silent_streak >= self.max_silent
        )

    def open_next(self) -> Question:
        """Move to the next question and start accepting answers."""
        if self.phase == "asking" or self.finished:
            raise RuntimeError("cannot open a question now")
        self.index += 1
        self.phase = "asking"
        return self.current

    def close(self, answers: Iterable[Answer]) -> RoundResult:
        """Stop accepting answers, score the round (one answer per member) and update streaks."""
        if self.phase != "asking":
            raise RuntimeError("no question is open")
        self.phase = "revealed"
        first: dict[int, Answer] = {}
        for a in answers:
            first.setdefault(a.member_id, a)
        ranked = tuple(sorted(first.values(), key=lambda a: (-a.points, a.elapsed, a.member_id)))
        for a in ranked:
            self.totals[a.member_id] = self.totals.get(a.member_id, 0) + a.points
            self.correct[a.member_id] = self.correct.get(a.member_id, 0) + int(a.correct)
            streak = next_streak(self.streaks.get(a.member_id, 0), a.correct)
            self.streaks[a.member_id] = streak
            self.best_streaks[a.member_id] = max(self.best_streaks.get(a.member_id, 0), streak)
        self.silent_streak = 0 if ranked else self.silent_streak + 1
        if self.silent_streak >= self.max_silent:
            self.end_reason = "silent"
        elif self.index + 1 >= len(self.questions):
            self.end_reason = "finished"
        correct = correct_for(self.current, self.seed, self.index)
        return RoundResult(self.index, self.current, correct, ranked)

    def end(self, reason: str) -> None:
        """Stop the game now (stopped by a member, or the bot shutting down)."""
        self.phase = "ended"
        self.end_reason = self.end_reason or reason

    def scoreboard(self) -> list[tuple[int, int]]:
        """Return (member, points) pairs, highest first; ties by member id for a stable order."""
        return sorted(self.totals.items(), key=lambda kv: (-kv[1], kv[0]))
