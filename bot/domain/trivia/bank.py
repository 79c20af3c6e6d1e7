"""The question bank shipped in bot/data/trivia.json, loaded and validated once at start."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.trivia.model import CATEGORIES, PackInvalid, Question
from bot.domain.trivia.validate import check_questions, validate_question
from bot.resources import data_path

BANK_PATH = data_path("trivia.json")
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Bank:
    """The validated shipped questions, looked up by id and by category."""

    questions: tuple[Question, ...]
    by_id: dict[str, Question] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {q.id: q for q in self.questions})

    def ids(self, category: str | None = None) -> list[str]:
        """Return the ids of every question, or of one category, in file order."""
        return [q.id for q in self.questions if category is None or q.category == category]

    def categories(self) -> list[str]:
        """Return the categories that have at least one question, in the fixed order."""
        present = {q.category for q in self.questions}
        return [c for c in CATEGORIES if c in present]


def build_bank(raw_questions: Iterable[object]) -> Bank:
    """Validate raw bank entries (source, year and category required); raise PackInvalid."""
    questions: list[Question] = []
    errors: list[str] = []
    for n, raw in enumerate(raw_questions, start=1):
        q, errs = validate_question(raw, n, bank=True)
        errors.extend(errs)
        if q is not None:
            questions.append(q)
    errors.extend(check_questions(questions))
    if errors:
        raise PackInvalid(errors)
    return Bank(tuple(questions))


def load_bank(path: Path = BANK_PATH) -> Bank:
    """Read and validate the shipped bank; raise PackInvalid if it is broken."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("schema_version") != SCHEMA_VERSION:
        raise PackInvalid([f"{path.name}: schema_version must be {SCHEMA_VERSION}"])
    raw = doc.get("questions")
    if not isinstance(raw, list):
        raise PackInvalid([f"{path.name}: 'questions' must be a list"])
    return build_bank(raw)
