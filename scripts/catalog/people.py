"""One person, one record: merge people stored twice and move their memberships."""

from __future__ import annotations

from bot.domain.catalog.normalize import fold
from scripts.catalog.checks import Document, duplicate_people
from scripts.catalog.sources import Raw, add_source

__all__ = ["merge_duplicates", "merge_people", "tidy_memberships"]


def _keeper(a: Raw, b: Raw) -> tuple[Raw, Raw]:
    """Return (kept, merged): a soloist beats a member; then Wikidata-linked; then curated."""

    def rank(e: Raw) -> tuple[int, int, int]:
        return (e["type"] != "soloist", not e.get("wikidata_id"), e["origin"] != "curated")

    return (a, b) if rank(a) <= rank(b) else (b, a)


def merge_people(doc: Document, one: str, other: str) -> str:
    """Merge two person records into one; return the id that remains."""
    keep, gone = _keeper(doc.entries[one], doc.entries[other])
    names = {fold(n) for n in (keep["name"], keep.get("name_hangul"), *keep["aliases"]) if n}
    for alias in (gone["name"], *gone["aliases"]):
        if fold(alias) not in names:
            keep["aliases"].append(alias)
            names.add(fold(alias))
    for field in ("wikidata_id", "birth_year", "birth_name", "birth_name_hangul"):
        if not keep.get(field) and gone.get(field):
            keep[field] = gone[field]
    for fact, sources in gone.get("fact_sources", {}).items():
        keep["fact_sources"].setdefault(fact, sources)
    for source in gone["sources"]:
        add_source(keep, source)
    for m in doc.memberships:
        if m["person"] == gone["id"]:
            m["person"] = keep["id"]
    del doc.entries[gone["id"]]
    return str(keep["id"])


def merge_duplicates(doc: Document) -> int:
    """Merge every pair the duplicate check finds, until none is left; return how many."""
    merged = 0
    while pairs := duplicate_people(doc):
        for a, b in pairs:
            if a in doc.entries and b in doc.entries:
                merge_people(doc, a, b)
                merged += 1
    tidy_memberships(doc)
    return merged


def tidy_memberships(doc: Document) -> None:
    """Drop repeated memberships, and "unstated" ones where a source already dates the person."""
    stated = {(m["person"], m["act"]) for m in doc.memberships if m["status"] != "unstated"}
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for m in doc.memberships:
        key = (m["person"], m["act"], m["status"])
        if key in seen or (m["status"] == "unstated" and (m["person"], m["act"]) in stated):
            continue
        seen.add(key)
        kept.append(m)
    doc.memberships[:] = kept
