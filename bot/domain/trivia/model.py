"""The question record, the category set and the bounds shared by the bank and server packs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.errors import InvalidInput

# Fixed set: a question whose category is not here is refused, in the bank and in packs.
CATEGORIES: dict[str, str] = {
    "charts": "Charts",
    "awards": "Awards",
    "festivals": "Festivals",
    "tours_stadiums": "Tours & stadiums",
    "youtube_streaming": "YouTube & streaming",
    "x_spaces": "X & Spaces",
    "sales": "Sales & certifications",
    "tv": "TV",
    "world_stage": "World stage",
    "japan": "Japan",
    "pioneers": "Pioneers",
    "custom": "Server packs",
}
PACK_CATEGORY = "custom"
QuestionKind = Literal["choice", "typed"]
KIND_LABELS: dict[QuestionKind, str] = {"choice": "multiple choice", "typed": "typed answer"}

CHOICES = 4
DISTRACTORS = CHOICES - 1
PROMPT_MAX = 300
ANSWER_MAX = 80  # a Discord button label holds at most 80 characters
ACCEPTED_MAX = 10
URL_MAX = 500
QUOTE_MAX = 400
PACK_QUESTIONS_MAX = 200
PACK_BYTES_MAX = 256 * 1024
PACKS_PER_GUILD_MAX = 20
PACK_NAME_MAX = 50
YEAR_MIN, YEAR_MAX = 1900, 2100


@dataclass(frozen=True, slots=True)
class Question:
    """One question: multiple choice (the answer plus exactly three `distractors`) or typed
    (no distractors: members type the answer, matched against `answer` and `accepted`)."""

    id: str
    prompt: str
    answer: str
    distractors: tuple[str, ...]
    category: str
    accepted: tuple[str, ...] = ()
    year: int | None = None
    source_url: str | None = None
    source_quote: str | None = None
    act_ids: tuple[str, ...] = ()
    record: bool = False

    @property
    def kind(self) -> QuestionKind:
        """Return 'choice' (four buttons) or 'typed' (an Answer button and a text box)."""
        return "choice" if self.distractors else "typed"

    @property
    def options(self) -> tuple[str, ...]:
        """Return the answer followed by the distractors (unshuffled); () for a typed question."""
        return (self.answer, *self.distractors) if self.distractors else ()


class PackInvalid(InvalidInput):
    """A question file (bank or server pack) failed validation; `errors` names each problem."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:10]
        more = len(errors) - len(shown)
        text = "That question file can't be used:\n" + "\n".join(f"• {e}" for e in shown)
        if more > 0:
            text += f"\n…and {more} more problem(s)."
        super().__init__(text)
        self.errors = errors
