"""The shipped artist catalog's schema, and the loader that validates it.

People and acts are separate entries; who is (or was) in which act is a `Membership` with its own
status, years and source; an act's labels are dated `AgencySpan`s, each with its own source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.resources import data_path

__all__ = [
    "DEFAULT_CATALOG_PATH",
    "FACT_FIELDS",
    "SCHEMA_VERSION",
    "AgencySpan",
    "CatalogFile",
    "Entry",
    "EntryType",
    "Membership",
    "MembershipStatus",
    "XHandle",
]

SCHEMA_VERSION = 2
DEFAULT_CATALOG_PATH = data_path("catalog.json")

EntryType = Literal["group", "unit", "soloist", "member"]
# "unstated": the source lists the person without saying whether they are still in the act
# (Wikidata's "has part" lists mix current and former members).
MembershipStatus = Literal["current", "former", "unstated"]
ACT_TYPES: frozenset[str] = frozenset({"group", "unit", "soloist"})
GROUP_TYPES: frozenset[str] = frozenset({"group", "unit"})
PERSON_TYPES: frozenset[str] = frozenset({"member", "soloist"})

# Every one of these, when set, must name its own sources in `fact_sources`. Line-ups and labels
# carry their source on each membership and agency span instead.
FACT_FIELDS: tuple[str, ...] = (
    "name_hangul",
    "birth_name",
    "debut",
    "ended",
    "fandom",
    "generation",
)

_ID_PATTERN = r"^[a-z0-9]+(?:-{1,2}[a-z0-9]+)*$"
# A date as precise as the source gives it: "2023", "2023-06" or "2023-06-15".
_PARTIAL_DATE = r"^\d{4}(?:-\d{2}){0,2}$"
_YEAR = Field(default=None, ge=1950, le=2100)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class XHandle(_Frozen):
    """An official X (Twitter) account, with the pages where it was seen."""

    handle: str = Field(pattern=r"^@[A-Za-z0-9_]{1,15}$")
    note: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)

    @property
    def url(self) -> str:
        """Return the account's x.com address."""
        return f"https://x.com/{self.handle.removeprefix('@')}"


class AgencySpan(_Frozen):
    """One label an act was with: `since`/`until` years where a source dates the move.

    A span with no `since` is only known from a snapshot: `as_of` is then the date of that
    snapshot (the source's date, never the day we built the file), or None when the source
    gives no date at all.
    """

    label: str = Field(min_length=1, max_length=80)
    since: int | None = _YEAR
    until: int | None = _YEAR
    as_of: str | None = Field(default=None, pattern=_PARTIAL_DATE)
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _dated(self) -> Self:
        if self.since is not None and self.until is not None and self.until < self.since:
            raise ValueError(f"agency {self.label!r}: until before since")
        if re.search(r"\[\[|\]\]|\{\{|'''|<ref|\(parent:", self.label):
            raise ValueError(f"agency {self.label!r}: wiki markup or a parent note in the label")
        return self

    @property
    def current(self) -> bool:
        """Return whether this is the label the act is with now (no end year)."""
        return self.until is None


class Membership(_Frozen):
    """A person's time in an act: (person, act, role, start, end, source) with a status.

    `as_of` is the date of the source's snapshot when the status rests on one (a "current"
    member per a 2023 list is current as of 2023, not necessarily today).
    """

    person: str = Field(pattern=_ID_PATTERN)
    act: str = Field(pattern=_ID_PATTERN)
    role: str = "member"
    status: MembershipStatus
    start: int | None = _YEAR
    end: int | None = _YEAR
    as_of: str | None = Field(default=None, pattern=_PARTIAL_DATE)
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _timed(self) -> Self:
        if self.end is not None and self.status != "former":
            raise ValueError(f"{self.person} in {self.act}: only a former member has an end")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"{self.person} in {self.act}: end before start")
        return self


