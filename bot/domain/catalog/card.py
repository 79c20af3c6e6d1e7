"""What an artist card says, as plain data: the cog only turns it into a Discord embed.

Facts that age say so ("as of"), generations are labelled a fan convention, and a debut shown
without a day is a year (or month) because the exact date is not verified.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.clients.musicbrainz_models import MBArtist
    from bot.domain.catalog.model import Entry
    from bot.domain.catalog.search import Catalog

__all__ = ["CardSpec", "artist_card", "debut_text", "musicbrainz_card", "source_link"]

FIELD_LIMIT = 1024
DESCRIPTION_LIMIT = 4096
MB_ATTRIBUTION = "From MusicBrainz (CC0)"
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MARKDOWN = re.compile(r"([\\*_~`|>#\[\]()])")
_GITHUB = re.compile(r"^github:(?P<repo>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{7,40}):(?P<path>\S+)")


@dataclass(frozen=True, slots=True)
class CardSpec:
    """An embed's content: title, description, (name, value, inline) fields and footer."""

    title: str
    description: str
    fields: list[tuple[str, str, bool]] = field(default_factory=list)
    footer: str = ""
    url: str | None = None


def md(text: str) -> str:
    """Return `text` with Discord markdown characters escaped."""
    return _MARKDOWN.sub(r"\\\1", text)


def ordinal(n: int) -> str:
    """Return 1st, 2nd, 3rd, 4th... for n."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def years_between(start: dt.date, today: dt.date) -> int:
    """Return whole years from `start` to `today`."""
    return today.year - start.year - ((today.month, today.day) < (start.month, start.day))


def discord_date(day: dt.date) -> str:
    """Return a Discord timestamp showing `day` in each reader's locale."""
    # Noon UTC keeps the shown day the same from UTC-11 to UTC+11 (midnight would slip a day).
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    return f"<t:{int(moment.timestamp())}:D>"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def debut_text(entry: Entry, today: dt.date) -> str | None:
    """Return the debut line: a Discord date and "N years ago", or the year where that is all."""
    if entry.debut_date is not None:
        years = years_between(entry.debut_date, today)
        ago = "this year" if years == 0 else f"{_plural(years, 'year')} ago"
        return f"{discord_date(entry.debut_date)} ({ago})"
    if entry.debut_year is None:
        return None
    years = today.year - entry.debut_year
    ago = "this year" if years <= 0 else f"about {_plural(years, 'year')} ago"
    when = str(entry.debut_year)
    if entry.debut_month is not None:
        when = f"{_MONTHS[entry.debut_month - 1]} {entry.debut_year}"
    return f"{when} ({ago}; exact date not verified)"


def source_link(source: str) -> str:
    """Render one source as a short markdown link (datasets link to the exact commit)."""
    found = _GITHUB.match(source)
    if found:
        repo, commit, path = found["repo"], found["commit"], found["path"]
        url = f"https://github.com/{repo}/blob/{commit}/{path}"
        return f"[{md(repo)} {md(path.rsplit('/', 1)[-1])}]({url})"
    if source.startswith(("http://", "https://")):
        host = re.sub(r"^https?://(www\.)?", "", source).split("/", 1)[0]
        return f"[{md(host)}]({source.replace(')', '%29')})"
    return md(source)


def _join_limited(items: list[str], limit: int = FIELD_LIMIT, sep: str = ", ") -> str:
    out: list[str] = []
    used = 0
    for i, item in enumerate(items):
        tail = f"{sep}… and {len(items) - i} more"
        if used + len(item) + len(sep) + len(tail) > limit:
            return sep.join(out) + tail
        out.append(item)
        used += len(item) + len(sep)
    return sep.join(out)


def _kind_line(catalog: Catalog, entry: Entry) -> str:
    if entry.type == "member":
        groups = catalog.groups_of(entry)
        current = [md(g.name) for g in groups if g.id in entry.group_ids]
        former = [md(g.name) for g in groups if g.id in entry.former_group_ids]
        parts = []
        if current:
            parts.append("Member of **" + "**, **".join(current) + "**")
        if former:
            parts.append("former member of **" + "**, **".join(former) + "**")
        return "; ".join(parts) or "Member"
    kind = entry.type.capitalize()
    if entry.group_id and (parent := catalog.get(entry.group_id)) is not None:
        relation = "unit of" if entry.type == "unit" else "member of"
        return f"{kind} · {relation} **{md(parent.name)}**"
    return kind


