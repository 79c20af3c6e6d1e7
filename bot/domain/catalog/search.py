"""Find acts and members by any name fans type: exact, prefix, then fuzzy (rapidfuzz).

Every name, Hangul name, alias and "member + group" phrase is folded once at load into a search
key (see normalize.py), so a query costs one dictionary probe, one bisect for prefixes and one
rapidfuzz scan in C over the unique keys.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.domain.catalog.model import Entry, Membership
from bot.domain.catalog.normalize import MAX_QUERY_CHARS, search_key

__all__ = [
    "AUTOCOMPLETE_LIMIT",
    "CONFIDENT_SCORE",
    "ID_PREFIX",
    "Catalog",
    "Match",
    "MatchKind",
    "Resolution",
    "ResolutionKind",
    "lookup",
]

MatchKind = Literal["exact", "alias", "server-alias", "prefix", "fuzzy"]
ResolutionKind = Literal["exact", "fuzzy", "ambiguous", "none"]

AUTOCOMPLETE_LIMIT = 25
# Autocomplete values carry this prefix, so a picked choice never collides with typed text.
ID_PREFIX = "id:"
CHOICE_NAME_LIMIT = 100
CONFIDENT_SCORE = 80.0
# Two candidates closer than this are a coin toss: the person chooses.
AMBIGUITY_MARGIN = 2.0
SUGGEST_RATIO = 55.0
FUZZY_WEIGHT = 0.95  # keeps a near miss (ratio < 100) below every prefix hit
PREFIX_CAP = 300  # "a" prefixes thousands of keys; the shortest few are the useful ones

_SCORE_EXACT = 100.0
_SCORE_ALIAS = 99.0
_TYPE_RANK = {"group": 0, "unit": 1, "soloist": 2, "member": 3}
_KIND_RANK = {"server-alias": 0, "exact": 1, "alias": 2, "prefix": 3, "fuzzy": 4}


@dataclass(frozen=True, slots=True)
class Match:
    """One entry found for a query: its score (0-100) and the name that matched."""

    entry: Entry
    score: float
    matched_on: str
    kind: MatchKind = "fuzzy"


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a free-text query means: one act, a choice to make, or nothing (with suggestions)."""

    kind: ResolutionKind
    query: str
    matches: tuple[Match, ...] = ()

    @property
    def entry(self) -> Entry | None:
        """Return the entry the query names exactly (a name or alias), else None.

        A confident near miss ("fuzzy") is a guess, not an answer: see `best`, and
        bot.domain.catalog.pick for what commands do with one.
        """
        return self.matches[0].entry if self.kind == "exact" else None

    @property
    def best(self) -> Entry | None:
        """Return the likeliest entry, exact or a confident near miss, else None."""
        return self.matches[0].entry if self.kind in ("exact", "fuzzy") else None


@dataclass(slots=True)
class _Ref:
    index: int
    text: str
    primary: bool


@dataclass(slots=True)
class _Hit:
    score: float
    kind: MatchKind
    text: str = field(default="")


