"""Party bounds: title, notes, capacity and the 100-upcoming cap."""

from __future__ import annotations

import pytest

from bot.domain.parties import (
    check_upcoming_room,
    validate_capacity,
    validate_notes,
    validate_title,
)
from bot.errors import InvalidInput


def test_title_bounds() -> None:
    """A 100-character title is fine, 101 is refused, blanks are refused, spaces collapse."""
    assert validate_title("  MV   party ") == "MV party"
    assert validate_title("a" * 100) == "a" * 100
    with pytest.raises(InvalidInput, match="100"):
        validate_title("a" * 101)
    with pytest.raises(InvalidInput):
        validate_title("   ")


def test_notes_bounds() -> None:
    """Notes up to 1000 characters pass, 1001 is refused, blank means none."""
    assert validate_notes("  ") is None
    assert validate_notes("x" * 1000) == "x" * 1000
    with pytest.raises(InvalidInput, match="1000"):
        validate_notes("x" * 1001)


def test_capacity_bounds() -> None:
    """Capacity is optional and must be positive."""
    assert validate_capacity(None) is None
    assert validate_capacity(1) == 1
    with pytest.raises(InvalidInput):
        validate_capacity(0)


def test_upcoming_cap() -> None:
    """99 upcoming parties leave room for one more; 100 do not."""
    check_upcoming_room(99)
    with pytest.raises(InvalidInput, match="100 upcoming"):
        check_upcoming_room(100)
