"""Keyword filters, safe templates and human formatting for Space announcements."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.spaces import (
    format_duration,
    format_listeners,
    matches_keywords,
    neutralise_mentions,
    parse_keywords,
    render_template,
    validate_template,
)
from bot.errors import InvalidInput

VALUES = {"artist": "BTS", "title": "Hi", "url": "https://x.com/i/spaces/1", "start": "<t:1:R>"}
PING = re.compile(r"@(everyone|here)|<@[!&]?\d+>")


def test_placeholders_are_filled_and_unknown_braces_stay() -> None:
    """Known placeholders are replaced; {other} and stray braces are kept literally."""
    out = render_template("{artist} — {title} {url} {start} {other} {", VALUES)
    assert out == "BTS — Hi https://x.com/i/spaces/1 <t:1:R> {other} {"


def test_template_mentions_are_broken() -> None:
    """A moderator's template cannot ping @everyone, users or other roles."""
    out = render_template("@everyone <@&123> <@!5> @here {artist}", VALUES)
    assert PING.search(out) is None
    assert out.endswith("BTS")


def test_values_are_inserted_verbatim_not_reparsed() -> None:
    """A value that itself contains a placeholder is not expanded again."""
    out = render_template("{title}", {**VALUES, "title": "{artist}"})
    assert out == "{artist}"


@given(st.text(max_size=300))
def test_any_template_renders_without_pings(template: str) -> None:
    """Whatever the template text, the rendered output contains no working mention."""
    assert PING.search(render_template(template, VALUES)) is None


@given(st.text(max_size=200))
def test_neutralise_mentions_is_idempotent_and_ping_free(text: str) -> None:
    """Neutralising removes every working mention and changes nothing a second time."""
    once = neutralise_mentions(text)
    assert PING.search(once) is None
    assert neutralise_mentions(once) == once


def test_template_length_is_bounded() -> None:
    """Templates over 500 characters or blank ones are refused."""
    assert validate_template("  {artist} live  ") == "{artist} live"
    with pytest.raises(InvalidInput):
        validate_template("x" * 501)
    with pytest.raises(InvalidInput):
        validate_template("   ")


def test_keywords_parse_dedupe_and_limit() -> None:
    """Keywords are comma-separated, trimmed, case-insensitively de-duplicated, at most 10."""
    assert parse_keywords(" live , LIVE, 방송 ,,") == ("live", "방송")
    with pytest.raises(InvalidInput):
        parse_keywords(",".join(f"k{i}" for i in range(11)))


def test_keyword_match_is_case_and_width_insensitive() -> None:
    """Matching folds case and full-width forms; no keywords means everything passes."""
    assert matches_keywords("ＬＩＶＥ with ARMY", ("live",))
    assert matches_keywords("방탄 라이브", ("라이브",))
    assert not matches_keywords("Q&A", ("live",))
    assert not matches_keywords(None, ("live",))
    assert matches_keywords(None, ())


def test_duration_and_listener_formatting() -> None:
    """Durations and listener counts read naturally."""
    assert format_duration(timedelta(hours=1, minutes=5)) == "1 h 5 min"
    assert format_duration(timedelta(hours=2)) == "2 h"
    assert format_duration(timedelta(minutes=12, seconds=3)) == "12 min"
    assert format_duration(timedelta(seconds=40)) == "40 s"
    assert format_listeners(12345) == "12,345 listeners"
    assert format_listeners(1) == "1 listener"
    assert format_listeners(None) == "unknown"
