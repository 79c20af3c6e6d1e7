"""Build bot/data/catalog.json from the project's shared K-pop facts (a one-off generator).

Run from the repository root, with shared/ beside it:

    .venv/bin/python -m scripts.build_catalog [--shared ../shared/data/kpop] [--out PATH]

What it does, and what it refuses to do:
- Every act of `artists.json` (169: groups, units, soloists) becomes an entry with the fields it
  has there. Exact debut dates are kept only where the shared data has them (68); otherwise only
  the year. Agency, members and generation keep their "as of"/basis notes.
- Every listed member and former member becomes a searchable `member` entry pointing at its group
  (`group_id`). A member is the same person as a soloist entry when the soloist's parent is that
  group and a name or alias matches; the same person across a group and its unit when the names
  match; and the same Wikidata person (idols.json) when exactly one idol of that group matches the
  name. Wikidata matches add that idol's names as aliases. Nothing is guessed beyond that.
- Groups of `wikidata/groups.json` that artists.json lacks are added with year-precision debut
  (the dataset pads unknown days to 01-01), company, and the Wikidata members of idols.json,
  flagged as possibly including former members.
- Every entry keeps its `sources`, and `fact_sources` names the sources of each fact.
The app and the tests read only the shipped file, never shared/.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.domain.catalog.model import SCHEMA_VERSION, CatalogFile
from bot.domain.catalog.normalize import fold

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared" / "data" / "kpop"
DEFAULT_OUT = ROOT / "bot" / "data" / "catalog.json"

KPOPDLE = "github:ItsPandarr/kpopdle@8162d1b69e913db74421026fa7ee5814f03390ec"
KPOPDLE_GROUPS = (
    f"{KPOPDLE}:data/groups.json (Wikidata CC0 + Wikipedia infobox, generated 2026-05-18)"
)
KPOPDLE_IDOLS = f"{KPOPDLE}:data/idols.json (Wikidata P527 members)"
DBKPOP = "github:Thunder-API/kpopapi"
WIKIDATA_AS_OF = "2026-05 (Wikipedia infobox via a Wikidata-derived dataset)"
DBKPOP_AS_OF = "2023-06 (dbkpop snapshot)"
WIKIDATA_MEMBERS_AS_OF = "Wikidata (2026-05); current and former members are not distinguished"

Raw = dict[str, Any]


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


class Builder:
    """Accumulates entries; ids are unique and every reference resolves by construction."""

    def __init__(self, artists: list[Raw], groups: list[Raw], idols: list[Raw]) -> None:
        self.artists = artists
        self.wd_groups = groups
        self.idols = idols
        self.entries: dict[str, Raw] = {}
        self.id_by_name = {fold(a["name"]): a["id"] for a in artists}
        self.id_by_qid: dict[str, str] = {}
        self.person_by_qid: dict[str, str] = {}
        self.idols_by_group: dict[str, list[Raw]] = {}
        for idol in idols:
            for qid in idol["group_ids"]:
                self.idols_by_group.setdefault(qid, []).append(idol)

    def build(self) -> list[Raw]:
        """Return every entry: curated acts, their members, then Wikidata-only groups."""
        for artist in self.artists:
            self.entries[artist["id"]] = self.act(artist)
            if artist["wikidata_id"]:
                self.id_by_qid[artist["wikidata_id"]] = artist["id"]
        for artist in self.artists:
            if artist["type"] == "soloist":
                self.link_soloist(self.entries[artist["id"]])
        # Parents before units, so a unit's members reuse the parent's person entries.
        for artist in sorted(self.artists, key=lambda a: a["type"] == "unit"):
            if artist["type"] in ("group", "unit"):
                self.add_members(artist)
        for group in self.wd_groups:
            if group["id"] not in self.id_by_qid:
                self.add_wikidata_group(group)
        return list(self.entries.values())

    def act(self, a: Raw) -> Raw:
        """Return the catalog entry for one artists.json act."""
        sources: list[str] = list(a["sources"])
        facts: dict[str, list[str]] = {}
        notes = list(a["notes"])
        if not sources:
            a = self.unsourced(a, notes)
            sources = list(a["sources"])
        dataset = pick(sources, DBKPOP) + pick(sources, KPOPDLE_GROUPS)
        if a["name_hangul"]:
            facts["name_hangul"] = dataset or sources
        if a.get("birth_name"):
            facts["birth_name"] = pick(sources, "idol.json") or sources
        date = a["debut_date"]
        if date or a["debut_year"]:
            facts["debut"] = self.debut_sources(a, sources)
        agency, as_of, agency_src = self.agency(a, sources)
        if agency:
            facts["agency"] = agency_src
        if a["fandom"]:
            if a["fandom_source"] not in sources:
                sources.append(a["fandom_source"])
            facts["fandom"] = [a["fandom_source"]]
        if a["members"] or a["former_members"]:
            facts["members"] = pick(sources, DBKPOP) or sources
        if a["generation"] is not None:
            facts["generation"] = facts.get("debut") or sources
        for handle in a["x_handles"]:
            sources += [s for s in handle["sources"] if s not in sources]
        if a.get("agency_note") and agency:
            notes.append(a["agency_note"])
        debut_note = "solo debut" if "solo" in (a["debut_date_basis"] or "") else None
        parent = a["parent_group"]
        return {
            "id": a["id"],
            "type": a["type"],
            "origin": "curated",
            "name": a["name"],
            "name_hangul": a["name_hangul"],
            "aliases": [x for x in a["aliases"] if x not in (a["name"], a["name_hangul"])],
            "birth_name": _clean(a.get("birth_name")),
            "birth_name_hangul": a.get("birth_name_hangul"),
            "gender": a["gender"],
            "group_id": self.id_by_name[fold(parent)] if parent else None,
            "members_as_of": a["members_as_of"],
            "debut_date": date if date and len(date) == 10 else None,
            "debut_year": a["debut_year"],
            "debut_month": int(date[5:7]) if date and len(date) == 7 else None,
            "debut_note": debut_note,
            "agency": agency,
            "agency_as_of": as_of,
            "fandom": a["fandom"],
            "generation": a["generation"],
            "generation_basis": a["generation_basis"],
            "generation_disputed": a["generation_disputed"],
            "status": a["status_wikidata"],
            "x_handles": [
                {"handle": h["handle"], "note": h["note"], "sources": h["sources"]}
                for h in a["x_handles"]
            ],
            "wikidata_id": a["wikidata_id"],
            "sources": sources,
            "fact_sources": facts,
            "notes": notes,
        }

    def unsourced(self, a: Raw, notes: list[str]) -> Raw:
        """Keep a source-less act only as far as its parent group's member list vouches for it."""
        parent = (
            self.artists[
                [x["id"] for x in self.artists].index(self.id_by_name[fold(a["parent_group"])])
            ]
            if a["parent_group"]
            else None
        )
        if parent is None or fold(a["name"]) not in {fold(m) for m in parent["members"]}:
            raise SystemExit(f"{a['id']}: no sources and no parent group listing it")
        dropped = [f for f in ("name_hangul", "birth_name", "birth_name_hangul") if a.get(f)]
        notes.append(
            f"listed as a member of {parent['name']} by that group's source; "
            f"left out for want of a source: {', '.join(dropped) or 'nothing'}"
        )
        return {**a, **dict.fromkeys(dropped), "sources": pick(parent["sources"], DBKPOP)[:1]}

    @staticmethod
    def debut_sources(a: Raw, sources: list[str]) -> list[str]:
        """Return the sources that support the act's debut date (or year)."""
        found: list[str] = []
        evidence = a["debut_date_evidence"]
        if evidence and evidence["url"] in sources:
            found.append(evidence["url"])
        wanted = a["debut_date"] or str(a["debut_year"])
        candidates = a["debut_date_candidates"]
        if str(candidates.get("dbkpop", "")).startswith(wanted):
            found += pick(sources, DBKPOP)[:1]
        if str(candidates.get("wikidata", "")).startswith(wanted):
            found += pick(sources, KPOPDLE_GROUPS)
        return found or sources

    @staticmethod
    def agency(a: Raw, sources: list[str]) -> tuple[str | None, str | None, list[str]]:
        """Return (agency, as of, sources) telling which dataset the agency value came from."""
        agency = a["agency"]
        if not agency:
            return None, None, []
        by_source = a["agency_by_source"]
        wiki = by_source.get("wikidata_wikipedia_2026")
        if wiki and agency.casefold().startswith(wiki.casefold()):
            return agency, WIKIDATA_AS_OF, pick(sources, KPOPDLE_GROUPS) or sources
        dbk = by_source.get("dbkpop_2023")
        if dbk and agency.casefold().startswith(dbk.casefold()):
            return agency, DBKPOP_AS_OF, pick(sources, DBKPOP) or sources
        return agency, "as seen on the cited page", urls(sources) or sources

    def link_soloist(self, soloist: Raw) -> None:
        """Tie a soloist to its Wikidata person among its parent group's idols, if unique."""
        if soloist["group_id"]:
            parent = self.entries[soloist["group_id"]]
            idols = self.idols_by_group.get(parent["wikidata_id"] or "", [])
        else:  # a soloist without a group: only a name no other idol has
            idols = self.idols
        found = {
            id(i): i
            for n in (soloist["name"], *soloist["aliases"])
            if (i := _unique_idol(fold(n), idols)) is not None
        }
        if len(found) != 1:
            return
        (idol,) = found.values()
        if soloist.get("wikidata_id") or idol["id"] in self.person_by_qid:
            return
        soloist["wikidata_id"] = idol["id"]
        names = (soloist["name"], soloist["name_hangul"], *soloist["aliases"])
        known = {fold(n) for n in names if n}
        soloist["aliases"] += [x for x in (idol["name"], *idol["aliases"]) if fold(x) not in known]
        soloist["sources"].append(KPOPDLE_IDOLS)
        self.person_by_qid[idol["id"]] = soloist["id"]

    def add_members(self, a: Raw) -> None:
        """Create or link the person entries of one curated group or unit."""
        group = self.entries[a["id"]]
        idols = self.idols_by_group.get(a["wikidata_id"] or "", [])
        for field, former in (("members", False), ("former_members", True)):
            ids: list[str] = []
            for name in a[field]:
                person = self.person_for(a, name, idols)
                self.join(person, a["id"], former)
                if person["id"] not in ids:
                    ids.append(person["id"])
            group[field] = ids

    def person_for(self, a: Raw, name: str, idols: list[Raw]) -> Raw:
        """Return the existing person entry this member is, or a new member entry."""
        key = fold(name)
        for entry in self.entries.values():
            names = {fold(n) for n in (entry["name"], *entry["aliases"])}
            if entry["type"] == "soloist" and entry["group_id"] == a["id"] and key in names:
                return entry
        if a["type"] == "unit" and a["parent_group"]:
            parent = self.entries[self.id_by_name[fold(a["parent_group"])]]
            for member_id in (*parent.get("members", ()), *parent.get("former_members", ())):
                member = self.entries[member_id]
                if fold(member["name"]) == key:
                    return member
        idol = _unique_idol(key, idols)
        if idol is not None and idol["id"] in self.person_by_qid:
            return self.entries[self.person_by_qid[idol["id"]]]
        entry = self.new_member(f"{a['id']}--{slug(name) or 'member'}", name, idol)
        entry["sources"] += (
            pick(a["sources"], "idol.json")[:1]
            or pick(a["sources"], DBKPOP)[:1]
            or a["sources"][:1]
        )
        return entry

    def new_member(self, base_id: str, name: str, idol: Raw | None) -> Raw:
        """Register and return a new person entry, enriched from a matched Wikidata idol."""
        entry_id, n = base_id, 2
        while entry_id in self.entries:
            entry_id, n = f"{base_id}-{n}", n + 1
        entry: Raw = {
            "id": entry_id,
            "type": "member",
            "origin": "curated",
            "name": name,
            "aliases": [],
            "group_id": None,
            "group_ids": [],
            "former_group_ids": [],
            "sources": [],
            "fact_sources": {},
            "notes": [],
        }
        if idol is not None:
            names = [idol["name"], *idol["aliases"]]
            entry["aliases"] = [x for x in dict.fromkeys(names) if fold(x) != fold(name)]
            entry["wikidata_id"] = idol["id"]
            entry["sources"].append(KPOPDLE_IDOLS)
            self.person_by_qid[idol["id"]] = entry_id
        self.entries[entry_id] = entry
        return entry

    @staticmethod
    def join(person: Raw, group_id: str, former: bool) -> None:
        """Record that `person` is (or was) in `group_id`; a soloist's group_id stays its parent."""
        field = "former_group_ids" if former else "group_ids"
        person.setdefault(field, [])
        if group_id not in person[field]:
            person[field].append(group_id)
        if person["type"] == "member":
            person["group_id"] = (person["group_ids"] or person["former_group_ids"])[0]

    def add_wikidata_group(self, g: Raw) -> None:
        """Add a group that only the Wikidata-derived dataset has, with its Wikidata members."""
        base = slug(g["name"].replace("+", " plus ")) or g["id"].lower()
        group_id = base if base not in self.entries else f"{base}-{g['id'].lower()}"
        company = g["company"]
        if company and g["company_parent"]:
            company = f"{company} (parent: {g['company_parent']})"
        sources = [KPOPDLE_GROUPS]
        facts: dict[str, list[str]] = {"debut": sources} if g["debut_year"] else {}
        if company:
            facts["agency"] = sources
        if g["generation"] is not None:
            facts["generation"] = sources
        entry: Raw = {
            "id": group_id,
            "type": "group",
            "origin": "wikidata",
            "name": g["name"],
            "name_hangul": None,
            "aliases": [x for x in dict.fromkeys(g["aliases"]) if fold(x) != fold(g["name"])],
            "gender": g["gender"],
            "debut_year": g["debut_year"],
            "agency": company,
            "agency_as_of": WIKIDATA_AS_OF if company else None,
            "generation": g["generation"],
            "generation_basis": "debut-year rule of the Wikidata-derived dataset",
            "generation_disputed": False,
            "status": g["status"],
            "wikidata_id": g["id"],
            "sources": sources,
            "fact_sources": facts,
            "notes": ["debut day unknown here: the dataset gives year precision only"],
        }
        self.entries[group_id] = entry
        self.id_by_qid[g["id"]] = group_id
        members: list[str] = []
        parent = self.name_parent(g["name"])
        for idol in self.idols_by_group.get(g["id"], []):
            known = self.person_by_qid.get(idol["id"])
            person = self.entries[known] if known else None
            if person is None and parent is not None:
                person = self.parent_member(parent, idol)
            if person is None:
                person = self.new_member(
                    f"{group_id}--{slug(idol['name']) or 'member'}", idol["name"], idol
                )
                person["origin"] = "wikidata"
            self.join(person, group_id, former=False)
            if person["id"] not in members:
                members.append(person["id"])
        if members:
            entry["members"] = members
            entry["members_as_of"] = WIKIDATA_MEMBERS_AS_OF
            entry["sources"] = [KPOPDLE_GROUPS, KPOPDLE_IDOLS]
            facts["members"] = [KPOPDLE_IDOLS]

    def name_parent(self, name: str) -> Raw | None:
        """Return the curated group whose name this one extends ("Super Junior-T"), if any."""
        best: Raw | None = None
        for entry in self.entries.values():
            if entry["type"] == "group" and entry["origin"] == "curated":
                base = entry["name"]
                extends = name.startswith(base) and name != base and not name[len(base)].isalnum()
                if extends and (best is None or len(base) > len(best["name"])):
                    best = entry
        return best

    def parent_member(self, parent: Raw, idol: Raw) -> Raw | None:
        """Return the parent group's person this sub-unit idol is, when exactly one name matches."""
        names = {fold(n) for n in (idol["name"], *idol["aliases"])}
        found = [
            self.entries[m]
            for m in (*parent.get("members", ()), *parent.get("former_members", ()))
            if fold(self.entries[m]["name"]) in names
        ]
        if len(found) != 1:
            return None
        person = found[0]
        if not person.get("wikidata_id"):
            person["wikidata_id"] = idol["id"]
            person["sources"].append(KPOPDLE_IDOLS)
            self.person_by_qid[idol["id"]] = person["id"]
        return person