def artist_card(catalog: Catalog, entry: Entry, today: dt.date) -> CardSpec:
    """Return the card for one catalog entry."""
    title = entry.name
    if entry.name_hangul and entry.name_hangul != entry.name:
        title = f"{entry.name} · {entry.name_hangul}"
    lines = [_kind_line(catalog, entry)]
    if entry.birth_name:
        birth = entry.birth_name
        if entry.birth_name_hangul:
            birth += f" ({entry.birth_name_hangul})"
        lines.append(f"Birth name: {md(birth)}")
    if entry.aliases:
        lines.append("Also known as: " + md(", ".join(entry.aliases[:8])))
    spec = CardSpec(title=title[:256], description="\n".join(lines)[:DESCRIPTION_LIMIT])
    add = spec.fields.append
    if (debut := debut_text(entry, today)) is not None:
        add(("Solo debut" if entry.debut_note == "solo debut" else "Debut", debut, True))
    if entry.agency:
        when, note = split_as_of(entry.agency_as_of)
        stamp = f"as of {when}" if when else (note or "date unknown")
        add(("Agency", f"{md(entry.agency)}\n*{md(stamp)}*", True))
    if entry.fandom:
        add(("Fandom", md(entry.fandom), True))
    if entry.generation is not None:
        text = f"{ordinal(entry.generation)} generation (a fan convention"
        text += ", disputed)" if entry.generation_disputed else ")"
        add(("Generation", text, True))
    _relations(catalog, entry, add)
    if entry.x_handles:
        handles = [
            f"[{md(h.handle)}]({h.url})" + (f" — {md(h.note)}" if h.note else "")
            for h in entry.x_handles
        ]
        add(("Official X", _join_limited(handles, sep="\n"), False))
    add(("Sources", _join_limited([source_link(s) for s in entry.sources], sep="\n"), False))
    return CardSpec(
        title=spec.title,
        description=spec.description,
        fields=spec.fields[:25],
        footer=f"Catalog entry {entry.id} · line-ups and agencies change; facts carry sources",
    )


_AS_OF = re.compile(r"^\s*(\d{4}(?:-\d{2}){0,2})\s*(?:\((.*)\))?\s*$")


def split_as_of(text: str | None) -> tuple[str | None, str | None]:
    """Split an "as of" note like "2023-06 (dbkpop snapshot)" into its date and its remark."""
    if not text:
        return None, None
    match = _AS_OF.match(text)
    if match:
        return match.group(1), match.group(2)
    return None, text


def _relations(
    catalog: Catalog, entry: Entry, adder: Callable[[tuple[str, str, bool]], None]
) -> None:
    when, note = split_as_of(entry.members_as_of)
    as_of = f" (as of {when})" if when else ""
    footnote = f"\n*{md(note)}*" if note else ""
    if entry.members:
        names = [md(m.name) for m in catalog.members_of(entry.id)]
        adder((f"Members{as_of}"[:256], _join_limited(names) + footnote, False))
    if entry.former_members:
        names = [md(m.name) for m in catalog.former_members_of(entry.id)]
        adder((f"Former members{as_of}"[:256], _join_limited(names) + footnote, False))
    if units := catalog.units_of(entry.id):
        adder(("Units", _join_limited([md(u.name) for u in units]), False))
    if entry.type == "soloist":
        groups = [md(g.name) for g in catalog.groups_of(entry)]
        if groups:
            adder(("Groups", _join_limited(groups), False))


def musicbrainz_card(artist: MBArtist) -> CardSpec:
    """Return the card for an act only MusicBrainz knows: names, type, dates, members, link."""
    lines = [MB_ATTRIBUTION + " — not in Lightstick's catalog"]
    if artist.disambiguation:
        lines.append(md(artist.disambiguation))
    if artist.aliases:
        lines.append("Also known as: " + md(", ".join(artist.aliases[:8])))
    spec = CardSpec(
        title=artist.name[:256],
        description="\n".join(lines)[:DESCRIPTION_LIMIT],
        url=artist.url,
        footer=f"{MB_ATTRIBUTION} · musicbrainz.org",
    )
    if artist.type:
        spec.fields.append(("Type", md(artist.type), True))
    if artist.begin:
        spec.fields.append(("Began", md(artist.begin), True))
    if artist.end:
        spec.fields.append(("Ended", md(artist.end), True))
    if artist.members:
        spec.fields.append(("Members", _join_limited([md(m) for m in artist.members]), False))
    spec.fields.append(("MusicBrainz", f"[Open on musicbrainz.org]({artist.url})", False))
    return spec