class Entry(_Frozen):
    """One searchable act or person; line-ups live in `CatalogFile.memberships`."""

    id: str = Field(pattern=_ID_PATTERN, max_length=80)
    type: EntryType
    origin: Literal["curated", "wikidata"]
    name: str = Field(min_length=1, max_length=80)
    name_hangul: str | None = None
    aliases: tuple[str, ...] = ()
    birth_name: str | None = None
    birth_name_hangul: str | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    gender: str | None = None
    # Units: the parent group. Soloists: the group they came from, if any.
    group_id: str | None = None
    debut_date: dt.date | None = None
    debut_year: int | None = _YEAR
    debut_month: int | None = Field(default=None, ge=1, le=12)  # where only the month is known
    debut_note: str | None = None
    disbanded: bool = False  # acts only; `ended_year` where a source dates it
    ended_year: int | None = _YEAR
    ended_month: int | None = Field(default=None, ge=1, le=12)
    agencies: tuple[AgencySpan, ...] = ()
    fandom: str | None = None
    generation: int | None = Field(default=None, ge=1, le=6)
    generation_basis: str | None = None
    generation_disputed: bool = False
    x_handles: tuple[XHandle, ...] = ()
    wikidata_id: str | None = Field(default=None, pattern=r"^Q[0-9]+$")
    sources: tuple[str, ...] = Field(min_length=1)
    fact_sources: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.debut_date is not None and self.debut_year != self.debut_date.year:
            raise ValueError(f"{self.id}: debut_year does not match debut_date")
        if self.debut_month is not None and (self.debut_year is None or self.debut_date):
            raise ValueError(f"{self.id}: debut_month goes with debut_year and no debut_date")
        if self.ended_month is not None and self.ended_year is None:
            raise ValueError(f"{self.id}: ended_month goes with ended_year")
        if self.ended_year is not None and not self.disbanded:
            raise ValueError(f"{self.id}: ended_year goes with disbanded")
        if self.type == "unit" and self.group_id is None:
            raise ValueError(f"{self.id}: a unit needs its parent group_id")
        if self.type == "member" and (self.agencies or self.disbanded):
            raise ValueError(f"{self.id}: agencies and ended_year belong to acts")
        if sum(span.current for span in self.agencies) > 1:
            raise ValueError(f"{self.id}: more than one current agency")
        known = set(self.sources)
        for fact, sources in self.fact_sources.items():
            if fact not in FACT_FIELDS:
                raise ValueError(f"{self.id}: unknown fact {fact!r} in fact_sources")
            if not sources or not set(sources) <= known:
                raise ValueError(f"{self.id}: sources of {fact!r} must be listed in sources")
        for fact in FACT_FIELDS:
            if self.fact_value(fact) not in (None, "") and fact not in self.fact_sources:
                raise ValueError(f"{self.id}: {fact!r} has no source")
        for handle in self.x_handles:
            if not set(handle.sources) <= known:
                raise ValueError(f"{self.id}: sources of {handle.handle} must be in sources")
        for span in self.agencies:
            if span.source not in known:
                raise ValueError(f"{self.id}: source of agency {span.label!r} not in sources")
        return self

    @property
    def is_act(self) -> bool:
        """Return whether this is an act (group, unit or soloist) rather than a member."""
        return self.type in ACT_TYPES

    @property
    def agency(self) -> AgencySpan | None:
        """Return the current label span, or None when no source names one."""
        return next((span for span in self.agencies if span.current), None)

    def fact_value(self, fact: str) -> object:
        """Return the value behind one FACT_FIELDS name (None or empty when unknown)."""
        if fact == "debut":
            return self.debut_date or self.debut_year
        if fact == "ended":
            return self.disbanded or None
        return getattr(self, fact)


class CatalogFile(_Frozen):
    """The whole shipped file: a version, its provenance, the entries and the memberships."""

    schema_version: Literal[2]
    generated_from: tuple[str, ...] = Field(min_length=1)
    generated_at: str
    entries: tuple[Entry, ...] = Field(min_length=1)
    memberships: tuple[Membership, ...] = ()

    @model_validator(mode="after")
    def _references(self) -> Self:
        dupes = [k for k, n in Counter(e.id for e in self.entries).items() if n > 1]
        if dupes:
            raise ValueError(f"duplicate ids: {dupes[:5]}")
        by_id = {e.id: e for e in self.entries}
        for entry in self.entries:
            ref = entry.group_id
            if ref is not None and (ref not in by_id or by_id[ref].type not in GROUP_TYPES):
                raise ValueError(f"{entry.id}: {ref!r} is not a group in the catalog")
        for m in self.memberships:
            person, act = by_id.get(m.person), by_id.get(m.act)
            if person is None or person.type not in PERSON_TYPES:
                raise ValueError(f"membership: {m.person!r} is not a person in the catalog")
            if act is None or act.type not in GROUP_TYPES:
                raise ValueError(f"membership of {m.person}: {m.act!r} is not a group or unit")
            if m.source not in person.sources and m.source not in act.sources:
                raise ValueError(f"membership {m.person} in {m.act}: source not on either entry")
        return self
