"""Latency of reading party times, per phrase, against a bare `dateparser.parse` of the same text.

Run: `python -m bench.timeparse [--json PATH] [--rounds N]`. The phrases are the corpus of real
phrasings the tests check (tests/domain/timeparse_corpus.tsv: 7 languages, zones, DST, month
ends), each read with its own member zone, locale and fixed now. The baseline is what a bot
without our reader would call: `dateparser.parse(text)` with default settings (language
detection on), over the same phrases in the same process. Both are warmed up first (dateparser's
language data loads on first use), so the figures are steady-state per-phrase costs.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import contextlib
import gc
import json
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bench._timing import measure
from bot.domain.timeparse import read_when
from bot.errors import InvalidInput

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "domain" / "timeparse_corpus.tsv"
Phrase = tuple[str, ZoneInfo, str, datetime]


def load_phrases(limit: int | None = None) -> list[Phrase]:
    """Return (text, member zone, locale, now) for each corpus row, at most `limit`."""
    phrases: list[Phrase] = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text, zone, locale, now, *_ = line.split("\t")
        phrases.append((text, ZoneInfo(zone), locale, datetime.fromisoformat(now)))
    return phrases[:limit] if limit else phrases


def ours(phrase: Phrase) -> None:
    """Read one phrase as /party schedule does (an InvalidInput refusal is a normal outcome)."""
    text, zone, locale, now = phrase
    with contextlib.suppress(InvalidInput):
        read_when(text, zone, now, locale)


def bare_dateparser(phrase: Phrase) -> None:
    """Call dateparser.parse on the text with default settings, as a bot without a reader would."""
    import dateparser

    dateparser.parse(phrase[0])


def run(rounds: int, limit: int | None = None) -> list[dict[str, object]]:
    """Measure our reader and the bare dateparser baseline over the same phrases."""
    phrases = load_phrases(limit)
    gc.collect()
    rows: list[dict[str, object]] = []
    for label, fn in (("read_when", ours), ("bare dateparser.parse", bare_dateparser)):
        rows.append(
            {"reader": label, "phrases": len(phrases), **measure(fn, phrases, rounds, warmup=True)}
        )
    return rows


def format_table(rows: Sequence[dict[str, object]]) -> str:
    """Render the rows as a plain-text table."""
    lines = [f"{'reader':<22} {'phrases':>7} {'median ms':>9} {'p99 ms':>8} {'max ms':>8}"]
    for r in rows:
        lines.append(
            f"{r['reader']!s:<22} {r['phrases']!s:>7} {r['median_ms']!s:>9} "
            f"{r['p99_ms']!s:>8} {r['max_ms']!s:>8}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the latency table; write JSON if asked."""
    parser = argparse.ArgumentParser(description="party time parsing latency")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None, help="only the first N phrases")
    args = parser.parse_args(argv)
    rows = run(args.rounds, args.limit)
    print(format_table(rows))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
