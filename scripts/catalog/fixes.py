"""The fixes applied to the straight translation, in order, before the build checks it again.

1. Labels: wiki markup and "(parent: X)" notes become a plain label; infobox lists glued into
   one string ("GM Agency (1995–2001)The Turbo Co.") become dated spans.
2. Line-ups from Wikidata's "has part" lists, which mix current and former members, are marked
   "unstated" rather than current.
3. Aliases that are another act's name, that two acts share, or that carry wiki markup
   ("황현진|현진 (2000년 3월)") are dropped.
4. The sourced corrections (corrections.py) are applied.
5. A disbanded act's current and unstated members become former, ending in the year it ended.
6. Groups whose name extends a group they share members with become that group's units.
7. People stored twice are merged (checks.duplicate_people, plus the corrections' merges).
"""

from __future__ import annotations

import re
from collections import defaultdict

from bot.domain.catalog.normalize import fold
from scripts.catalog.checks import ALIAS_MARKUP, Document, alias_shared, unit_parents
from scripts.catalog.corrections import Correction
from scripts.catalog.people import merge_duplicates, merge_people
from scripts.catalog.sources import KPOPDLE_IDOLS, Raw, add_source

__all__ = ["clean_label", "fix", "split_label"]

_LINK = re.compile(r"\[https?://\S+(?: ([^\]]*))?\]")
_PARENT = re.compile(r"\s*\(parent: ([^)]*)\)")
_YEARS = re.compile(r"\((\d{4})\s*[–-]\s*(\d{4}|present)\)")


