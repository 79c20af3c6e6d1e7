"""Fold names so that the ways fans type them compare equal.

`fold` removes differences nobody means (case, accents, width, spacing, punctuation, invisible
marks); `jamo` spells Hangul syllables out letter by letter so that a one-letter typo inside a
syllable costs one letter, not a whole syllable. `search_key` is both, the form every index uses.
"""

from __future__ import annotations

import unicodedata

__all__ = ["decompose_hangul", "fold", "jamo", "search_key"]

_SYLLABLE_FIRST = 0xAC00
_SYLLABLE_LAST = 0xD7A3
_LEAD_BASE = 0x1100
_VOWEL_BASE = 0x1161
_TAIL_BASE = 0x11A7
_VOWELS = 21
_TAILS = 28
_PER_LEAD = _VOWELS * _TAILS

# Longer than any name anybody types: a 1,000-character paste is cut before any work is done.
MAX_QUERY_CHARS = 200


def fold(text: str) -> str:
    """Return `text` in its comparable form: NFKC, casefolded, unaccented, letters/digits only."""
    text = unicodedata.normalize("NFKC", text[: MAX_QUERY_CHARS * 2]).casefold()
    # "MAMAMOO+" is a different act from "MAMAMOO"; the plus is part of the name.
    text = text.replace("+", "plus")
    # NFD would also split Hangul syllables; only combining marks are dropped and NFC rebuilds them.
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    kept = "".join(ch for ch in unicodedata.normalize("NFC", stripped) if ch.isalnum())
    return kept[:MAX_QUERY_CHARS]


def decompose_hangul(char: str) -> str:
    """Return the conjoining jamo of one precomposed Hangul syllable, or the char unchanged."""
    code = ord(char)
    if not _SYLLABLE_FIRST <= code <= _SYLLABLE_LAST:
        return char
    index = code - _SYLLABLE_FIRST
    lead, rest = divmod(index, _PER_LEAD)
    vowel, tail = divmod(rest, _TAILS)
    parts = chr(_LEAD_BASE + lead) + chr(_VOWEL_BASE + vowel)
    if tail:
        parts += chr(_TAIL_BASE + tail)
    return parts


def jamo(text: str) -> str:
    """Return `text` with every Hangul syllable spelled out as conjoining jamo."""
    if not any(_SYLLABLE_FIRST <= ord(ch) <= _SYLLABLE_LAST for ch in text):
        return text
    return "".join(decompose_hangul(ch) for ch in text)


def search_key(text: str) -> str:
    """Return the key under which `text` is indexed and compared (fold, then jamo)."""
    return jamo(fold(text))
