"""Build bot/data/catalog.json: `python -m scripts.build_catalog` (see scripts/catalog/)."""

from __future__ import annotations

from scripts.catalog.build import main

if __name__ == "__main__":
    raise SystemExit(main())
