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
    from bot.domain.catalog.model import Entry, Membership
    from bot.domain.catalog.search import Catalog

__all__ = [
    "CardSpec",
    "Citations",
    "agency_text",
    "artist_card",
    "debut_text",
    "musicbrainz_card",
    "source_date",
    "source_link",
    "source_name",
]

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


_TRAILER = re.compile(r"^(?P<head>\S+)\s+\((?P<remark>[^()]*)\)\s*$")
_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def _split_source(source: str) -> tuple[str, str]:
    """Split "address (remark)" into the address and the remark ("" when there is none)."""
    found = _TRAILER.match(source)
    return (found["head"], found["remark"]) if found else (source, "")


def source_date(source: str) -> str | None:
    """Return the date a source carries (its snapshot, publication or reading date), if any."""
    dates = _DATE.findall(_split_source(source)[1])
    return dates[-1] if dates else None


def source_name(source: str) -> str:
    """Return a short human name for a source: "dbkpop", "Wikidata", or the web page's host."""
    head, _ = _split_source(source)
    if "Thunder-API/kpopapi" in head:
        return "dbkpop"
    if "kpopdle" in head:
        return "Wikidata" if head.endswith("idols.json") else "Wikipedia via Wikidata"
    if head.startswith(("http://", "https://")):
        return re.sub(r"^https?://(www\.|m\.)?", "", head).split("/", 1)[0]
    return head


def source_link(source: str) -> str:
    """Render one source as a short markdown link with its date (datasets link to the commit)."""
    head, remark = _split_source(source)
    date = source_date(source)
    tail = ""
    if date:
        tail = f" · read {date}" if remark.startswith("read") else f" · data of {date}"
    found = _GITHUB.match(head)
    if found:
        repo, commit, path = found["repo"], found["commit"], found["path"]
        url = f"https://github.com/{repo}/blob/{commit}/{path}"
        return f"[{md(repo)} {md(path.rsplit('/', 1)[-1])}]({url}){tail}"
    if head.startswith(("http://", "https://")):
        return f"[{md(source_name(head))}]({head.replace(')', '%29')}){tail}"
    return md(source) if not remark else f"{md(head)}{tail}"


