"""Typed answers are matched forgivingly but not loosely; the thresholds are pinned here."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from bot.domain.trivia.matching import NameVariants, as_number, edit_budget, is_correct

BLACKPINK = ("BLACKPINK", "블랙핑크")


@pytest.mark.parametrize(
    "typed",
    [
        "blackpink",
        "BLACKPINK",
        "블랙핑크",
        "Black Pink",
        "black-pink!",
        "  BlackPink  ",
        "blakcpink",
        "blackpnk",
        "블랙핑그",
        "ＢＬＡＣＫＰＩＮＫ",
    ],
)
def test_blackpink_right(typed: str) -> None:
    """Case, spacing, punctuation, width, either script and a slip or two are forgiven."""
    assert is_correct(typed, BLACKPINK)


@pytest.mark.parametrize("typed", ["black", "pink", "blackpinkk twice", "bp", "", "   ", "블랙"])
def test_blackpink_wrong(typed: str) -> None:
    """A part of the name, another answer, or nothing is wrong."""
    assert not is_correct(typed, BLACKPINK)


@pytest.mark.parametrize(
    ("typed", "accepted", "right"),
    [
        ("twise", ("TWICE",), True),  # one slip in a 5-letter name
        ("twcie", ("TWICE",), True),  # a swap of neighbours is one edit
        ("tw", ("TWICE",), False),
        ("btx", ("BTS",), False),  # 3 letters: exact only
        ("bts", ("BTS",), True),
        ("iv", ("IVE",), False),
        ("red velvit", ("Red Velvet",), True),
        ("redvelvt", ("Red Velvet",), True),
        ("red", ("Red Velvet",), False),
        ("2NE2", ("2NE1",), False),  # digits must match
        ("2 ne 1", ("2NE1",), True),
        ("11 11", ("11:11",), True),
        ("11:12", ("11:11",), False),
        ("mamamoo", ("MAMAMOO+",), False),  # '+' is part of the name
    ],
)
def test_names_by_length(typed: str, accepted: tuple[str, ...], right: bool) -> None:
    """Short names allow no slip, 4-7 letters one, longer two; digits are never fuzzed."""
    assert is_correct(typed, accepted) is right


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("1000", True),
        ("1,000", True),
        ("1000.0", True),
        ("01000", True),
        ("1001", False),
        ("100", False),
        ("one thousand", False),
    ],
)
def test_numbers_compare_as_numbers(typed: str, right: bool) -> None:
    """1,000 = 1000 = 1000.0; a number one off is wrong however close it looks."""
    assert is_correct(typed, ("1000",)) is right


def test_years_are_never_fuzzy() -> None:
    """2016 is not 2017 although the strings differ by one character."""
    assert is_correct("2016", ("2016",))
    assert not is_correct("2017", ("2016",))


def test_ratio_cutoffs_would_be_unfair() -> None:
    """Why an edit budget and not one fuzz.ratio cut-off: accepting the typo 'twise' needs a
    cut-off of 80 or less, and that also accepts 'bt' for BTS and 'iv' for IVE; the budget
    accepts the typo and refuses both."""
    assert fuzz.ratio("twise", "twice") == pytest.approx(80)
    assert fuzz.ratio("bt", "bts") == pytest.approx(80)
    assert fuzz.ratio("iv", "ive") == pytest.approx(80)
    assert fuzz.ratio("black", "blackpink") == pytest.approx(71.43, abs=0.01)
    assert is_correct("twise", ("TWICE",))
    assert not is_correct("bt", ("BTS",))
    assert not is_correct("iv", ("IVE",))
    assert [edit_budget(n) for n in (1, 3, 4, 7, 8, 20)] == [0, 0, 1, 1, 2, 2]


def test_catalog_variants_add_the_other_script() -> None:
    """An accepted 'IVE' also accepts '아이브' when the catalog knows both names of the act."""
    variants = NameVariants([("IVE", "아이브"), ("aespa", "에스파", "æspa")])
    assert is_correct("아이브", ("IVE",), variants)
    assert not is_correct("아이브", ("IVE",))
    assert is_correct("에스파", ("Aespa",), variants)
    assert not is_correct("에스파", ("IVE",), variants)


def test_as_number() -> None:
    """Plain numbers parse; titles with digits do not."""
    assert as_number("1,234.5") == as_number("1234.50")
    assert as_number("0606") == 606
    assert as_number("11:11") is None
    assert as_number("2NE1") is None
    assert as_number("1,00") is None
