"""The one text sanitiser: what it removes, what it keeps, and that it never raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.text import clean_field, clean_text, join_words, plural
from bot.errors import InvalidInput

UNSAFE = {chr(c) for c in range(0x20) if chr(c) != "\n"} | {
    "\x7f",
    "\u061c",
    "\u200b",
    "\u200e",
    "\u200f",
    "\ufeff",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
}


@given(st.text())
def test_clean_text_never_leaves_controls_or_bidi(text: str) -> None:
    """Whatever comes in, no control or bidi character comes out (one-line: no newline either)."""
    one_line = clean_text(text)
    many = clean_text(text, multiline=True)
    assert not (set(one_line) & (UNSAFE | {"\n"}))
    assert not (set(many) & UNSAFE)


def test_clean_text_keeps_emoji_sequences_and_line_breaks() -> None:
    """ZWJ emoji and Korean survive; notes keep their line breaks, titles fold them."""
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(f"{family} 컴백  파티") == f"{family} 컴백 파티"
    assert clean_text("a\r\nb\n\n\n\nc", multiline=True) == "a\nb\n\nc"
    assert clean_text("a\nb") == "a b"


def test_clean_field_bounds_the_cleaned_length() -> None:
    """Invisible characters do not count; over the limit raises a message naming the field."""
    assert clean_field("\u202e" * 50 + "ok", what="title", limit=2) == "ok"
    assert clean_field("\x00 \u200b", what="title", limit=2) is None
    with pytest.raises(InvalidInput, match="title is 3 characters"):
        clean_field("abc", what="title", limit=2)


def test_join_words_and_plural_read_as_a_person_writes() -> None:
    """Lists end in "and"; one of a thing is singular, the rest plural (or the form given)."""
    assert join_words([]) == ""
    assert join_words(["Send Messages"]) == "Send Messages"
    assert join_words(["Send Messages", "Embed Links"]) == "Send Messages and Embed Links"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert plural(1, "upcoming party", "upcoming parties") == "1 upcoming party"
    assert plural(2, "upcoming party", "upcoming parties") == "2 upcoming parties"
