"""The artist catalog: schema, loader, name folding and search (no Discord here)."""

from bot.catalog.model import Entry, XHandle, load_catalog
from bot.catalog.search import Catalog, Match, Resolution

__all__ = ["Catalog", "Entry", "Match", "Resolution", "XHandle", "load_catalog"]