class Catalog:
    """The indexed catalog: lookups by id and relation, search, autocomplete and resolution."""

    def __init__(
        self,
        entries: Iterable[Entry],
        memberships: Iterable[Membership] = (),
        *,
        generated_at: str | None = None,
    ) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.memberships: tuple[Membership, ...] = tuple(memberships)
        self.generated_at = generated_at
        self._by_id = {e.id: e for e in self.entries}
        self._of_act: dict[str, list[Membership]] = {}
        self._of_person: dict[str, list[Membership]] = {}
        for m in self.memberships:
            self._of_act.setdefault(m.act, []).append(m)
            self._of_person.setdefault(m.person, []).append(m)
        self._index_of = {e.id: i for i, e in enumerate(self.entries)}
        self._rank = [
            (_TYPE_RANK[e.type], e.origin != "curated", len(e.name), e.name.casefold())
            for e in self.entries
        ]
        refs: dict[str, list[_Ref]] = {}
        for index, entry in enumerate(self.entries):
            for text, primary in self._names_of(entry):
                key = search_key(text)
                if key:
                    bucket = refs.setdefault(key, [])
                    if all(r.index != index for r in bucket):
                        bucket.append(_Ref(index, text, primary))
        self._keys: list[str] = list(refs)
        self._refs: list[list[_Ref]] = [refs[k] for k in self._keys]
        self._key_pos = {k: i for i, k in enumerate(self._keys)}
        self._sorted = sorted(self._keys)
        self._units: dict[str, list[Entry]] = {}
        for entry in self.entries:
            if entry.type == "unit" and entry.group_id is not None:
                self._units.setdefault(entry.group_id, []).append(entry)
        self._defaults = [e for e in self.entries if e.is_act][:AUTOCOMPLETE_LIMIT]

    def __len__(self) -> int:
        return len(self.entries)

    def _names_of(self, entry: Entry) -> list[tuple[str, bool]]:
        names = [(entry.name, True)]
        names += [(n, True) for n in (entry.name_hangul,) if n]
        names += [(a, False) for a in entry.aliases]
        names += [(n, False) for n in (entry.birth_name, entry.birth_name_hangul) if n]
        if entry.type == "member":
            # "got7 mark" and "mark got7" pick one Mark out of many.
            for m in self._of_person.get(entry.id, ()):
                group = self._by_id.get(m.act)
                if group is not None:
                    names.append((f"{group.name} {entry.name}", False))
                    names.append((f"{entry.name} {group.name}", False))
        return names

    # Lookups ---------------------------------------------------------------------------------

    def get(self, entry_id: str) -> Entry | None:
        """Return the entry with this id, or None."""
        return self._by_id.get(entry_id)

    def lineup(self, act_id: str) -> list[tuple[Membership, Entry]]:
        """Return every membership of an act with its person, in the source's order."""
        return [(m, self._by_id[m.person]) for m in self._of_act.get(act_id, ())]

    def members_of(self, group_id: str) -> list[Entry]:
        """Return the people a source calls current members of a group or unit."""
        return [p for m, p in self.lineup(group_id) if m.status == "current"]

    def former_members_of(self, group_id: str) -> list[Entry]:
        """Return the former members of a group or unit, in the listed order."""
        return [p for m, p in self.lineup(group_id) if m.status == "former"]

    def memberships_of(self, person: Entry) -> list[tuple[Membership, Entry]]:
        """Return a person's memberships with their acts: current, unstated, then former."""
        order = {"current": 0, "unstated": 1, "former": 2}
        found = [(m, self._by_id[m.act]) for m in self._of_person.get(person.id, ())]
        return sorted(found, key=lambda pair: (order[pair[0].status], -(pair[0].start or 0)))

    def units_of(self, group_id: str) -> list[Entry]:
        """Return the units whose parent is this group."""
        return list(self._units.get(group_id, ()))

    def groups_of(self, entry: Entry) -> list[Entry]:
        """Return the groups and units a person belongs to (current first, then former)."""
        ids = dict.fromkeys(act.id for _, act in self.memberships_of(entry))
        if entry.type == "soloist" and entry.group_id:
            ids = dict.fromkeys((entry.group_id, *ids))
        return [self._by_id[i] for i in ids if i in self._by_id]

    def with_x_handles(self) -> list[Entry]:
        """Return every entry that has at least one official X handle."""
        return [e for e in self.entries if e.x_handles]

    # Search ----------------------------------------------------------------------------------

    def search(
        self, query: str, *, extra_aliases: Mapping[str, str] | None = None, limit: int = 25
    ) -> list[Match]:
        """Return up to `limit` entries matching `query`, best first, exact matches always first."""
        key = search_key(query[: MAX_QUERY_CHARS * 2])
        if not key or limit <= 0:
            return []
        hits: dict[int, _Hit] = {}
        self._match_server_aliases(key, extra_aliases or {}, hits)
        self._match_keys(key, hits)
        ordered = sorted(hits.items(), key=lambda item: self._order(item[0], item[1]))
        return [
            Match(self.entries[i], round(h.score, 1), h.text, h.kind) for i, h in ordered[:limit]
        ]

    def _order(self, index: int, hit: _Hit) -> tuple[object, ...]:
        return (-hit.score, _KIND_RANK[hit.kind], self._rank[index])

    @staticmethod
    def _offer(hits: dict[int, _Hit], index: int, hit: _Hit) -> None:
        old = hits.get(index)
        if old is None or (hit.score, -_KIND_RANK[hit.kind]) > (old.score, -_KIND_RANK[old.kind]):
            hits[index] = hit

    def _match_keys(self, key: str, hits: dict[int, _Hit]) -> None:
        pos = self._key_pos.get(key)
        if pos is not None:
            for ref in self._refs[pos]:
                hit = (
                    _Hit(_SCORE_EXACT, "exact", ref.text)
                    if ref.primary
                    else _Hit(_SCORE_ALIAS, "alias", ref.text)
                )
                self._offer(hits, ref.index, hit)
        start = bisect.bisect_left(self._sorted, key)
        for candidate in self._sorted[start : start + PREFIX_CAP]:
            if not candidate.startswith(key):
                break
            if candidate == key:
                continue
            score = 90.0 + 8.0 * len(key) / len(candidate)
            for ref in self._refs[self._key_pos[candidate]]:
                self._offer(hits, ref.index, _Hit(score, "prefix", ref.text))
        found = process.extract(
            key,
            self._keys,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=SUGGEST_RATIO,
            limit=64,
        )
        for candidate, ratio, pos in found:
            if ratio >= 100.0:
                continue
            score = _fuzzy_score(key, candidate, ratio)
            for ref in self._refs[pos]:
                self._offer(hits, ref.index, _Hit(score, "fuzzy", ref.text))

    def _match_server_aliases(
        self, key: str, aliases: Mapping[str, str], hits: dict[int, _Hit]
    ) -> None:
        if not aliases:
            return
        for alias_key, entry_id in aliases.items():
            index = self._index_of.get(entry_id)
            if index is None or not alias_key:
                continue
            if alias_key == key:
                self._offer(hits, index, _Hit(_SCORE_EXACT, "server-alias", alias_key))
            elif alias_key.startswith(key):
                score = 90.0 + 8.0 * len(key) / len(alias_key)
                self._offer(hits, index, _Hit(score, "prefix", alias_key))
            else:
                ratio = fuzz.ratio(key, alias_key, score_cutoff=SUGGEST_RATIO)
                if ratio:
                    score = _fuzzy_score(key, alias_key, ratio)
                    self._offer(hits, index, _Hit(score, "fuzzy", alias_key))

    # Autocomplete and resolution -------------------------------------------------------------

    def autocomplete(
        self,
        query: str,
        extra_aliases: Mapping[str, str] | None = None,
        limit: int = AUTOCOMPLETE_LIMIT,
    ) -> list[tuple[str, str]]:
        """Return up to 25 (label ≤ 100 chars, entry id) choices for what has been typed so far."""
        limit = max(0, min(limit, AUTOCOMPLETE_LIMIT))
        if not search_key(query[: MAX_QUERY_CHARS * 2]):
            return [(self.label(e), e.id) for e in self._defaults[:limit]]
        found = self.search(query, extra_aliases=extra_aliases, limit=limit)
        return [(self.label(m.entry), m.entry.id) for m in found]

    def label(self, entry: Entry) -> str:
        """Return a one-line label naming the entry unambiguously (≤ 100 chars)."""
        parts = [entry.name]
        if entry.name_hangul and entry.name_hangul != entry.name:
            parts.append(entry.name_hangul)
        if entry.type == "member":
            groups = self.groups_of(entry)
            parts.append("member of " + ", ".join(g.name for g in groups[:3]))
        elif entry.group_id and (parent := self._by_id.get(entry.group_id)) is not None:
            parts.append(f"{entry.type} ({parent.name})")
        else:
            parts.append(entry.type)
        text = " · ".join(parts)
        return text if len(text) <= CHOICE_NAME_LIMIT else text[: CHOICE_NAME_LIMIT - 1] + "…"

    def resolve(
        self, query: str, *, extra_aliases: Mapping[str, str] | None = None, choices: int = 10
    ) -> Resolution:
        """Decide whether `query` names one entry, needs a choice, or matches nothing."""
        matches = self.search(query, extra_aliases=extra_aliases, limit=max(choices, 5))
        if not matches:
            return Resolution("none", query)
        top = matches[0]
        if top.kind == "server-alias":
            return Resolution("exact", query, (top,))
        if top.kind in ("exact", "alias"):
            tied = _tied(matches, lambda m: m.kind == top.kind)
            return Resolution("exact" if len(tied) == 1 else "ambiguous", query, tied)
        if top.score < CONFIDENT_SCORE:
            return Resolution("none", query, tuple(matches[:5]))
        tied = _tied(matches, lambda m: m.score >= top.score - AMBIGUITY_MARGIN)
        return Resolution("fuzzy" if len(tied) == 1 else "ambiguous", query, tied[:choices])


def _fuzzy_score(key: str, candidate: str, ratio: float) -> float:
    """Score a near miss; one slip (a swap, a wrong or missing letter) in 4+ letters is confident.

    The indel ratio alone punishes a swapped pair ("twcie") as two edits, and a single slip in a
    short name costs a large fraction of it; counting edits (OSA distance) fixes both.
    """
    edits = OSA.distance(key, candidate, score_cutoff=2)
    typo = 100.0 - 10.0 * edits if edits <= 2 and len(key) >= 4 * edits else 0.0
    return max(ratio, typo) * FUZZY_WEIGHT


def lookup(
    catalog: Catalog, text: str, *, extra_aliases: Mapping[str, str] | None = None
) -> Resolution:
    """Resolve a command option: an `id:` value picked from autocomplete, or free text."""
    if text.startswith(ID_PREFIX):
        entry = catalog.get(text.removeprefix(ID_PREFIX))
        if entry is not None:
            return Resolution("exact", text, (Match(entry, 100.0, entry.name, "exact"),))
    return catalog.resolve(text, extra_aliases=extra_aliases)


def _tied(matches: Sequence[Match], same: Callable[[Match], bool]) -> tuple[Match, ...]:
    return tuple(m for m in matches if same(m))