def _clean(birth_name: str | None) -> str | None:
    return birth_name.replace(" (dbkpop romanization)", "") if birth_name else None


def _unique_idol(key: str, idols: list[Raw]) -> Raw | None:
    """Return the only idol of the group named `key` (whole name, alias, or name word)."""
    found = [i for i in idols if key in {fold(n) for n in (i["name"], *i["aliases"])}]
    if not found:
        # "Mark" is "Mark Lee" in NCT's Wikidata list: a whole word, and only one in the group.
        found = [i for i in idols if key in {fold(w) for w in i["name"].split()}]
    return found[0] if len(found) == 1 else None


def main(argv: list[str] | None = None) -> int:
    """Generate the catalog file and print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    shared: Path = args.shared
    artists = json.loads((shared / "artists.json").read_text(encoding="utf-8"))
    groups = json.loads((shared / "wikidata" / "groups.json").read_text(encoding="utf-8"))
    idols = json.loads((shared / "wikidata" / "idols.json").read_text(encoding="utf-8"))
    entries = Builder(artists, groups["groups"], idols["idols"]).build()
    document = {
        "schema_version": SCHEMA_VERSION,
        "generated_from": [
            "shared/data/kpop/artists.json",
            f"shared/data/kpop/wikidata/groups.json (version {groups['version']})",
            f"shared/data/kpop/wikidata/idols.json (version {idols['version']})",
        ],
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d"),
        "entries": [{k: v for k, v in e.items() if v not in (None, [], {})} for e in entries],
    }
    CatalogFile.model_validate(document)  # refuse to write a file the loader would reject
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    args.out.write_text(text, encoding="utf-8")
    kinds: dict[str, int] = {}
    for e in entries:
        kinds[e["type"]] = kinds.get(e["type"], 0) + 1
    sys.stdout.write(f"wrote {len(entries)} entries {kinds} to {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
