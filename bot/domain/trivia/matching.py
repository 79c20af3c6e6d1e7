"""Judge a typed answer: forgiving about how it is written, strict about what it says.

Both sides are folded with the catalog's `search_key` (NFKC, case, accents, spacing, punctuation
and width removed; Hangul spelled out as jamo so a slip inside a syllable costs one letter). Then:

- a number is compared as a number: `1,000` = `1000` = `1000.0`, and `2016` is never `2017`; a
  counter word after it is ignored (`2016년`, `13명`, `13 members`; never a multiplier like `만`);
- a number written with leading zeros or trailing decimal zeros (`0606`, `1.10`) is a title or
  a code, not a quantity, and is compared as text: `606` is not the song "0606";
- other answers containing digits must carry the same digits (`2NE1` is not `2NE2`);
- everything else may differ by a few edits, counted with rapidfuzz's optimal string alignment
  distance (a swap of two neighbours is one edit): none up to 3 letters, 1 up to 7, 2 beyond.

A typo is never another name: the typed text is refused as a slip of an accepted name when it is
a strict prefix or extension of it (`izon`/`IZ*ONE`, `super junior-m`/`Super Junior`), and refused
outright when it is the name or alias of a catalog act not among the accepted ones (`exo-m` for
`EXO-K`: EXO-M is another unit). The prefix rule is per name, so `g-dragn` is still a slip of
`G-Dragon` although it extends the alias `GD`.

Why an edit budget by length and not `fuzz.ratio` with one cut-off (as sir-lancebot does): the
ratio of one typo depends on length. `twice`/`twise` scores 80 but `black`/`blackpink` scores 71
and `bts`/`btx` 67, so a cut-off of 80 lets 3-letter names drift and one of 85 refuses an honest
typo in every 5-letter name. The budget above accepts one slip in a short name, two in a long one,
and never a prefix: `black` is refused, not merely 4 edits from `blackpink`.
tests/domain/trivia/test_trivia_matching pins each of these cases.

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
_COUNTED = re.compile(r"^(?P<number>[+-]?[\d,.]+)(?P<counter>\D*)$")
_CODE = re.compile(r"^[+-]?(?:0[\d,]|[\d,]*\.\d*0$)")
_DIGITS = re.compile(r"\d+")

# Words that count things after a number without changing its value (casefolded, no spaces).
# Multipliers are left out on purpose: 13만 is 130,000 and 13k is 13,000, never 13.
_KOREAN_COUNTERS = ("명", "인조", "개", "곡", "집", "장", "위", "번", "회", "표", "점", "원")
_KOREAN_UNITS = ("년", "년도", "주년", "살", "세", "월", "일", "주", "개월", "시간", "분", "초")
_ENGLISH_COUNTERS = ("member", "album", "song", "track", "year", "time", "win", "award")
_ENGLISH_UNITS = ("day", "week", "month", "hour", "minute", "second")
COUNTERS = frozenset(
    (
        "",
        "%",
        "people",
        "copies",
        *_KOREAN_COUNTERS,
        *_KOREAN_UNITS,
        *(f"{w}{s}" for w in (*_ENGLISH_COUNTERS, *_ENGLISH_UNITS) for s in ("", "s")),
    )
)


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


def _counted(text: str) -> tuple[str, Decimal] | None:
    compact = "".join(text.split()).casefold()
    found = _COUNTED.match(compact)
    if found is None or found["counter"] not in COUNTERS:
        return None
    value = as_number(found["number"])
    return None if value is None else (found["number"], value)


def as_quantity(text: str) -> Decimal | None:
    """Return the value of a number, allowing a counter word in `COUNTERS` after it ('13명',
    '13 members' are 13), or None if `text` is anything else."""
    counted = _counted(text)
    return None if counted is None else counted[1]


def is_code(text: str) -> bool:
    """Say whether a number is written with leading zeros or trailing decimal zeros ('0606',
    '1.10'): in an accepted answer that is a title or code to compare as text, not a quantity."""
    counted = _counted(text)
    return counted is not None and _CODE.match(counted[0]) is not None


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

    def names_an_act(self, key: str) -> bool:
        """Say whether a folded `search_key` is the name or alias of a known act."""
        return key in self._by_key


def _quantity_answer(expected: str) -> Decimal | None:
    return None if is_code(expected) else as_quantity(expected)


def _exact(typed: str, typed_key: str, expected: str) -> bool:
    want = _quantity_answer(expected)
    if want is not None:
        return as_quantity(typed) == want
    key = search_key(expected)
    return bool(key) and typed_key == key


def _slip_of(typed_key: str, expected: str) -> bool:
    key = search_key(expected)
    if _quantity_answer(expected) is not None or not key:
        return False
    if typed_key.startswith(key) or key.startswith(typed_key):
        return False  # a strict prefix or extension names something else, never a slip
    if _DIGITS.findall(key) != _DIGITS.findall(typed_key):
        return False
    budget = edit_budget(len(key))
    return budget > 0 and OSA.distance(typed_key, key, score_cutoff=budget) <= budget


def is_correct(typed: str, accepted: Iterable[str], variants: NameVariants | None = None) -> bool:
    """Say whether `typed` matches any accepted answer (or a known variant of one).

    An exact match after folding (or an equal quantity) is right; otherwise a slip of an accepted
    text answer is right unless `typed` folds to a name in `variants` (another act).
    """
    typed = typed[:TYPED_MAX]
    typed_key = search_key(typed)
    expected: list[str] = []
    for answer in accepted:
        expected.append(answer)
        if variants is not None:
            expected.extend(variants.of(answer))
    candidates = tuple(dict.fromkeys(expected))
    if any(_exact(typed, typed_key, e) for e in candidates):
        return True
    if not typed_key or (variants is not None and variants.names_an_act(typed_key)):
        return False
    return any(_slip_of(typed_key, e) for e in candidates)
