"""The shipped artist catalog's schema, and the loader that validates it."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.resources import data_path

if TYPE_CHECKING:
    from bot.domain.catalog.search import Catalog

__all__ = [
    "DEFAULT_CATALOG_PATH",
    "FACT_FIELDS",
    "SCHEMA_VERSION",
    "CatalogFile",
    "Entry",
    "EntryType",
    "XHandle",
    "load_catalog",
]

SCHEMA_VERSION = 1
DEFAULT_CATALOG_PATH = data_path("catalog.json")

EntryType = Literal["group", "unit", "soloist", "member"]
ACT_TYPES: frozenset[str] = frozenset({"group", "unit", "soloist"})
GROUP_TYPES: frozenset[str] = frozenset({"group", "unit"})

# Every one of these, when set, must name its own sources in `fact_sources`.
FACT_FIELDS: tuple[str, ...] = (
    "name_hangul",
    "birth_name",
    "debut",
    "agency",
    "fandom",
    "members",
    "generation",
)

_ID_PATTERN = r"^[a-z0-9]+(?:-{1,2}[a-z0-9]+)*$"


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


class Entry(_Frozen):
    """One searchable act or person; aging facts carry an `as_of` note."""

    id: str = Field(pattern=_ID_PATTERN, max_length=80)
    type: EntryType
    origin: Literal["curated", "wikidata"]
    name: str = Field(min_length=1, max_length=80)
    name_hangul: str | None = None
    aliases: tuple[str, ...] = ()
    birth_name: str | None = None
    birth_name_hangul: str | None = None
    gender: str | None = None
    # Units and soloists: the parent group. Members: the group they are listed under first.
    group_id: str | None = None
    group_ids: tuple[str, ...] = ()
    former_group_ids: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    former_members: tuple[str, ...] = ()
    members_as_of: str | None = None
    debut_date: dt.date | None = None
    debut_year: int | None = Field(default=None, ge=1950, le=2100)
    debut_month: int | None = Field(default=None, ge=1, le=12)  # where only the month is known
    debut_note: str | None = None
    agency: str | None = None
    agency_as_of: str | None = None
    fandom: str | None = None
    generation: int | None = Field(default=None, ge=1, le=6)
    generation_basis: str | None = None
    generation_disputed: bool = False
    status: str | None = None
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
        if self.type == "member":
            if self.group_id is None:
                raise ValueError(f"{self.id}: a member needs group_id")
            if self.group_id not in (*self.group_ids, *self.former_group_ids):
                raise ValueError(f"{self.id}: group_id not among the member's groups")
        if self.type == "unit" and self.group_id is None:
            raise ValueError(f"{self.id}: a unit needs its parent group_id")
        if self.members and self.members_as_of is None:
            raise ValueError(f"{self.id}: members need members_as_of")
        if self.agency is not None and self.agency_as_of is None:
            raise ValueError(f"{self.id}: agency needs agency_as_of")
        known = set(self.sources)
        for fact, sources in self.fact_sources.items():
            if fact not in FACT_FIELDS:
                raise ValueError(f"{self.id}: unknown fact {fact!r} in fact_sources")
            if not sources or not set(sources) <= known:
                raise ValueError(f"{self.id}: sources of {fact!r} must be listed in sources")
        for handle in self.x_handles:
            if not set(handle.sources) <= known:
                raise ValueError(f"{self.id}: sources of {handle.handle} must be in sources")
        return self

    @property
    def is_act(self) -> bool:
        """Return whether this is an act (group, unit or soloist) rather than a member."""
        return self.type in ACT_TYPES

    def fact_value(self, fact: str) -> object:
        """Return the value behind one FACT_FIELDS name (None or empty when unknown)."""
        if fact == "debut":
            return self.debut_date or self.debut_year
        if fact == "members":
            return self.members or self.former_members
        return getattr(self, fact)


class CatalogFile(_Frozen):
    """The whole shipped file: a version, its provenance, and the entries."""

    schema_version: Literal[1]
    generated_from: tuple[str, ...] = Field(min_length=1)
    generated_at: str
    entries: tuple[Entry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Self:
        dupes = [k for k, n in Counter(e.id for e in self.entries).items() if n > 1]
        if dupes:
            raise ValueError(f"duplicate ids: {dupes[:5]}")
        by_id = {e.id: e for e in self.entries}
        for entry in self.entries:
            for ref in (entry.group_id, *entry.group_ids, *entry.former_group_ids):
                if ref is not None and (ref not in by_id or by_id[ref].type not in GROUP_TYPES):
                    raise ValueError(f"{entry.id}: {ref!r} is not a group in the catalog")
            for ref in (*entry.members, *entry.former_members):
                if ref not in by_id or (by_id[ref].is_act and by_id[ref].type != "soloist"):
                    raise ValueError(f"{entry.id}: member {ref!r} is not a person in the catalog")
        return self


def load_catalog(path: Path | None = None) -> Catalog:
    """Read, validate and index the catalog file (the shipped one by default)."""
    from bot.domain.catalog.search import Catalog

    raw = json.loads((path or DEFAULT_CATALOG_PATH).read_text(encoding="utf-8"))
    parsed = CatalogFile.model_validate(raw)
    return Catalog(parsed.entries, generated_at=parsed.generated_at)