class Citations:
    """Footnote numbers for the sources a card cites, in order of first use."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def cite(self, *sources: str) -> str:
        """Return " [1][2]" for these sources, numbering new ones as they come."""
        marks = []
        for source in dict.fromkeys(sources):
            number = self._numbers.setdefault(source, len(self._numbers) + 1)
            marks.append(f"[{number}]")
        return " " + "".join(marks) if marks else ""

    def field(self) -> str:
        """Return the "Sources" field: one numbered line per cited source, with its date."""
        lines = [f"[{n}] {source_link(s)}" for s, n in self._numbers.items()]
        return _join_limited(lines, sep="\n")


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


def _years(start: int | None, end: int | None) -> str:
    if start and end:
        return f"{start}–{end}" if start != end else str(start)
    if start:
        return f"since {start}"
    return f"until {end}" if end else ""


def _person_line(memberships: list[tuple[Membership, Entry]]) -> str:
    """Say what a person is in one line: current acts first; a list that does not say whether
    the person is still there is named as such, never as a current membership."""
    by_status: dict[str, list[str]] = {"current": [], "unstated": [], "former": []}
    for m, act in memberships:
        by_status[m.status].append(f"**{md(act.name)}**")
    if by_status["current"]:
        return "Member of " + ", ".join(by_status["current"])
    if by_status["unstated"]:
        return "Listed in " + ", ".join(by_status["unstated"]) + " (current or former not stated)"
    return "Former member of " + ", ".join(by_status["former"]) if by_status["former"] else "Idol"


def _parent_relation(catalog: Catalog, entry: Entry, parent: Entry) -> str:
    """Name how a unit or soloist stands to its parent group: a soloist who left the group (or
    whose list does not say) is never called a current member of it."""
    if entry.type == "unit":
        return "unit of"
    statuses = {m.status for m, act in catalog.memberships_of(entry) if act.id == parent.id}
    if not statuses or "current" in statuses:
        return "member of"
    if "former" in statuses:
        return "former member of"
    return "listed in"


def _kind_line(catalog: Catalog, entry: Entry, cite: Citations) -> str:
    if entry.type == "member":
        return _person_line(catalog.memberships_of(entry))
    kind = entry.type.capitalize()
    if entry.group_id and (parent := catalog.get(entry.group_id)) is not None:
        kind = f"{kind} · {_parent_relation(catalog, entry, parent)} **{md(parent.name)}**"
    if entry.disbanded:
        ended = entry.fact_sources.get("ended", ())
        if entry.ended_year is not None:
            month = f"{_MONTHS[entry.ended_month - 1]} " if entry.ended_month else ""
            kind += f" · disbanded in {month}{entry.ended_year}"
        else:
            kind += " · disbanded per " + ", ".join(md(source_name(s)) for s in ended)
        kind += cite.cite(*ended)
    return kind


def artist_card(catalog: Catalog, entry: Entry, today: dt.date) -> CardSpec:
    """Return the card for one catalog entry; every fact line carries its footnote numbers."""
    cite = Citations()
    facts = entry.fact_sources
    title = entry.name
    if entry.name_hangul and entry.name_hangul != entry.name:
        title = f"{entry.name} · {entry.name_hangul}"
    lines = [_kind_line(catalog, entry, cite)]
    if entry.name_hangul:
        lines.append(f"Hangul name: {md(entry.name_hangul)}{cite.cite(*facts['name_hangul'])}")
    if entry.birth_name:
        birth = entry.birth_name
        if entry.birth_name_hangul:
            birth += f" ({entry.birth_name_hangul})"
        lines.append(f"Birth name: {md(birth)}{cite.cite(*facts['birth_name'])}")
    if entry.aliases:
        lines.append("Also known as: " + md(", ".join(entry.aliases[:8])))
    spec = CardSpec(title=title[:256], description="\n".join(lines)[:DESCRIPTION_LIMIT])
    add = spec.fields.append
    if (debut := debut_text(entry, today)) is not None:
        name = "Solo debut" if entry.debut_note == "solo debut" else "Debut"
        add((name, debut + cite.cite(*facts["debut"]), True))
    if entry.agencies:
        add(("Agency", agency_text(entry, cite), True))
    if entry.fandom:
        add(("Fandom", md(entry.fandom) + cite.cite(*facts["fandom"]), True))
    if entry.generation is not None:
        text = f"{ordinal(entry.generation)} generation (a fan convention"
        text += ", disputed)" if entry.generation_disputed else ")"
        add(("Generation", text + cite.cite(*facts["generation"]), True))
    _relations(catalog, entry, add, cite)
    if entry.x_handles:
        handles = [
            f"[{md(h.handle)}]({h.url})"
            + (f" — {md(h.note)}" if h.note else "")
            + cite.cite(*h.sources)
            for h in entry.x_handles
        ]
        add(("Official X", _join_limited(handles, sep="\n"), False))
    add(("Sources", cite.field(), False))
    return CardSpec(
        title=spec.title,
        description=spec.description,
        fields=spec.fields[:25],
        footer="[n] marks each fact's source; line-ups change",
    )


def agency_text(entry: Entry, cite: Citations) -> str:
    """Return the label lines: "X (since 2024) [n]" or "X per SOURCE as of DATE [n]", and
    earlier labels with their years."""
    lines = []
    for span in entry.agencies:
        mark = cite.cite(span.source)
        if span.current and span.since is not None:
            lines.append(f"{md(span.label)} (since {span.since}){mark}")
        elif span.current:
            as_of = f" as of {span.as_of}" if span.as_of else " (undated)"
            lines.append(f"{md(span.label)} per {md(source_name(span.source))}{as_of}{mark}")
        else:
            years = _years(span.since, span.until) or f"until {span.as_of}"
            lines.append(f"earlier: {md(span.label)} ({years}){mark}")
    return _join_limited(lines, sep="\n")


def _lineup_field(
    title: str, pairs: list[tuple[Membership, Entry]], cite: Citations, with_years: bool
) -> tuple[str, str, bool]:
    names = []
    for m, person in pairs:
        years = _years(m.start, m.end) if with_years else ""
        names.append(md(person.name) + (f" ({years})" if years else ""))
    marks = cite.cite(*(m.source for m, _ in pairs))
    return (title[:256], _join_limited(names, limit=FIELD_LIMIT - len(marks)) + marks, False)


def _relations(
    catalog: Catalog,
    entry: Entry,
    adder: Callable[[tuple[str, str, bool]], None],
    cite: Citations,
) -> None:
    lineup = catalog.lineup(entry.id)
    current = [(m, p) for m, p in lineup if m.status == "current"]
    if current:
        snapshot = {(source_name(m.source), m.as_of) for m, _ in current if m.as_of}
        title = "Members"
        if len(snapshot) == 1:
            ((name, as_of),) = snapshot
            title = f"Members (per {name}, as of {as_of})"
        adder(_lineup_field(title, current, cite, with_years=False))
    unstated = [(m, p) for m, p in lineup if m.status == "unstated"]
    if unstated:
        names = sorted({source_name(m.source) for m, _ in unstated})
        title = f"Members per {', '.join(names)}, may include former members"
        adder(_lineup_field(title, unstated, cite, with_years=False))
    former = [(m, p) for m, p in lineup if m.status == "former"]
    if former:
        adder(_lineup_field("Former members", former, cite, with_years=True))
    if units := catalog.units_of(entry.id):
        adder(("Units", _join_limited([md(u.name) for u in units]), False))
    if entry.type in ("member", "soloist"):
        rows = []
        parent = catalog.get(entry.group_id) if entry.group_id else None
        listed = {act.id for _, act in catalog.memberships_of(entry)}
        if entry.type == "soloist" and parent is not None and parent.id not in listed:
            rows.append(f"**{md(parent.name)}**")
        for m, act in catalog.memberships_of(entry):
            rows.append(f"**{md(act.name)}** — {_membership_text(m)}{cite.cite(m.source)}")
        if rows:
            adder(("Groups and units", _join_limited(rows, sep="\n"), False))


def _membership_text(m: Membership) -> str:
    if m.status == "former":
        years = _years(m.start, m.end)
        return "former member" + (f", {years}" if years else "")
    if m.status == "unstated":
        return f"listed by {source_name(m.source)}; current or former not stated"
    since = f"since {m.start}" if m.start else ""
    as_of = f"as of {m.as_of}" if m.as_of else ""
    detail = ", ".join(x for x in (since, as_of) if x)
    return "member" + (f" ({detail})" if detail else "")


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
