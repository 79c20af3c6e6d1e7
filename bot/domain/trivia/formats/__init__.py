"""Read a pack file in any accepted format: Lightstick's own, Red lists, sir-lancebot quizzes.

`parse_pack` reads the file as text-only data (formats.loader), recognises the format by its
shape and hands it to that format's importer. Every failure is a `PackInvalid` naming the fault.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.trivia.formats.lancebot import looks_like_lancebot, parse_lancebot
from bot.domain.trivia.formats.lightstick import TOP_FIELDS, parse_lightstick
from bot.domain.trivia.formats.loader import read_document
from bot.domain.trivia.formats.red import looks_like_red, parse_red
from bot.domain.trivia.formats.result import LANCEBOT, LIGHTSTICK, RED, ImportResult
from bot.domain.trivia.model import PackInvalid

__all__ = ["FORMATS_HELP", "LANCEBOT", "LIGHTSTICK", "RED", "ImportResult", "parse_pack"]

FORMATS_HELP = (
    "accepted formats: a Lightstick pack (top-level fields name, description, questions; "
    "see /trivia pack template), a Red trivia list ('question: [answers]' with optional "
    "AUTHOR, DESCRIPTION, CONFIG) or a sir-lancebot quiz ('category: [{question, answer}]')"
)


def _short(key: object) -> str:
    text = str(key)
    return text if len(text) <= 20 else text[:19] + "…"


def parse_pack(data: bytes, filename: str, *, id_prefix: str = "pack") -> ImportResult:
    """Read a pack file of any accepted format; raise PackInvalid naming each fault."""
    doc = read_document(data, filename)
    if isinstance(doc, list) or (isinstance(doc, Mapping) and "questions" in doc):
        if isinstance(doc, Mapping):
            extra = [k for k in doc if k not in TOP_FIELDS]
            if extra:
                shown = ", ".join(repr(_short(k)) for k in extra[:5])
                raise PackInvalid(
                    [
                        f"unknown top-level field(s): {shown}; a Lightstick pack has: "
                        f"{', '.join(TOP_FIELDS)}"
                    ]
                )
        return parse_lightstick(doc, id_prefix)
    if isinstance(doc, Mapping) and looks_like_red(doc):
        return parse_red(doc, id_prefix)
    if isinstance(doc, Mapping) and looks_like_lancebot(doc):
        return parse_lancebot(doc, id_prefix)
    raise PackInvalid([f"I can't tell what format this file is in; {FORMATS_HELP}"])
