"""The contradictions the build refuses, each found by one check and counted for the report.

Every check takes the catalog document (entries by id, memberships) and returns one line per
contradiction; the build prints the counts before and after its fixes and writes nothing while
any remain. The data test runs the same checks on the shipped file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from bot.domain.catalog.normalize import fold
from scripts.catalog.sources import KPOPDLE_IDOLS, Raw

__all__ = ["CHECKS", "Document", "report", "run_checks"]

_MARKUP = re.compile(r"\[\[|\]\]|\[https?:|\{\{|'''|<ref|<br|\(parent:")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
ALIAS_MARKUP = re.compile(r"\||\[\[|\]\]|\{\{|\}\}|'{3}")
GROUP_TYPES = ("group", "unit")
PERSON_TYPES = ("member", "soloist")


class Document:
    """Entries by id and the list of memberships: the shape the build fixes and checks."""

    def __init__(self, entries: dict[str, Raw], memberships: list[Raw]) -> None:
        self.entries = entries
        self.memberships = memberships

    @classmethod
    def from_file(cls, raw: Raw) -> Document:
        """Return the document of a catalog file, every field filled in (validates it first)."""
        from bot.domain.catalog.model import CatalogFile

        parsed = CatalogFile.model_validate(raw).model_dump(mode="json")
        return cls({e["id"]: e for e in parsed["entries"]}, parsed["memberships"])

    def acts(self) -> Iterable[Raw]:
        """Return the groups, units and soloists."""
        return (e for e in self.entries.values() if e["type"] != "member")

    def lineup(self, act_id: str) -> list[Raw]:
        """Return the memberships of one act."""
        return [m for m in self.memberships if m["act"] == act_id]

    def stage_names(self) -> dict[str, set[str]]:
        """Return each act's folded member names (every status)."""
        out: dict[str, set[str]] = defaultdict(set)
        for m in self.memberships:
            person = self.entries.get(m["person"])
            if person is not None:
                out[m["act"]].add(fold(person["name"]))
        return out


def current_and_former(doc: Document) -> list[str]:
    """A person both current and former in one act."""
    status: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in doc.memberships:
        status[m["person"], m["act"]].add(m["status"])
    return [f"{p} in {a}" for (p, a), s in status.items() if {"current", "former"} <= s]


def current_in_disbanded(doc: Document) -> list[str]:
    """A current member of an act that has disbanded."""
    return [
        f"{m['person']} in {m['act']}"
        for m in doc.memberships
        if m["status"] == "current" and doc.entries.get(m["act"], {}).get("disbanded")
    ]


def current_from_mixed_source(doc: Document) -> list[str]:
    """A "current" member resting on a list that mixes current and former members (Wikidata)."""
    return [
        f"{m['person']} in {m['act']}"
        for m in doc.memberships
        if m["status"] == "current" and m["source"] == KPOPDLE_IDOLS
    ]


def alias_shared(doc: Document) -> list[str]:
    """One alias on two acts: the same nickname cannot name both."""
    owners: dict[str, set[str]] = defaultdict(set)
    for act in doc.acts():
        for alias in act["aliases"]:
            owners[fold(alias)].add(act["id"])
    return [f"{k!r}: {sorted(ids)}" for k, ids in owners.items() if k and len(ids) > 1]


def alias_is_other_act_name(doc: Document) -> list[str]:
    """An act's alias is another act's own name."""
    names: dict[str, set[str]] = defaultdict(set)
    for act in doc.acts():
        for name in (act["name"], act.get("name_hangul")):
            if name:
                names[fold(name)].add(act["id"])
    return [
        f"{act['id']} alias {alias!r} is the name of {sorted(names[fold(alias)] - {act['id']})}"
        for act in doc.acts()
        for alias in act["aliases"]
        if names.get(fold(alias), set()) - {act["id"]}
    ]


def alias_markup(doc: Document) -> list[str]:
    """An alias carrying wiki markup (a table cell, a link) rather than a name."""
    return [
        f"{e['id']}: {a!r}"
        for e in doc.entries.values()
        for a in e.get("aliases", [])
        if ALIAS_MARKUP.search(a)
    ]


def hangul_abbreviation(doc: Document) -> list[str]:
    """A Hangul name with a fan-abbreviation pattern: a cut of the act's longer Hangul alias
    ("방탄" for "방탄소년단"), or three syllables or fewer for a name of two long words
    ("올데프" for ALLDAY PROJECT)."""
    out = []
    for act in doc.acts():
        hangul = act.get("name_hangul")
        confirmed = any(
            s.startswith("https://") for s in act.get("fact_sources", {}).get("name_hangul", [])
        )
        if not hangul or confirmed:  # a page read by hand settles it
            continue
        key = fold(hangul)
        longer = [
            a
            for a in act["aliases"]
            if _HANGUL.search(a)
            and " " not in a.strip()
            and fold(a).startswith(key)
            and fold(a) != key
        ]
        words = re.findall(r"[A-Za-z]+", act["name"])
        short = len(words) >= 2 and all(len(w) >= 5 for w in words)
        if longer or (short and " " not in hangul and len(_HANGUL.findall(hangul)) <= 3):
            out.append(f"{act['id']}: {hangul!r}")
    return out


def agency_markup(doc: Document) -> list[str]:
    """A label string carrying wiki markup, or a "(parent: X)" note, instead of a name."""
    return [
        f"{act['id']}: {span['label']!r}"
        for act in doc.acts()
        for span in act.get("agencies", [])
        if _MARKUP.search(span["label"])
    ]


