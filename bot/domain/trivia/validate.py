"""Check one question of Lightstick's own format (the shipped bank, a server pack) field by field.

Problems are named for a person: `question 3 ("Who was…"): field 'distractors' needs exactly 3
answers`. Every text field must already be text: pack files are read by
`bot.domain.trivia.formats.loader`, which never retypes `11:11` or `Off`, so a number or a
true/false here means the author typed one in JSON, and they are told to quote it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from bot.domain.trivia.links import link_problem
from bot.domain.trivia.model import (
    ACCEPTED_MAX,
    ANSWER_MAX,
    CATEGORIES,
    DISTRACTORS,
    PACK_CATEGORY,
    PROMPT_MAX,
    QUOTE_MAX,
    URL_MAX,
    YEAR_MAX,
    YEAR_MIN,
    Question,
)

_CONTROL = re.compile(r"[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
_YEAR = re.compile(r"^[0-9]{4}$")

FIELD_ORDER = (
    "id",
    "prompt",
    "answer",
    "accepted",
    "distractors",
    "category",
    "year",
    "source_url",
    "source_quote",
    "act_ids",
    "record",
)
BANK_FIELDS = frozenset(FIELD_ORDER)
PACK_FIELDS = BANK_FIELDS - {"id", "act_ids", "record"}
PACK_TOP_FIELDS = frozenset({"name", "description", "questions"})


def clean(text: str) -> str:
    """Normalise text: NFC, no control or bidi characters, single spaces, trimmed."""
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def fold(text: str) -> str:
    """Return the comparison key of an answer (case- and space-insensitive)."""
    return clean(text).casefold()


def _short(value: object, limit: int = 30) -> str:
    text = clean(value) if isinstance(value, str) else type(value).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label(index: int, raw: object) -> str:
    """Name a question for an error message: its 1-based position and the start of its prompt."""
    prompt = raw.get("prompt") if isinstance(raw, Mapping) else None
    if isinstance(prompt, str) and clean(prompt):
        return f'question {index} ("{_short(prompt)}")'
    return f"question {index}"


class _Checker:
    """Collects the problems of one question so that a moderator sees them all at once."""

    def __init__(self, index: int, raw: Mapping[Any, Any]) -> None:
        self.raw = raw
        self.name = label(index, raw)
        self.errors: list[str] = []

    def fail(self, field: str, problem: str) -> None:
        self.errors.append(f"{self.name}: field '{field}' {problem}")

    def text(self, field: str, limit: int, *, required: bool) -> str | None:
        value = self.raw.get(field)
        if value is None or (not required and isinstance(value, str) and not clean(value)):
            if required:
                self.fail(field, "is missing")
            return None
        if not isinstance(value, str):
            self.fail(field, "must be text (put it in quotes)")
            return None
        cleaned = clean(value)
        if not cleaned:
            self.fail(field, "is empty")
            return None
        if len(cleaned) > limit:
            self.fail(field, f"is longer than {limit} characters")
            return None
        return cleaned

    def texts(self, field: str, limit: int, *, exactly: int | None, most: int) -> list[str]:
        value = self.raw.get(field)
        if value is None:
            if exactly is not None:
                self.fail(field, f"is missing (it needs exactly {exactly} answers)")
            return []
        if not isinstance(value, list):
            self.fail(field, "must be a list")
            return []
        if exactly is not None and len(value) != exactly:
            self.fail(field, f"needs exactly {exactly} answers")
            return []
        if len(value) > most:
            self.fail(field, f"has more than {most} entries")
            return []
        out: list[str] = []
        for item in value:
            if not isinstance(item, str):
                self.fail(field, "must contain only text (put each answer in quotes)")
                return []
            cleaned = clean(item)
            if not cleaned:
                self.fail(field, "contains an empty answer")
                return []
            if len(cleaned) > limit:
                self.fail(field, f"has an answer longer than {limit} characters")
                return []
            out.append(cleaned)
        return out


def validate_question(
    raw: object, index: int, *, qid: str | None = None, bank: bool = False
) -> tuple[Question | None, list[str]]:
    """Check one raw question; return it (or None) and every problem found, named for a person."""
    if not isinstance(raw, Mapping):
        return None, [f"question {index}: must be a mapping of fields (prompt, answer, ...)"]
    c = _Checker(index, raw)
    allowed = BANK_FIELDS if bank else PACK_FIELDS
    unknown = sorted(_short(k, 20) for k in raw if not (isinstance(k, str) and k in allowed))
    if unknown:
        c.errors.append(
            f"{c.name}: unknown field(s) {', '.join(repr(u) for u in unknown[:5])}; "
            f"a question may have: {', '.join(f for f in FIELD_ORDER if f in allowed)}"
        )
    if bank:
        qid = c.text("id", 40, required=True)
    prompt = c.text("prompt", PROMPT_MAX, required=True)
    answer = c.text("answer", ANSWER_MAX, required=True)
    # The bank is all multiple choice; in a pack, no distractors makes a typed-answer question.
    typed = not bank and raw.get("distractors") in (None, [], "")
    distractors = (
        [] if typed else c.texts("distractors", ANSWER_MAX, exactly=DISTRACTORS, most=DISTRACTORS)
    )
    accepted = c.texts("accepted", ANSWER_MAX, exactly=None, most=ACCEPTED_MAX)
    category = c.text("category", 40, required=bank) or (None if bank else PACK_CATEGORY)
    if category is not None and category not in CATEGORIES:
        c.fail("category", f"must be one of: {', '.join(CATEGORIES)}")
    year = _year(c, required=bank)
    url = c.text("source_url", URL_MAX, required=bank)
    problem = None if url is None else link_problem(url)
    if problem is not None:
        c.fail("source_url", problem)
    quote = c.text("source_quote", QUOTE_MAX, required=False)
    act_ids = c.texts("act_ids", 60, exactly=None, most=10) if bank else []
    record = raw.get("record", False)
    record = (
        {"true": True, "false": False}.get(record, record) if isinstance(record, str) else record
    )
    if not isinstance(record, bool):
        c.fail("record", "must be true or false")
    if answer and distractors:
        keys = [fold(d) for d in distractors]
        if fold(answer) in keys:
            c.fail("distractors", "must not contain the correct answer")
        elif len(set(keys)) != len(keys):
            c.fail("distractors", "must be 3 different answers")
        elif any(fold(a) in keys for a in accepted):
            c.fail("accepted", "must not contain a wrong answer from 'distractors'")
    if c.errors or not (qid and prompt and answer and category and (typed or distractors)):
        return None, c.errors
    question = Question(
        id=qid,
        prompt=prompt,
        answer=answer,
        distractors=tuple(distractors),
        category=category,
        accepted=tuple(accepted),
        year=year,
        source_url=url,
        source_quote=quote,
        act_ids=tuple(act_ids),
        record=bool(record),
    )
    return question, []


def _year(c: _Checker, *, required: bool) -> int | None:
    value = c.raw.get("year")
    if value is None:
        if required:
            c.fail("year", "is missing")
        return None
    if isinstance(value, str) and _YEAR.match(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not YEAR_MIN <= value <= YEAR_MAX:
        c.fail("year", f"must be a whole year between {YEAR_MIN} and {YEAR_MAX}")
        return None
    return value


def check_questions(questions: list[Question]) -> list[str]:
    """Return cross-question problems: repeated ids or repeated prompts."""
    errors: list[str] = []
    ids: set[str] = set()
    prompts: dict[str, int] = {}
    for n, q in enumerate(questions, start=1):
        if q.id in ids:
            errors.append(f"question {n}: id {q.id!r} is used twice")
        ids.add(q.id)
        key = fold(q.prompt)
        if key in prompts:
            errors.append(
                f'question {n} ("{_short(q.prompt)}"): same prompt as question {prompts[key]}'
            )
        prompts.setdefault(key, n)
    return errors
