"""The question record, the category set and the bounds shared by the bank and server packs."""

from __future__ import annotations

from dataclasses import dataclass

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
    """One multiple-choice question: the right answer plus exactly three wrong ones."""

    id: str
    prompt: str
    answer: str
    distractors: tuple[str, str, str]
    category: str
    accepted: tuple[str, ...] = ()
    year: int | None = None
    source_url: str | None = None
    source_quote: str | None = None
    act_ids: tuple[str, ...] = ()
    record: bool = False

    @property
    def options(self) -> tuple[str, str, str, str]:
        """Return the answer followed by the distractors (unshuffled)."""
        return (self.answer, *self.distractors)


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
