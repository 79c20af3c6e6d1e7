"""The artist catalog: schema, loader, name folding and search (no Discord here)."""

from bot.domain.catalog.loader import load_catalog
from bot.domain.catalog.model import Entry, XHandle
from bot.domain.catalog.search import Catalog, Match, Resolution

__all__ = ["Catalog", "Entry", "Match", "Resolution", "XHandle", "load_catalog"]
