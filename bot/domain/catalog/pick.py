"""One rule for what an artist option names: an exact entry, a choice, a near miss, or nothing.

Every command that takes an artist (`/artist`, `/aliases add`, `/spaces follow`, `/spaces
announce`, `/party schedule`...) reads it here, so none of them silently uses a guess: an exact
name, a known alias (the catalog's or this server's) or an autocomplete-picked id is accepted
(commands that follow X accounts read an @handle before this); a near miss ("OT7",
"blakpink") is only suggested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.domain.catalog.model import Entry
from bot.domain.catalog.search import ID_PREFIX, Catalog, lookup

__all__ = ["SUGGESTIONS", "ArtistPick", "PickKind", "choice_labels", "pick_artist"]

PickKind = Literal["found", "choose", "near", "none"]
SUGGESTIONS = 5  # names a "Did you mean" offers at most


@dataclass(frozen=True, slots=True)
class ArtistPick:
    """What an artist option names.

    `found`: exactly one entry (`entries[0]`); `choose`: several entries share that exact name
    or alias; `near`: no entry has that name, `entries` are the likeliest ones, best first;
    `none`: nothing is close, `entries` may hold distant suggestions. `likely` counts the
    leading entries that are the best guesses (one for "OT7"; "black" has several).
    """

    kind: PickKind
    query: str
    entries: tuple[Entry, ...] = ()
    likely: int = 1

    @property
    def entry(self) -> Entry | None:
        """Return the entry the option names exactly, else None."""
        return self.entries[0] if self.kind == "found" else None


def pick_artist(
    catalog: Catalog,
    text: str,
    *,
    extra_aliases: Mapping[str, str] | None = None,
    keep: Callable[[Entry], bool] | None = None,
) -> ArtistPick:
    """Read an artist option by the one rule every command shares.

    In order: an `id:` value picked from autocomplete; an exact name, Hangul name, alias or
    server alias (several entries sharing it: a choice); a bare entry id (older autocomplete
    values). X handles are the caller's to read first (bot.services.spaces.accounts). A fuzzy
    or prefix best match is never `found`: it comes back as `near` with up to SUGGESTIONS
    entries. `keep` filters what is
    suggested (say, acts with X accounts); it never refuses an exact name. Never raises.
    """
    resolution = lookup(catalog, text, extra_aliases=extra_aliases)
    top = resolution.matches[0] if resolution.matches else None
    if resolution.kind == "exact" and top is not None:
        return ArtistPick("found", text, (top.entry,))
    exact_kinds = ("exact", "alias", "server-alias")
    if resolution.kind == "ambiguous" and top is not None and top.kind in exact_kinds:
        return ArtistPick("choose", text, _unique(m.entry for m in resolution.matches))
    raw = text.strip().removeprefix(ID_PREFIX)
    if (entry := catalog.get(raw)) is not None:
        return ArtistPick("found", text, (entry,))
    best = [m.entry for m in resolution.matches if keep is None or keep(m.entry)]
    close = list(best)
    if resolution.kind in ("fuzzy", "ambiguous"):
        close += [m.entry for m in catalog.search(text, extra_aliases=extra_aliases, limit=10)]
    suggested = tuple(e for e in _unique(close) if keep is None or keep(e))[:SUGGESTIONS]
    likely = max(1, min(len(_unique(best)), len(suggested)))
    if resolution.kind in ("fuzzy", "ambiguous") and best:
        return ArtistPick("near", text, suggested, likely)
    return ArtistPick("none", text, suggested, likely)


def choice_labels(catalog: Catalog, entries: Sequence[Entry]) -> list[str]:
    """Name each entry so that no two read the same: its label, then its debut year if needed.

    "Jimin · 지민 · soloist (BTS)" and "Jimin · member of AOA"; two acts whose labels still
    match are told apart by their debut year ("debut 2016"), or their id when no year is known.
    """
    base = [catalog.label(e) for e in entries]
    labels = list(base)
    for i, entry in enumerate(entries):
        if base.count(base[i]) > 1:
            year = entry.debut_date.year if entry.debut_date else entry.debut_year
            labels[i] += f" · debut {year}" if year else f" · {entry.id}"
    return labels


def _unique(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.id, entry)
    return tuple(seen.values())
