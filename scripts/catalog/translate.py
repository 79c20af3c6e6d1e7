"""A straight translation of the shared files into the catalog's shape, before any fix.

- Every act of `artists.json` becomes an entry; exact debut dates only where the shared data has
  them, otherwise the year. Its label becomes one agency span dated by the dataset's snapshot.
- Every listed member and former member becomes a person with a membership (status as the 2023
  dbkpop snapshot says, source and snapshot date attached). A member is the same person as a
  soloist whose parent is that group when a name matches, the same person across a group and its
  unit when the names match, and the same Wikidata person (idols.json) when exactly one idol of
  that group matches the name.
- A curated group or unit without a dbkpop line-up gets its Wikidata members (idols.json), with
  the status unstated.
- Groups only `wikidata/groups.json` has are added with year-precision debut, their company, and
  the Wikidata members of idols.json, marked here as current the way the source's list reads.
The fixes in fixes.py then correct what this translation inherits from its sources.
"""

from __future__ import annotations

from bot.domain.catalog.normalize import fold
from scripts.catalog.sources import (
    DBKPOP,
    DBKPOP_DATE,
    KPOPDLE_GROUPS,
    KPOPDLE_IDOLS,
    WIKIDATA_DATE,
    Raw,
    add_source,
    pick,
    slug,
    urls,
)

__all__ = ["Translation", "translate"]


