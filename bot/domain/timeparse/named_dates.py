"""Dates written with month names the grammar has no table for, read by dateparser."""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

# Languages dateparser is asked in; any other locale falls back to English.
DATEPARSER_LANGUAGES = frozenset({"en", "es", "pt", "id", "th", "ja", "ko", "fr", "de", "it",
                                  "vi", "nl", "tr", "pl", "ru", "zh"})  # fmt: skip


def dateparser_date(text: str, locale: str | None) -> tuple[int | None, int, int] | None:
    """Ask dateparser for a day and month written in words it knows ("5 décembre").

    Return (year or None, month, day), or None when dateparser finds no single day.
    """
    language = (locale or "en").split("-")[0]
    try:
        found = _date_parser(language if language in DATEPARSER_LANGUAGES else "en").get_date_data(
            text
        )
    # dateparser raises assorted errors on odd text; to the member all mean "couldn't read it".
    except Exception:
        log.debug("dateparser failed on %r", text, exc_info=True)
        return None
    if found.date_obj is None or found.period != "day":
        return None
    year = found.date_obj.year if re.search(r"\b\d{4}\b", text) else None
    return year, found.date_obj.month, found.date_obj.day


@cache
def _date_parser(language: str) -> Any:
    """Return a dateparser DateDataParser for day-month dates in `language` and English."""
    from dateparser.date import DateDataParser  # ~5 MB; loaded on first use

    languages = list(dict.fromkeys([language, "en"]))
    settings = {"REQUIRE_PARTS": ["day", "month"], "PARSERS": ["absolute-time"]}
    return DateDataParser(languages=languages, settings=settings)
