"""The one sanitiser for text people type: controls, bidi overrides, whitespace and length.

Pure string work (no Discord): the cogs' validators, `bot.core.checks.safe_text` and the ICS
builder all call `clean_text`, so a title is cleaned the same way wherever it goes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.errors import InvalidInput

# C0 and C1 controls (NUL, VT, ESC, DEL...), except tab and newline which multiline text keeps;
# bidirectional embeddings, overrides and isolates (Unicode TR9: U+202A-202E, U+2066-2069),
# the implicit marks LRM/RLM/ALM, zero-width space and the BOM. ZWJ/ZWNJ stay: emoji sequences
# and Persian/Indic spelling need them.
_UNSAFE = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f"
    r"\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Return `text` NFC-normalised, without control or bidi characters, whitespace tidied.

    Single-line text has every run of whitespace folded to one space; multiline text keeps its
    line breaks (at most one blank line in a row), with tabs and CR treated as spaces. Never
    raises; the result may be empty.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    text = _UNSAFE.sub("", text.replace("\r", "\n" if multiline else " "))
    if not multiline:
        return " ".join(text.split())
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_field(text: str | None, *, what: str, limit: int, multiline: bool = False) -> str | None:
    """Clean one user-typed field and bound it; None for blank input.

    Raises InvalidInput naming `what` when the cleaned text is longer than `limit` characters.
    """
    if text is None:
        return None
    cleaned = clean_text(text, multiline=multiline)
    if not cleaned:
        return None
    if len(cleaned) > limit:
        raise InvalidInput(f"The {what} is {len(cleaned)} characters; keep it to {limit} or fewer.")
    return cleaned


def plural(count: int, noun: str, many: str | None = None) -> str:
    """Return "1 question", "2 questions", "1,200 listeners": the count and the right form.

    `many` is the plural when adding "s" is wrong ("party" -> "parties").
    """
    return f"{count:,} {noun if count == 1 else (many or noun + 's')}"


def join_words(parts: Sequence[str]) -> str:
    """Join phrases as a person lists them: "a", "a and b", "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