class Translation:
    """Entries by id and memberships; ids are unique and references resolve by construction."""

    def __init__(self, artists: list[Raw], groups: list[Raw], idols: list[Raw]) -> None:
        self.artists = artists
        self.wd_groups = groups
        self.idols = {i["id"]: i for i in idols}
        self.entries: dict[str, Raw] = {}
        self.memberships: list[Raw] = []
        self.id_by_name = {fold(a["name"]): a["id"] for a in artists}
        self.id_by_qid: dict[str, str] = {}
        self.person_by_qid: dict[str, str] = {}
        self.idols_by_group: dict[str, list[Raw]] = {}
        for idol in idols:
            for qid in idol["group_ids"]:
                self.idols_by_group.setdefault(qid, []).append(idol)

    def run(self) -> Translation:
        """Translate curated acts, their members, then Wikidata-only groups."""
        for artist in self.artists:
            self.entries[artist["id"]] = self.act(artist)
            if artist["wikidata_id"]:
                self.id_by_qid[artist["wikidata_id"]] = artist["id"]
        for artist in self.artists:
            if artist["type"] == "soloist":
                self.link_soloist(self.entries[artist["id"]])
        # Parents before units, so a unit's members reuse the parent's people.
        for artist in sorted(self.artists, key=lambda a: a["type"] == "unit"):
            if artist["type"] in ("group", "unit"):
                self.add_members(artist)
        for artist in self.artists:
            if artist["type"] in ("group", "unit"):
                self.add_wikidata_members(artist)
        for group in self.wd_groups:
            if group["id"] not in self.id_by_qid:
                self.add_wikidata_group(group)
        return self

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
            facts["debut"] = debut_sources(a, sources)
        if a["fandom"]:
            if a["fandom_source"] not in sources:
                sources.append(a["fandom_source"])
            facts["fandom"] = [a["fandom_source"]]
        if a["generation"] is not None:
            facts["generation"] = facts.get("debut") or sources
        for handle in a["x_handles"]:
            sources += [s for s in handle["sources"] if s not in sources]
        disbanded = a["status_wikidata"] == "disbanded"
        if disbanded:
            facts["ended"] = pick(sources, KPOPDLE_GROUPS) or sources
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
            "debut_date": date if date and len(date) == 10 else None,
            "debut_year": a["debut_year"],
            "debut_month": int(date[5:7]) if date and len(date) == 7 else None,
            "debut_note": "solo debut" if "solo" in (a["debut_date_basis"] or "") else None,
            "disbanded": disbanded,
            "agencies": agency_spans(a, sources),
            "fandom": a["fandom"],
            "generation": a["generation"],
            "generation_basis": a["generation_basis"],
            "generation_disputed": a["generation_disputed"],
            "x_handles": [
                {"handle": h["handle"], "note": h["note"], "sources": h["sources"]}
                for h in a["x_handles"]
            ],
            "wikidata_id": a["wikidata_id"],
            "sources": sources,
            # Copies: later fixes add sources to the entry, not to what backs each fact.
            "fact_sources": {fact: list(backing) for fact, backing in facts.items()},
            "notes": notes,
        }

    def unsourced(self, a: Raw, notes: list[str]) -> Raw:
        """Keep a source-less act only as far as its parent group's member list vouches for it."""
        by_id = {x["id"]: x for x in self.artists}
        parent = by_id[self.id_by_name[fold(a["parent_group"])]] if a["parent_group"] else None
        if parent is None or fold(a["name"]) not in {fold(m) for m in parent["members"]}:
            raise SystemExit(f"{a['id']}: no sources and no parent group listing it")
        dropped = [f for f in ("name_hangul", "birth_name", "birth_name_hangul") if a.get(f)]
        notes.append(
            f"listed as a member of {parent['name']} by that group's source; "
            f"left out for want of a source: {', '.join(dropped) or 'nothing'}"
        )
        return {**a, **dict.fromkeys(dropped), "sources": pick(parent["sources"], DBKPOP)[:1]}

    def link_soloist(self, soloist: Raw) -> None:
        """Tie a soloist to its Wikidata person among its parent group's idols, if unique."""
        if soloist["group_id"]:
            parent = self.entries[soloist["group_id"]]
            idols = self.idols_by_group.get(parent["wikidata_id"] or "", [])
        else:  # a soloist without a group: only a name no other idol has
            idols = list(self.idols.values())
        found = {
            id(i): i
            for n in (soloist["name"], *soloist["aliases"])
            if (i := unique_idol(fold(n), idols)) is not None
        }
        if len(found) != 1:
            return
        (idol,) = found.values()
        if soloist.get("wikidata_id") or idol["id"] in self.person_by_qid:
            return
        self.enrich(soloist, idol)

    def enrich(self, person: Raw, idol: Raw) -> None:
        """Give a person the Wikidata idol's id, birth year and names."""
        if (
            idol["id"].removeprefix("Q").isdigit()
        ):  # the dataset keys a few unnamed people "Q…-name"
            person["wikidata_id"] = idol["id"]
        person["birth_year"] = idol.get("birth_year")
        names = (person["name"], person.get("name_hangul"), *person["aliases"])
        known = {fold(n) for n in names if n}
        person["aliases"] += [
            x for x in dict.fromkeys((idol["name"], *idol["aliases"])) if fold(x) not in known
        ]
        add_source(person, KPOPDLE_IDOLS)
        self.person_by_qid[idol["id"]] = person["id"]

    def add_members(self, a: Raw) -> None:
        """Create or link the people of one curated group or unit, with their memberships."""
        idols = self.idols_by_group.get(a["wikidata_id"] or "", [])
        source = (pick(a["sources"], "idol.json") or pick(a["sources"], DBKPOP) or a["sources"])[0]
        for field, status in (("members", "current"), ("former_members", "former")):
            for name in a[field]:
                person = self.person_for(a, name, idols, source)
                self.join(person, a["id"], status, source, DBKPOP_DATE)

    def add_wikidata_members(self, a: Raw) -> None:
        """Give a curated act with no dbkpop line-up its Wikidata members, as "unstated" (the
        Wikidata list mixes current and former members). An act that has a dbkpop line-up is
        left alone: its Wikidata names often spell the same people differently."""
        if a["members"] or a["former_members"]:
            return
        for idol in self.idols_by_group.get(a["wikidata_id"] or "", []):
            if idol["id"] in self.person_by_qid:
                continue
            base_id = f"{a['id']}--{slug(idol['name']) or 'member'}"
            person = self.new_person(base_id, idol["name"], idol)
            person["origin"] = "wikidata"
            add_source(self.entries[a["id"]], KPOPDLE_IDOLS)
            self.join(person, a["id"], "unstated", KPOPDLE_IDOLS, WIKIDATA_DATE)

    def person_for(self, a: Raw, name: str, idols: list[Raw], source: str) -> Raw:
        """Return the existing person this member is, or a new person entry."""
        key = fold(name)
        for entry in self.entries.values():
            names = {fold(n) for n in (entry["name"], *entry["aliases"])}
            if entry["type"] == "soloist" and entry["group_id"] == a["id"] and key in names:
                return entry
        if a["type"] == "unit" and a["parent_group"]:
            parent_id = self.id_by_name[fold(a["parent_group"])]
            for m in self.memberships:
                if m["act"] == parent_id and fold(self.entries[m["person"]]["name"]) == key:
                    return self.entries[m["person"]]
        idol = unique_idol(key, idols)
        if idol is not None and idol["id"] in self.person_by_qid:
            return self.entries[self.person_by_qid[idol["id"]]]
        entry = self.new_person(f"{a['id']}--{slug(name) or 'member'}", name, idol)
        add_source(entry, source)
        return entry

    def new_person(self, base_id: str, name: str, idol: Raw | None) -> Raw:
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
            "sources": [],
            "fact_sources": {},
            "notes": [],
        }
        if idol is not None:
            self.enrich(entry, idol)
        self.entries[entry_id] = entry
        return entry

    def join(self, person: Raw, act_id: str, status: str, source: str, as_of: str) -> None:
        """Record that `person` is (or was) in `act_id`, per `source` as of its snapshot."""
        for m in self.memberships:
            if m["person"] == person["id"] and m["act"] == act_id and m["status"] == status:
                return
        add_source(person, source)
        self.memberships.append(
            {
                "person": person["id"],
                "act": act_id,
                "role": "member",
                "status": status,
                "start": None,
                "end": None,
                "as_of": as_of,
                "source": source,
            }
        )

    def add_wikidata_group(self, g: Raw) -> None:
        """Add a group that only the Wikidata-derived dataset has, with its Wikidata members."""
        base = slug(g["name"].replace("+", " plus ")) or g["id"].lower()
        group_id = base if base not in self.entries else f"{base}-{g['id'].lower()}"
        company = g["company"]
        if company and g["company_parent"]:
            company = f"{company} (parent: {g['company_parent']})"
        facts: dict[str, list[str]] = {"debut": [KPOPDLE_GROUPS]} if g["debut_year"] else {}
        if g["generation"] is not None:
            facts["generation"] = [KPOPDLE_GROUPS]
        disbanded = g["status"] == "disbanded"
        if disbanded:
            facts["ended"] = [KPOPDLE_GROUPS]
        spans = [{"label": company, "as_of": WIKIDATA_DATE, "source": KPOPDLE_GROUPS}]
        self.entries[group_id] = {
            "id": group_id,
            "type": "group",
            "origin": "wikidata",
            "name": g["name"],
            "name_hangul": None,
            "aliases": [x for x in dict.fromkeys(g["aliases"]) if fold(x) != fold(g["name"])],
            "gender": g["gender"],
            "debut_year": g["debut_year"],
            "disbanded": disbanded,
            "agencies": spans if company else [],
            "generation": g["generation"],
            "generation_basis": "debut-year rule of the Wikidata-derived dataset",
            "generation_disputed": False,
            "wikidata_id": g["id"],
            "sources": [KPOPDLE_GROUPS],
            "fact_sources": facts,
            "notes": ["debut day unknown here: the dataset gives year precision only"],
        }
        self.id_by_qid[g["id"]] = group_id
        for idol in self.idols_by_group.get(g["id"], []):
            known = self.person_by_qid.get(idol["id"])
            if known:
                person = self.entries[known]
            else:
                person = self.new_person(
                    f"{group_id}--{slug(idol['name']) or 'member'}", idol["name"], idol
                )
                person["origin"] = "wikidata"
            add_source(self.entries[group_id], KPOPDLE_IDOLS)
            self.join(person, group_id, "current", KPOPDLE_IDOLS, WIKIDATA_DATE)


