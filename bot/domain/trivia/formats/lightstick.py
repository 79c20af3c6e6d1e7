"""Lightstick's own pack format: a list of questions, or `name`/`description`/`questions`.

Unlike the foreign formats this one is strict: a pack written for Lightstick is refused whole, with
every fault named, so that its author fixes it instead of losing questions silently.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.trivia.formats.result import LIGHTSTICK, ImportResult
from bot.domain.trivia.model import PACK_QUESTIONS_MAX, PackInvalid, Question
from bot.domain.trivia.validate import check_questions, validate_question

TOP_FIELDS = ("name", "description", "questions")


def parse_lightstick(doc: object, id_prefix: str) -> ImportResult:
    """Validate a Lightstick pack; raise PackInvalid naming each fault."""
    if isinstance(doc, Mapping):
        doc = doc.get("questions")
    if not isinstance(doc, list):
        raise PackInvalid(["the file needs a list of questions (top level, or under 'questions')"])
    if not doc:
        raise PackInvalid(["the file has no questions"])
    if len(doc) > PACK_QUESTIONS_MAX:
        raise PackInvalid([f"a pack holds at most {PACK_QUESTIONS_MAX} questions"])
    questions: list[Question] = []
    errors: list[str] = []
    for n, raw in enumerate(doc, start=1):
        q, errs = validate_question(raw, n, qid=f"{id_prefix}-{n}")
        errors.extend(errs)
        if q is not None:
            questions.append(q)
    if not errors:
        errors = check_questions(questions)
    if errors:
        raise PackInvalid(errors)
    return ImportResult(LIGHTSTICK, tuple(questions))
