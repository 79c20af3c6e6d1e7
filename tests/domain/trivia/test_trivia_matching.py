"""Typed answers are matched forgivingly but not loosely; the thresholds are pinned here."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from bot.domain.catalog.loader import load_catalog
from bot.domain.trivia.matching import (
    NameVariants,
    as_number,
    as_quantity,
    edit_budget,
    is_code,
    is_correct,
)

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


# Acts as the catalog lists them (bot/data/catalog.json): EXO-M and Super Junior-M are acts.
CATALOG_UNITS = NameVariants(
    [
        ("EXO", "엑소"),
        ("EXO-M", "엑소엠"),
        ("Super Junior", "슈퍼주니어", "SJ"),
        ("Super Junior-M", "슈퍼주니어-M"),
        ("IZ*ONE", "아이즈원"),
        ("ITZY", "있지"),
        ("G-Dragon", "지드래곤", "GD"),
        ("BTS", "방탄소년단", "Bangtan", "Bangtan Boys"),
    ]
)


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("exo-m", ("EXO-K",)),
        ("EXO-M", ("EXO-K", "엑소케이")),
        ("super junior-m", ("Super Junior",)),
        ("슈퍼주니어-M", ("Super Junior",)),
    ],
)
def test_another_unit_of_the_group_is_wrong(typed: str, accepted: tuple[str, ...]) -> None:
    """A name the catalog knows as another act is wrong even when one edit away."""
    assert not is_correct(typed, accepted, CATALOG_UNITS)


def test_another_unit_is_wrong_without_the_catalog_when_it_extends_the_name() -> None:
    """'super junior-m' adds a letter to 'Super Junior': an extension, never a typo."""
    assert not is_correct("super junior-m", ("Super Junior",))


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("izon", ("IZ*ONE",)),
        ("itz", ("ITZY",)),
        ("twic", ("TWICE",)),
        ("블랙핑", BLACKPINK),
        ("blackpinks", BLACKPINK),
        ("itzyy", ("ITZY",)),
    ],
)
def test_prefixes_and_extensions_are_wrong(typed: str, accepted: tuple[str, ...]) -> None:
    """A strict prefix or extension of an accepted name is never taken for a typo of it."""
    assert not is_correct(typed, accepted)
    assert not is_correct(typed, accepted, CATALOG_UNITS)


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("twise", ("TWICE",)),
        ("stray kidz", ("Stray Kids",)),
        ("g-dragn", ("G-Dragon",)),  # extends the alias 'GD' but is a slip of 'G-Dragon'
        ("bangtan boyz", ("BTS",)),  # extends 'Bangtan' but is a slip of 'Bangtan Boys'
        ("itzy", ("ITZY",)),
        ("아이즈원", ("IZ*ONE",)),
        ("슈퍼주니어", ("Super Junior",)),
    ],
)
def test_honest_typos_still_right_with_the_catalog(typed: str, accepted: tuple[str, ...]) -> None:
    """The catalog check refuses other acts only: slips and other names of the same act pass."""
    assert is_correct(typed, accepted, CATALOG_UNITS)


@pytest.mark.parametrize(
    ("typed", "accepted", "right"),
    [
        ("606", ("0606",), False),
        ("0606", ("0606",), True),
        ("1.1", ("1.10",), False),
        ("1.10", ("1.10",), True),
        ("007", ("007",), True),
        ("7", ("007",), False),
        ("0.5", ("0.5",), True),
        (".5", ("0.5",), False),
        ("13", ("13",), True),
        ("2016", ("2016",), True),
        ("1000", ("1,000",), True),
    ],
)
def test_numbers_written_as_codes_compare_as_text(
    typed: str, accepted: tuple[str, ...], right: bool
) -> None:
    """Leading zeros or trailing decimal zeros make a title ('0606'), compared as text."""
    assert is_correct(typed, accepted) is right


@pytest.mark.parametrize(
    ("typed", "accepted", "right"),
    [
        ("2016년", ("2016",), True),
        ("13명", ("13",), True),
        ("13 members", ("13",), True),
        ("13 Members", ("13",), True),
        ("1 member", ("1",), True),
        ("2016 년", ("2016",), True),
        ("13", ("13명",), True),
        ("14명", ("13",), False),
        ("13만", ("13",), False),  # 만 is ten thousand, not a counter
        ("13k", ("13",), False),
        ("13 million", ("13",), False),
        ("13 members 2", ("13",), False),
    ],
)
def test_a_counter_word_after_a_number_is_ignored(
    typed: str, accepted: tuple[str, ...], right: bool
) -> None:
    """'2016년', '13명', '13 members' are the numbers 2016 and 13; multipliers are not counters."""
    assert is_correct(typed, accepted) is right


def test_shipped_catalog_refuses_other_units_and_keeps_slips() -> None:
    """With variants built from bot/data/catalog.json as the trivia cog builds them, another unit
    is wrong and honest slips stay right."""
    catalog = load_catalog()
    variants = NameVariants(
        (e.name, *((e.name_hangul,) if e.name_hangul else ()), *e.aliases)
        for e in catalog.entries
        if e.is_act
    )
    assert not is_correct("exo-m", ("EXO-K",), variants)
    assert not is_correct("super junior-m", ("Super Junior",), variants)
    assert is_correct("twise", ("TWICE",), variants)
    assert is_correct("stray kidz", ("Stray Kids",), variants)
    assert is_correct("블랙핑크", ("BLACKPINK",), variants)


def test_is_code_and_as_quantity() -> None:
    """Leading zeros and trailing decimal zeros mark a code; a counter word keeps the value."""
    assert [is_code(t) for t in ("0606", "1.10", "2.0", "0", "0.5", "1,000", "13")] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert as_quantity("13 Members") == as_quantity("13명") == 13
    assert as_quantity("13만") is None
    assert as_quantity("2NE1") is None
