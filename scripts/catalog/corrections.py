"""The corrections file: facts researched by hand, each with its source and the date it was read.

One YAML list item per correction:

    - fact: membership    # membership disbanded active name_hangul remove_alias agency merge parent
      act: lightsum             # the act's id (for merge: omitted)
      person: lightsum--jian    # membership and merge: the person's id (a membership may name
                                #   a person no list has, with value.name and value.aliases)
      value: {status: former, start: 2021, end: 2022}
      source: https://...       # the page that says so
      read: 2026-11-30          # when we read it
      reason: ...               # instead of a source, only for removals the data itself proves

A correction names the source it rests on; the build turns it into "URL (read DATE)", which the
card cites like any other source.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["Correction", "load_corrections"]

Fact = Literal[
    "membership", "disbanded", "active", "name_hangul", "remove_alias", "agency", "merge", "parent"
]


class Correction(BaseModel):
    """One corrected fact with its evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fact: Fact
    act: str | None = None
    person: str | None = None
    value: Any
    source: str | None = None
    read: dt.date | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _evidenced(self) -> Self:
        if self.source is None and not (self.fact == "remove_alias" and self.reason):
            raise ValueError(f"{self.fact} {self.act or self.person}: needs a source URL")
        if self.source is not None and (
            not self.source.startswith("https://") or self.read is None
        ):
            raise ValueError(f"{self.source}: a source is an https URL with the date it was read")
        if self.fact != "merge" and self.act is None:
            raise ValueError(f"{self.fact}: which act?")
        if self.fact in ("membership", "merge") and self.person is None:
            raise ValueError(f"{self.fact} in {self.act}: which person?")
        return self

    @property
    def cited(self) -> str:
        """Return the source as the catalog cites it: "URL (read YYYY-MM-DD)"."""
        if self.source is None:
            raise ValueError("this correction rests on no outside source")
        return f"{self.source} (read {self.read})"


def load_corrections(path: Path) -> list[Correction]:
    """Read and validate the corrections file (a missing file means no corrections)."""
    if not path.exists():
        return []
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a list of corrections")
    return [Correction.model_validate(item) for item in items]
