"""Judge a typed answer: forgiving about how it is written, strict about what it says.

Both sides are folded with the catalog's `search_key` (NFKC, case, accents, spacing, punctuation
and width removed; Hangul spelled out as jamo so a slip inside a syllable costs one letter). Then:

- a number is compared as a number: `1,000` = `1000` = `1000.0`, and `2016` is never `2017`;
- other answers containing digits must carry the same digits (`2NE1` is not `2NE2`);
- everything else may differ by a few edits, counted with rapidfuzz's optimal string alignment
  distance (a swap of two neighbours is one edit): none up to 3 letters, 1 up to 7, 2 beyond.

Why an edit budget by length and not `fuzz.ratio` with one cut-off (as sir-lancebot does): the
ratio of one typo depends on length. `twice`/`twise` scores 80 but `black`/`blackpink` scores 71
and `bts`/`btx` 67, so a cut-off of 80 lets 3-letter names drift and one of 85 refuses an honest
typo in every 5-letter name. The budget above accepts one slip in a short name, two in a long one,
and never a prefix: `black` is 4 edits from `blackpink`. tests/domain/trivia/test_trivia_matching
pins each of these cases.

Hangul/Latin variants: the accepted list may carry both spellings ("BLACKPINK", "블랙핑크"), and
`NameVariants` adds the catalog's other names for an act named in the accepted list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import OSA

from bot.domain.catalog.normalize import search_key

TYPED_MAX = 80  # the modal's text input holds at most this many characters

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DIGITS = re.compile(r"\d+")


def edit_budget(key_length: int) -> int:
    """Return how many edits a typed answer may be from an accepted key of this length."""
    if key_length <= 3:
        return 0
    if key_length <= 7:
        return 1
    return 2


def as_number(text: str) -> Decimal | None:
    """Return the value of a plain number ('1,000', '-2.5', '0606'), or None if it is not one."""
    compact = "".join(text.split())
    if not _NUMBER.match(compact):
        return None
    try:
        return Decimal(compact.replace(",", ""))
    except InvalidOperation:
        return None


class NameVariants:
    """Other spellings of the same name, e.g. every name of a catalog act ('IVE', '아이브')."""

    def __init__(self, groups: Iterable[Sequence[str]] = ()) -> None:
        self._by_key: dict[str, tuple[str, ...]] = {}
        for names in groups:
            kept = tuple(n for n in names if search_key(n))
            for name in kept:
                self._by_key.setdefault(search_key(name), kept)

    def of(self, text: str) -> tuple[str, ...]:
        """Return the other spellings known for `text` (empty if none)."""
        return self._by_key.get(search_key(text), ())


def _matches_one(typed: str, typed_key: str, expected: str) -> bool:
    want = as_number(expected)
    if want is not None:
        got = as_number(typed)
        return got is not None and got == want
    key = search_key(expected)
    if not key or not typed_key:
        return False
    if typed_key == key:
        return True
    if _DIGITS.findall(key) != _DIGITS.findall(typed_key):
        return False
    budget = edit_budget(len(key))
    return budget > 0 and OSA.distance(typed_key, key, score_cutoff=budget) <= budget


def is_correct(typed: str, accepted: Iterable[str], variants: NameVariants | None = None) -> bool:
    """Say whether `typed` matches any accepted answer (or a known variant of one)."""
    typed = typed[:TYPED_MAX]
    typed_key = search_key(typed)
    expected: list[str] = []
    for answer in accepted:
        expected.append(answer)
        if variants is not None:
            expected.extend(variants.of(answer))
    return any(_matches_one(typed, typed_key, e) for e in dict.fromkeys(expected))