def agency_spans(a: Raw, sources: list[str]) -> list[Raw]:
    """Return the act's label as one span dated by the snapshot of the dataset it came from."""
    agency = a["agency"]
    if not agency:
        return []
    by_source = a["agency_by_source"]
    wiki = by_source.get("wikidata_wikipedia_2026")
    if wiki and agency.casefold().startswith(wiki.casefold()):
        source = (pick(sources, KPOPDLE_GROUPS) or sources)[0]
        return [{"label": agency, "as_of": WIKIDATA_DATE, "source": source}]
    dbk = by_source.get("dbkpop_2023")
    if dbk and agency.casefold().startswith(dbk.casefold()):
        source = (pick(sources, DBKPOP) or sources)[0]
        return [{"label": agency, "as_of": DBKPOP_DATE, "source": source}]
    # A label read on a web page that gives no date: the span says so rather than guess one.
    return [{"label": agency, "as_of": None, "source": (urls(sources) or sources)[0]}]


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


def _clean(birth_name: str | None) -> str | None:
    return birth_name.replace(" (dbkpop romanization)", "") if birth_name else None


def unique_idol(key: str, idols: list[Raw]) -> Raw | None:
    """Return the only idol of the group named `key` (whole name, alias, or name word)."""
    found = [i for i in idols if key in {fold(n) for n in (i["name"], *i["aliases"])}]
    if not found:
        # "Mark" is "Mark Lee" in NCT's Wikidata list: a whole word, and only one in the group.
        found = [i for i in idols if key in {fold(w) for w in i["name"].split()}]
    return found[0] if len(found) == 1 else None


def translate(artists: list[Raw], groups: list[Raw], idols: list[Raw]) -> Translation:
    """Return the straight translation of the three shared files."""
    return Translation(artists, groups, idols).run()
