"""Typed MusicBrainz results and the tolerant parsers that build them from the JSON web service.

Only CC0 core data is kept (names, aliases, type, dates, country, members): tags, ratings and
genres are user-contributed and not CC0, so they are dropped at the door. Strings are trimmed and
capped here; escaping for Discord is the renderer's job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

MBID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# MusicBrainz partial dates: YYYY, YYYY-MM or YYYY-MM-DD.
_DATE_RE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+")

MAX_TEXT = 200
MAX_ITEMS = 25
ARTIST_URL = "https://musicbrainz.org/artist/{mbid}"
# Misspellings MusicBrainz keeps for its search only; they would look like errors on a card.
_HIDDEN_ALIAS_TYPES = frozenset({"search hint"})


class MBFormatError(ValueError):
    """A MusicBrainz document lacks what every documented response has (id, name)."""


@dataclass(frozen=True, slots=True)
class MBSearchHit:
    """One row of an artist search; `score` is MusicBrainz's 0-100 match quality."""

    mbid: str
    name: str
    score: int
    sort_name: str | None
    type: str | None
    country: str | None
    disambiguation: str | None


@dataclass(frozen=True, slots=True)
class MBArtist:
    """An artist's CC0 core data from a lookup; members are current ones first, then former."""

    mbid: str
    name: str
    sort_name: str | None
    type: str | None
    country: str | None
    begin: str | None
    end: str | None
    disambiguation: str | None
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    url: str


def _text(value: object, limit: int = MAX_TEXT) -> str | None:
    """Return a trimmed, capped, control-free string, or None for anything else or blank."""
    if not isinstance(value, str):
        return None
    cleaned = " ".join(_CONTROL_RE.sub(" ", value).split())
    if not cleaned:
        return None
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _mbid(value: object) -> str | None:
    if isinstance(value, str) and MBID_RE.fullmatch(value.strip().lower()):
        return value.strip().lower()
    return None


def _date(value: object) -> str | None:
    if isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        return value.strip()
    return None


def _country(value: object) -> str | None:
    # ISO 3166-1 alpha-2 plus MusicBrainz's XW (worldwide) / XE (Europe).
    if isinstance(value, str) and re.fullmatch(r"[A-Z]{2}", value.strip()):
        return value.strip()
    return None


def _dicts(value: object) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _score(value: object) -> int:
    # Older MusicBrainz versions sent the score as a string ("100").
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(0, min(100, value))
    if isinstance(value, str) and value.strip().isdigit():
        return max(0, min(100, int(value.strip())))
    return 0


def parse_search(payload: object) -> list[MBSearchHit]:
    """Build hits from `/artist?query=` JSON, skipping malformed rows; raise MBFormatError."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("artists"), list):
        raise MBFormatError("search response has no 'artists' list")
    hits: list[MBSearchHit] = []
    for row in _dicts(payload["artists"]):
        mbid = _mbid(row.get("id"))
        name = _text(row.get("name"))
        if mbid is None or name is None:
            continue
        hits.append(
            MBSearchHit(
                mbid=mbid,
                name=name,
                score=_score(row.get("score")),
                sort_name=_text(row.get("sort-name")),
                type=_text(row.get("type"), 40),
                country=_country(row.get("country")),
                disambiguation=_text(row.get("disambiguation")),
            )
        )
    return hits


def _aliases(rows: list[Mapping[str, Any]], name: str) -> tuple[str, ...]:
    # Primary aliases (the official name in a locale, e.g. the Hangul name) come first.
    ordered = sorted(rows, key=lambda a: a.get("primary") is not True)
    seen = {name.casefold()}
    out: list[str] = []
    for alias in ordered:
        alias_type = alias.get("type")
        if isinstance(alias_type, str) and alias_type.casefold() in _HIDDEN_ALIAS_TYPES:
            continue
        text = _text(alias.get("name"))
        if text is None or text.casefold() in seen:
            continue
        seen.add(text.casefold())
        out.append(text)
        if len(out) == MAX_ITEMS:
            break
    return tuple(out)


def _members(relations: list[Mapping[str, Any]]) -> tuple[str, ...]:
    # A group's members are the "member of band" relations pointing at it (direction backward);
    # one person can have several rows (two stints, vocals + instrument), current if any is open.
    current: dict[str, str] = {}
    former: dict[str, str] = {}
    for rel in relations:
        if rel.get("type") != "member of band" or rel.get("direction") != "backward":
            continue
        artist = rel.get("artist")
        if not isinstance(artist, Mapping):
            continue
        mbid = _mbid(artist.get("id"))
        name = _text(artist.get("name"))
        if mbid is None or name is None:
            continue
        ended = rel.get("ended") is True or _date(rel.get("end")) is not None
        if ended:
            if mbid not in current:
                former.setdefault(mbid, name)
        else:
            former.pop(mbid, None)
            current.setdefault(mbid, name)
    return tuple([*current.values(), *former.values()][:MAX_ITEMS])


def parse_artist(payload: object) -> MBArtist:
    """Build an MBArtist from `/artist/<mbid>?inc=aliases+artist-rels` JSON; raise MBFormatError."""
    if not isinstance(payload, Mapping):
        raise MBFormatError("artist response is not an object")
    mbid = _mbid(payload.get("id"))
    name = _text(payload.get("name"))
    if mbid is None or name is None:
        raise MBFormatError("artist response lacks a valid id or name")
    life = payload.get("life-span")
    life_span: Mapping[str, Any] = life if isinstance(life, Mapping) else {}
    return MBArtist(
        mbid=mbid,
        name=name,
        sort_name=_text(payload.get("sort-name")),
        type=_text(payload.get("type"), 40),
        country=_country(payload.get("country")),
        begin=_date(life_span.get("begin")),
        end=_date(life_span.get("end")),
        disambiguation=_text(payload.get("disambiguation")),
        aliases=_aliases(_dicts(payload.get("aliases")), name),
        members=_members(_dicts(payload.get("relations"))),
        url=ARTIST_URL.format(mbid=mbid),
    )


def artist_to_json(artist: MBArtist) -> str:
    """Serialize an artist for the cache."""
    return json.dumps(asdict(artist), ensure_ascii=False, separators=(",", ":"))


def artist_from_json(text: str) -> MBArtist | None:
    """Rebuild a cached artist, or return None if the stored text is not one (treat as a miss)."""
    try:
        data = json.loads(text)
    except (ValueError, TypeError):
        return None
    if not isinstance(data, Mapping):
        return None
    mbid = _mbid(data.get("mbid"))
    name = _text(data.get("name"))
    aliases = data.get("aliases")
    members = data.get("members")
    if mbid is None or name is None or not isinstance(aliases, list):
        return None
    if not isinstance(members, list):
        return None
    return MBArtist(
        mbid=mbid,
        name=name,
        sort_name=_text(data.get("sort_name")),
        type=_text(data.get("type"), 40),
        country=_country(data.get("country")),
        begin=_date(data.get("begin")),
        end=_date(data.get("end")),
        disambiguation=_text(data.get("disambiguation")),
        aliases=tuple(t for t in (_text(a) for a in aliases[:MAX_ITEMS]) if t),
        members=tuple(t for t in (_text(m) for m in members[:MAX_ITEMS]) if t),
        url=ARTIST_URL.format(mbid=mbid),
    )
