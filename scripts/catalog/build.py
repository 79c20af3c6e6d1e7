"""Build bot/data/catalog.json from the project's shared K-pop facts.

Run from the repository root, with shared/ beside it:

    .venv/bin/python -m scripts.build_catalog [--shared ../shared/data/kpop] [--out PATH]
        [--corrections scripts/catalog_corrections.yaml]

It translates the shared files, prints how many contradictions of each kind the translation
holds, applies the fixes and the sourced corrections, prints the counts again, and writes the
file only when none remain and the loader's schema accepts it. The app and the tests read only
the shipped file, never shared/.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.domain.catalog.model import SCHEMA_VERSION, CatalogFile
from scripts.catalog.checks import Document, report, run_checks
from scripts.catalog.corrections import load_corrections
from scripts.catalog.fixes import fix
from scripts.catalog.translate import translate

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = ROOT.parent / "shared" / "data" / "kpop"
DEFAULT_OUT = ROOT / "bot" / "data" / "catalog.json"
DEFAULT_CORRECTIONS = ROOT / "scripts" / "catalog_corrections.yaml"

__all__ = ["build", "main"]


def build(shared: Path, corrections: Path) -> tuple[dict[str, Any], str, int]:
    """Return (document, report text, contradictions left) for the shared folder."""
    artists = json.loads((shared / "artists.json").read_text(encoding="utf-8"))
    groups = json.loads((shared / "wikidata" / "groups.json").read_text(encoding="utf-8"))
    idols = json.loads((shared / "wikidata" / "idols.json").read_text(encoding="utf-8"))
    raw = translate(artists, groups["groups"], idols["idols"])
    doc = Document(raw.entries, raw.memberships)
    before = run_checks(doc)
    fix(doc, load_corrections(corrections))
    after = run_checks(doc)
    document = {
        "schema_version": SCHEMA_VERSION,
        "generated_from": [
            "shared/data/kpop/artists.json",
            f"shared/data/kpop/wikidata/groups.json (version {groups['version']})",
            f"shared/data/kpop/wikidata/idols.json (version {idols['version']})",
            f"scripts/{corrections.name}",
        ],
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d"),
        "entries": [_compact(e) for e in doc.entries.values()],
        "memberships": [_compact(m) for m in doc.memberships],
    }
    left = sum(len(v) for v in after.values())
    return document, report(before, after), left


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if v not in (None, [], {}, False)}
    if "agencies" in out:
        out["agencies"] = [{k: v for k, v in s.items() if v is not None} for s in out["agencies"]]
    return out


def main(argv: list[str] | None = None) -> int:
    """Generate the catalog file and print the report; exit 1 on any contradiction left."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--corrections", type=Path, default=DEFAULT_CORRECTIONS)
    args = parser.parse_args(argv)
    document, text, left = build(args.shared, args.corrections)
    sys.stdout.write(text + "\n")
    if left:
        sys.stderr.write(f"refusing to write: {left} contradictions left\n")
        return 1
    CatalogFile.model_validate(document)  # refuse to write a file the loader would reject
    out = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    args.out.write_text(out, encoding="utf-8")
    kinds: dict[str, int] = {}
    for e in document["entries"]:
        kinds[e["type"]] = kinds.get(e["type"], 0) + 1
    sys.stdout.write(
        f"wrote {len(document['entries'])} entries {kinds} and "
        f"{len(document['memberships'])} memberships to {args.out}\n"
    )
    return 0
