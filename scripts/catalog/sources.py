"""The datasets' source strings, their snapshot dates, and small text helpers."""

from __future__ import annotations

import unicodedata
from typing import Any

Raw = dict[str, Any]

KPOPDLE = "github:ItsPandarr/kpopdle@8162d1b69e913db74421026fa7ee5814f03390ec"
KPOPDLE_GROUPS = (
    f"{KPOPDLE}:data/groups.json (Wikidata CC0 + Wikipedia infobox, generated 2026-05-18)"
)
KPOPDLE_IDOLS = f"{KPOPDLE}:data/idols.json (Wikidata P527 members, generated 2026-05-18)"
DBKPOP = "github:Thunder-API/kpopapi"
# The date each dataset describes: its snapshot, not the day we build.
WIKIDATA_DATE = "2026-05-18"
DBKPOP_DATE = "2023-06"


def slug(text: str) -> str:
    """Return a lowercase ASCII id fragment for `text` (may be empty for non-Latin names)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = "".join(ch if ch.isalnum() else "-" for ch in ascii_text.lower())
    return "-".join(part for part in out.split("-") if part)


def pick(sources: list[str], marker: str) -> list[str]:
    """Return the sources containing `marker`."""
    return [s for s in sources if marker in s]


def urls(sources: list[str]) -> list[str]:
    """Return the sources that are web pages rather than datasets."""
    return [s for s in sources if not s.startswith("github:")]


def snapshot_date(source: str) -> str | None:
    """Return the date a dataset source describes (None for a web page)."""
    if KPOPDLE in source:
        return WIKIDATA_DATE
    if DBKPOP in source:
        return DBKPOP_DATE
    return None


def add_source(entry: Raw, source: str) -> None:
    """List `source` among the entry's sources once."""
    if source not in entry["sources"]:
        entry["sources"].append(source)