def member_of_missing_act(doc: Document) -> list[str]:
    """A membership whose person or group is not in the catalog."""
    out = []
    for m in doc.memberships:
        act, person = doc.entries.get(m["act"]), doc.entries.get(m["person"])
        if act is None or act["type"] not in GROUP_TYPES:
            out.append(f"{m['person']} in missing {m['act']}")
        elif person is None or person["type"] not in PERSON_TYPES:
            out.append(f"missing {m['person']} in {m['act']}")
    return out


def _keys(person: Raw) -> set[str]:
    """Return the names a person answers to: name, aliases, and the words of a full name."""
    keys = {fold(n) for n in (person["name"], *person.get("aliases", [])) if n}
    keys |= {fold(w) for w in re.split(r"\s+", person["name"]) if len(fold(w)) >= 3}
    return keys - {""}


def _related(doc: Document, names: dict[str, set[str]], x: str, y: str) -> bool:
    """Return whether two acts are one family: unit and parent, or three shared member names
    (two is chance among common stage names: AB6IX and Boyfriend both have a Youngmin and a
    Donghyun) and no boy group/girl group mismatch."""
    ax, ay = doc.entries.get(x, {}), doc.entries.get(y, {})
    if ax.get("group_id") == y or ay.get("group_id") == x:
        return True
    if {ax.get("gender"), ay.get("gender")} == {"boy", "girl"}:
        return False
    return len(names[x] & names[y]) >= 3


def duplicate_people(doc: Document) -> list[tuple[str, str]]:
    """Return pairs of person ids that are one person: the same Wikidata id, or one's stage
    name among the other's names while their acts are one family (see _related), with no
    Wikidata id or birth year against it."""
    names = doc.stage_names()
    acts_of: dict[str, set[str]] = defaultdict(set)
    for m in doc.memberships:
        acts_of[m["person"]].add(m["act"])
    people = [e for e in doc.entries.values() if e["type"] in PERSON_TYPES]
    by_key: dict[str, list[Raw]] = defaultdict(list)
    for e in people:
        for key in _keys(e):
            by_key[key].append(e)
        if e.get("wikidata_id"):
            by_key[e["wikidata_id"]].append(e)
    pairs: dict[tuple[str, str], None] = {}
    for e in people:
        for probe in (fold(e["name"]), e.get("wikidata_id")):
            for other in by_key.get(probe or "", ()):
                if other["id"] == e["id"] or not _compatible(e, other):
                    continue
                same_qid = probe == e.get("wikidata_id") == other.get("wikidata_id")
                family = any(
                    _related(doc, names, x, y)
                    for x in acts_of[e["id"]]
                    for y in acts_of[other["id"]]
                    if x != y
                )
                if same_qid or family:
                    a, b = sorted((e["id"], other["id"]))
                    pairs[a, b] = None
    return list(pairs)


def _compatible(a: Raw, b: Raw) -> bool:
    qa, qb = a.get("wikidata_id"), b.get("wikidata_id")
    ya, yb = a.get("birth_year"), b.get("birth_year")
    return not (qa and qb and qa != qb) and not (ya and yb and ya != yb)


def duplicate_person(doc: Document) -> list[str]:
    """One person stored as two records."""
    return [f"{a} = {b}" for a, b in duplicate_people(doc)]


def unit_without_parent(doc: Document) -> list[str]:
    """A sub-unit stored as an unrelated group: its name extends a group it shares members with."""
    names = doc.stage_names()
    return [
        f"{g['id']} extends {p['id']}"
        for g, p in unit_parents(doc)
        if names[g["id"]] & names[p["id"]]
    ]


def unit_parents(doc: Document) -> list[tuple[Raw, Raw]]:
    """Return (group, parent) for groups without a parent whose name extends a group's name."""
    groups = [e for e in doc.entries.values() if e["type"] == "group"]
    found = []
    for g in groups:
        if g.get("group_id"):
            continue
        best = None
        for p in groups:
            base = p["name"]
            extends = (
                g["name"].startswith(base)
                and len(g["name"]) > len(base)
                and not g["name"][len(base)].isalnum()
            )
            if extends and (best is None or len(base) > len(best["name"])):
                best = p
        if best is not None:
            found.append((g, best))
    return found


CHECKS: dict[str, Callable[[Document], list[str]]] = {
    "person current and former in one act": current_and_former,
    "current member of a disbanded act": current_in_disbanded,
    "current member per a source mixing current and former": current_from_mixed_source,
    "alias shared by two acts": alias_shared,
    "alias equal to another act's name": alias_is_other_act_name,
    "alias carrying wiki markup": alias_markup,
    "Hangul name with a fan-abbreviation pattern": hangul_abbreviation,
    "agency string with markup or a parent note": agency_markup,
    "member whose group does not exist": member_of_missing_act,
    "one person stored twice": duplicate_person,
    "sub-unit stored without its parent": unit_without_parent,
}


def run_checks(doc: Document) -> dict[str, list[str]]:
    """Return every check's findings, by kind (empty lists where the check passes)."""
    return {kind: check(doc) for kind, check in CHECKS.items()}


def report(before: dict[str, list[str]], after: dict[str, list[str]]) -> str:
    """Return the build report: one line per contradiction kind with its counts."""
    width = max(len(k) for k in CHECKS)
    lines = [f"{'contradiction':<{width}}  before  after"]
    for kind in CHECKS:
        lines.append(f"{kind:<{width}}  {len(before[kind]):>6}  {len(after[kind]):>5}")
        lines += [f"    still: {x}" for x in after[kind][:5]]
    return "\n".join(lines)
