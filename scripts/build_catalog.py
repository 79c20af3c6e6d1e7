"""Build bot/data/catalog.json: `python scripts/build_catalog.py` (or `-m scripts.build_catalog`).

See scripts/catalog/ for the steps (translate, checks, fixes, people, corrections, build).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python scripts/build_catalog.py`: the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.catalog.build import main

if __name__ == "__main__":
    raise SystemExit(main())