def clean_label(label: str) -> str:
    """Return a label without wiki links, markup or a parent note naming the label itself."""
    text = _LINK.sub(lambda m: m.group(1) or "", label)
    text = re.sub(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]|'''|''|<[^>]+>", r"\1", text)
    parent = _PARENT.search(text)
    text = _PARENT.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    if parent and fold(parent.group(1)) != fold(text):
        text = f"{text} ({parent.group(1).strip()})"
    return text


def split_label(label: str) -> list[tuple[str, int | None, int | None, bool]]:
    """Split a glued infobox list into (label, since, until, present) parts, in order."""
    parts: list[tuple[str, int | None, int | None, bool]] = []
    rest = label
    while (found := _YEARS.search(rest)) is not None:
        name = rest[: found.start()].strip(" ,;")
        present = found.group(2) == "present"
        until = None if present else int(found.group(2))
        if name:
            parts.append((name, int(found.group(1)), until, present))
        rest = rest[found.end() :]
    if rest.strip(" ,;"):
        parts.append((rest.strip(" ,;"), None, None, False))
    return parts


def fix_labels(doc: Document) -> None:
    """Turn every act's raw label strings into clean, dated spans (fix 1)."""
    for act in doc.acts():
        spans: list[Raw] = []
        for span in act.get("agencies", []):
            parts = split_label(clean_label(span["label"]))
            # The current label: the first one running "to present", else the last undated one.
            present = [p for p in parts if p[3]][:1]
            undated = [p for p in parts if p[1] is None][-1:]
            current = present or undated
            for part in parts:
                name, since, until, _ = part
                if part not in current and until is None:
                    continue  # a second open-ended label in one string: no way to place it
                spans.append(
                    {
                        "label": name,
                        "since": since,
                        "until": until,
                        "as_of": span["as_of"] if since is None else None,
                        "source": span["source"],
                    }
                )
        act["agencies"] = spans


def unstate_mixed_lineups(doc: Document) -> None:
    """Mark members from a list that mixes current and former as "unstated" (fix 2)."""
    for m in doc.memberships:
        if m["source"] == KPOPDLE_IDOLS and m["status"] == "current":
            m["status"] = "unstated"


def drop_bad_aliases(doc: Document) -> None:
    """Drop aliases that are another act's name or that two acts share (fix 3)."""
    names: dict[str, set[str]] = defaultdict(set)
    for act in doc.acts():
        for name in (act["name"], act.get("name_hangul")):
            if name:
                names[fold(name)].add(act["id"])
    shared = {line.split(":")[0].strip("'") for line in alias_shared(doc)}
    for act in doc.acts():
        act["aliases"] = [
            a
            for a in act["aliases"]
            if not (names.get(fold(a), set()) - {act["id"]}) and fold(a) not in shared
        ]
    for entry in doc.entries.values():
        entry["aliases"] = [a for a in entry["aliases"] if not ALIAS_MARKUP.search(a)]


def _new_person(doc: Document, person_id: str, c: Correction) -> Raw:
    """Create the person a membership correction names when no source list had them; the
    correction must then give the name (`value.name`)."""
    if "name" not in c.value:
        raise ValueError(f"membership in {c.act}: no person {person_id}; give value.name")
    entry: Raw = {
        "id": person_id,
        "type": "member",
        "origin": "curated",
        "name": c.value["name"],
        "aliases": list(c.value.get("aliases", [])),
        "sources": [],
        "fact_sources": {},
        "notes": [],
    }
    doc.entries[person_id] = entry
    return entry


def apply_correction(doc: Document, c: Correction) -> None:
    """Apply one sourced correction (fix 4)."""
    act = doc.entries[c.act] if c.act else None
    if c.fact == "merge":
        kept = merge_people(doc, str(c.person), str(c.value))
        add_source(doc.entries[kept], c.cited)  # the page that says they are one person
        return
    if act is None:  # the Correction model requires an act for every other fact
        raise ValueError(f"{c.fact}: which act?")
    if c.fact == "remove_alias":
        act["aliases"] = [a for a in act["aliases"] if fold(a) != fold(c.value)]
        return
    source = c.cited
    add_source(act, source)
    if c.fact == "membership":
        person = doc.entries.get(str(c.person)) or _new_person(doc, str(c.person), c)
        add_source(person, source)
        doc.memberships[:] = [
            m for m in doc.memberships if (m["person"], m["act"]) != (person["id"], act["id"])
        ]
        doc.memberships.append(
            {
                "person": person["id"],
                "act": act["id"],
                "role": c.value.get("role", "member"),
                "status": c.value["status"],
                "start": c.value.get("start"),
                "end": c.value.get("end"),
                "as_of": c.value.get("as_of"),
                "source": source,
            }
        )
    elif c.fact == "active":  # a reunion the dataset's "disbanded" has not caught up with
        act.update(disbanded=False, ended_year=None, ended_month=None)
        act["fact_sources"].pop("ended", None)
    elif c.fact == "parent":
        act.update(type="unit", group_id=c.value["act"])
    elif c.fact == "disbanded":
        act.update(disbanded=True, ended_year=c.value["year"], ended_month=c.value.get("month"))
        act["fact_sources"]["ended"] = [source]
    elif c.fact == "name_hangul":
        old = act.get("name_hangul")
        act["name_hangul"] = c.value["name"]
        act["fact_sources"]["name_hangul"] = [source]
        if old and c.value.get("keep_old_as_alias") and old not in act["aliases"]:
            act["aliases"].append(old)
    elif c.fact == "agency":
        if not any(s.get("corrected") for s in act["agencies"]):
            act["agencies"] = []  # dated spans from a source replace the snapshot's one
        act["agencies"].append(
            {
                "label": c.value["label"],
                "since": c.value.get("since"),
                "until": c.value.get("until"),
                "as_of": None,
                "source": source,
                "corrected": True,
            }
        )


def end_disbanded_lineups(doc: Document) -> None:
    """A disbanded act has no current members: whoever was in it left when it ended (fix 5)."""
    for m in doc.memberships:
        act = doc.entries[m["act"]]
        if act.get("disbanded") and m["status"] in ("current", "unstated"):
            m.update(status="former", end=act.get("ended_year"), as_of=None)
            if act.get("ended_year"):  # "until 2017" rests on the page that dates the end
                m["source"] = act["fact_sources"]["ended"][0]


def link_units(doc: Document) -> None:
    """Make a group a unit of the group its name extends, when they share a member (fix 6)."""
    names = doc.stage_names()
    for group, parent in unit_parents(doc):
        if names[group["id"]] & names[parent["id"]]:
            group.update(type="unit", group_id=parent["id"])


def fix(doc: Document, corrections: list[Correction]) -> None:
    """Apply every fix, in order, to the translated document."""
    fix_labels(doc)
    unstate_mixed_lineups(doc)
    drop_bad_aliases(doc)
    for c in corrections:
        apply_correction(doc, c)
    for act in doc.acts():
        for span in act.get("agencies", []):
            span.pop("corrected", None)
        act["agencies"].sort(key=lambda s: (s["until"] is None, s["since"] or 0))
    end_disbanded_lineups(doc)
    link_units(doc)
    merge_duplicates(doc)
