"""Load the shipped artist catalog: read the file, validate its schema, build the search index."""

from __future__ import annotations

import json
from pathlib import Path

from bot.domain.catalog.model import DEFAULT_CATALOG_PATH, CatalogFile
from bot.domain.catalog.search import Catalog

__all__ = ["load_catalog"]


def load_catalog(path: Path | None = None) -> Catalog:
    """Read, validate and index the catalog file (the shipped `bot/data/catalog.json` by default).

    Raises OSError when the file cannot be read and pydantic.ValidationError when it does not
    match the schema (see bot/domain/catalog/model.py).
    """
    raw = json.loads((path or DEFAULT_CATALOG_PATH).read_text(encoding="utf-8"))
    parsed = CatalogFile.model_validate(raw)
    return Catalog(parsed.entries, parsed.memberships, generated_at=parsed.generated_at)
