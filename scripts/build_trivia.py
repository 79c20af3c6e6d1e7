"""Build bot/data/trivia.json from the shared K-pop firsts and the prompts in trivia_prompts.py.

Run by a maintainer only (`.venv/bin/python scripts/build_trivia.py [path/to/firsts.json]`);
the bot and its tests read the shipped bot/data/trivia.json and never the shared folder.

Every prompt is written by hand so that it stays true as worded: it keeps the fact's qualifiers
("K-pop girl group", "Korean soloist", "debut song"), puts the year in the question because a
2024 record may since have been overtaken, words records (`strict_first: false`) as records, and
checks that no distractor could also be right (a later achiever is ruled out by the date).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from trivia_prompts import ACCEPTED, CATEGORY_MAP, Q

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "kpop" / "firsts.json"
TARGET = ROOT / "bot" / "data" / "trivia.json"
SCHEMA_VERSION = 1


def _act_ids(raw: list[str]) -> list[str]:
    # The shared file points at another file for non-artist entities; keep only the slug.
    return [a.split(" ", 1)[0] for a in raw]


def build(facts: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the trivia document for the given shared facts."""
    questions = []
    for fact in facts:
        fid = fact["id"]
        spec = Q[fid]
        answer = spec.get("answer", fact["act"])
        quote = fact["source_quote"]
        if "source_quote_translation" in fact:
            quote = f"{quote} ({fact['source_quote_translation']})"
        questions.append(
            {
                "id": "kf-" + fid[1:],
                "prompt": spec["prompt"],
                "answer": answer,
                "accepted": ACCEPTED.get(answer, []),
                "distractors": spec.get("distractors", fact["distractors"]),
                "category": CATEGORY_MAP[fact["category"]],
                "year": fact["year"],
                "source_url": fact["source_url"],
                "source_quote": quote,
                "act_ids": spec.get("act_ids", _act_ids(fact["act_ids"])),
                "record": not fact.get("strict_first", True),
            }
        )
    missing = set(Q) - {f["id"] for f in facts}
    if missing:
        raise SystemExit(f"prompts without a fact: {sorted(missing)}")
    return {"schema_version": SCHEMA_VERSION, "questions": questions}


def main() -> None:
    """Read the shared facts and write the shipped question bank."""
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    facts = json.loads(source.read_text(encoding="utf-8"))
    doc = build(facts)
    TARGET.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.stderr.write(f"wrote {len(doc['questions'])} questions to {TARGET}\n")


if __name__ == "__main__":
    main()
