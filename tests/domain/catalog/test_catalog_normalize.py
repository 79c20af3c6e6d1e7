"""Name folding: case, accents, width, punctuation and Hangul jamo."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.catalog.normalize import MAX_QUERY_CHARS, decompose_hangul, fold, jamo, search_key


def test_fold_ignores_case_accents_spacing_and_punctuation() -> None:
    """ "Rosé", "ROSE" and " r.o.s.e " all fold to "rose"."""
    assert fold("Rosé") == fold("ROSE") == fold(" r.o.s.e ") == "rose"
    assert fold("Stray Kids") == fold("stray-kids") == "straykids"
    assert fold("(G)I-DLE") == "gidle"


def test_fold_applies_nfkc_width_and_invisible_marks() -> None:
    """Full-width letters fold to ASCII; zero-width and direction marks vanish."""
    assert fold("ＢＴＳ") == "bts"
    assert fold("B\u200bT\u202eS\u2066") == "bts"


def test_fold_keeps_a_plus_as_part_of_the_name() -> None:
    """ "MAMAMOO+" stays distinct from "MAMAMOO"."""
    assert fold("MAMAMOO+") != fold("MAMAMOO")


def test_fold_keeps_hangul_syllables_whole() -> None:
    """Hangul survives folding composed, spaces removed."""
    assert fold("블랙 핑크") == "블랙핑크"
    assert fold(unicodedata.normalize("NFD", "방탄소년단")) == "방탄소년단"


def test_decompose_hangul_by_arithmetic() -> None:
    """한 = ᄒ + ᅡ + ᆫ; 가 has no final; non-Hangul passes through."""
    assert decompose_hangul("한") == "\u1112\u1161\u11ab"
    assert decompose_hangul("가") == "\u1100\u1161"
    assert decompose_hangul("a") == "a"
    assert unicodedata.normalize("NFC", jamo("방탄소년단")) == "방탄소년단"


def test_jamo_typo_costs_one_letter() -> None:
    """A wrong final consonant differs by one jamo, not one syllable."""
    right, wrong = search_key("방탄소년단"), search_key("방탄소년닫")
    assert len(right) == len(wrong)
    assert sum(a != b for a, b in zip(right, wrong, strict=True)) == 1


def test_compatibility_jamo_typed_alone_match_as_initials() -> None:
    """A lone ㅍ typed mid-word is the initial of 핑 in the key."""
    assert search_key("블랙핑크").startswith(search_key("블랙ㅍ"))


@given(st.text(max_size=3000))
def test_fold_is_idempotent_and_bounded(text: str) -> None:
    """Folding twice changes nothing, and the result is never longer than the cap."""
    once = fold(text)
    assert fold(once) == once
    assert len(once) <= MAX_QUERY_CHARS
    assert all(ch.isalnum() for ch in once)
