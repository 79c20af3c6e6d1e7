"""What an import produced: the questions, what was skipped and why, and what was ignored."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.domain.trivia.model import (
    KIND_LABELS,
    PACK_QUESTIONS_MAX,
    PackInvalid,
    Question,
    QuestionKind,
)
from bot.domain.trivia.validate import check_questions, validate_question

LIGHTSTICK = "Lightstick pack"
RED = "Red trivia list"
LANCEBOT = "sir-lancebot quiz"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A parsed pack: its format's name, its questions, skipped entries and ignored fields."""

    format: str
    questions: tuple[Question, ...]
    skipped: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    def counts(self) -> dict[QuestionKind, int]:
        """Return how many questions of each kind ('choice', 'typed') were imported."""
        tally = Counter(q.kind for q in self.questions)
        return {kind: tally[kind] for kind in KIND_LABELS if tally[kind]}


@dataclass
class Collector:
    """Builds an ImportResult from a foreign format, skipping (and naming) what can't be used."""

    format: str
    id_prefix: str
    questions: list[Question] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    seen: int = 0

    def skip(self, name: str, reason: str) -> None:
        """Record an entry left out and why."""
        self.skipped.append(f"{name}: {reason}")

    def add(self, raw: Mapping[str, object]) -> None:
        """Validate one question in Lightstick's fields; keep it or record why it was skipped."""
        self.seen += 1
        n = self.seen
        if len(self.questions) >= PACK_QUESTIONS_MAX:
            if len(self.questions) == PACK_QUESTIONS_MAX and n == PACK_QUESTIONS_MAX + 1:
                self.skipped.append(
                    f"question {n} and after: a pack holds at most {PACK_QUESTIONS_MAX} questions"
                )
            return
        q, errors = validate_question(raw, n, qid=f"{self.id_prefix}-{len(self.questions) + 1}")
        if q is None:
            self.skipped.extend(errors)
            return
        clash = check_questions([*self.questions, q])
        if clash:
            self.skipped.append(f"question {n}: same question as one already imported")
            return
        self.questions.append(q)

    def result(self) -> ImportResult:
        """Return the result; raise PackInvalid if nothing could be imported."""
        if not self.questions:
            raise PackInvalid(["no question in this file could be imported", *self.skipped])
        return ImportResult(
            self.format, tuple(self.questions), tuple(self.skipped), tuple(self.ignored)
        )
