"""Latency of artist search and autocomplete, against a plain linear difflib scan.

Run: `python -m bench.artist_search [--json PATH] [--rounds N]`. Two catalogs are measured in the
same run: the shipped one, and a synthetic 10,000-entry one (the shipped entries plus generated
acts with Latin and Hangul names and aliases). The baseline folds the query the same way and
ranks every name with difflib.SequenceMatcher, which is what a catalog without an index does.
Target: autocomplete p99 under 5 ms at 10,000 entries.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import difflib
import gc
import json
import random
from collections.abc import Callable, Sequence

from bench._timing import measure
from bot.domain.catalog import Catalog, Entry, load_catalog
from bot.domain.catalog.normalize import search_key

SYNTHETIC_SIZE = 10_000
TARGET_P99_MS = 5.0
_LATIN = ["ka", "ri", "so", "mi", "na", "jun", "hye", "won", "bin", "lu", "ne", "zy", "ta", "ex"]
_HANGUL = ["가", "나", "리", "소", "미", "준", "혜", "원", "빈", "루", "네", "지", "태", "엑"]


def synthetic_catalog(base: Catalog, size: int, seed: int = 7) -> Catalog:
    """Return the shipped entries plus generated acts, `size` entries in all."""
    rng = random.Random(seed)
    entries = list(base.entries)
    source = ("synthetic",)
    while len(entries) < size:
        n = rng.randint(2, 4)
        latin = "".join(rng.choice(_LATIN) for _ in range(n)).capitalize()
        hangul = "".join(rng.choice(_HANGUL) for _ in range(n))
        entries.append(
            Entry(
                id=f"synthetic-{len(entries)}",
                type="group",
                origin="wikidata",
                name=f"{latin} {rng.choice(['Girls', 'Boys', 'X', '7', 'Stars'])}",
                name_hangul=hangul,
                aliases=(latin.upper(), f"{latin}{rng.randint(1, 99)}"),
                sources=source,
                fact_sources={"name_hangul": source},
            )
        )
    return Catalog(entries, base.memberships)


def queries_for(catalog: Catalog, count: int, seed: int = 11) -> list[str]:
    """Return a realistic mix: exact names, Hangul, typos, prefixes as typed, and junk."""
    rng = random.Random(seed)
    picks = rng.sample(list(catalog.entries), min(count, len(catalog.entries)))
    out: list[str] = ["blakpink", "stray kidz", "방탄소년단", "Rosé", "@everyone", "", "x" * 1000]
    for i, entry in enumerate(picks):
        name = entry.name
        match i % 5:
            case 0:
                out.append(name)
            case 1:
                out.append(entry.name_hangul or name.lower())
            case 2:
                cut = rng.randrange(len(name)) if len(name) > 2 else 0
                out.append(name[:cut] + name[cut + 1 :])  # one letter dropped
            case 3:
                out.append(name[: max(1, len(name) // 2)])  # still typing
            case _:
                out.append(name.swapcase() + " ")
    return out[:count]


def difflib_search(names: Sequence[tuple[str, str]], query: str, limit: int = 25) -> list[str]:
    """Rank every (key, id) with difflib, the unindexed baseline."""
    key = search_key(query)
    if not key:
        return []
    scored = [(difflib.SequenceMatcher(None, key, k, autojunk=False).ratio(), i) for k, i in names]
    scored.sort(reverse=True)
    return [i for _, i in scored[:limit]]


def run(rounds: int, query_count: int) -> list[dict[str, object]]:
    """Measure every (catalog, operation) pair and return the rows."""
    shipped = load_catalog()
    catalogs = {"shipped": shipped, "synthetic": synthetic_catalog(shipped, SYNTHETIC_SIZE)}
    # A running bot loaded its catalog long ago; keep the fresh objects out of GC sweeps so the
    # numbers measure search, not a collector walking 10,000 just-built entries.
    gc.collect()
    gc.freeze()
    rows: list[dict[str, object]] = []
    for label, catalog in catalogs.items():
        queries = queries_for(catalog, query_count)
        keys = [(search_key(n), e.id) for e in catalog.entries for n in _names(e)]
        ops: dict[str, tuple[Callable[[str], object], int]] = {
            "autocomplete": (catalog.autocomplete, rounds),
            "search": (lambda q, c=catalog: c.search(q), rounds),
            "resolve": (lambda q, c=catalog: c.resolve(q), rounds),
            "difflib baseline": (lambda q, k=keys: difflib_search(k, q), 1),
        }
        for op, (fn, op_rounds) in ops.items():
            stats = measure(fn, queries if op_rounds > 1 else queries[:100], op_rounds)
            rows.append({"catalog": label, "entries": len(catalog), "operation": op, **stats})
    return rows


def _names(entry: Entry) -> list[str]:
    return [n for n in (entry.name, entry.name_hangul, *entry.aliases) if n]


def main(argv: list[str] | None = None) -> int:
    """Print the latency table; write JSON if asked; exit 1 if the 10k target is missed."""
    parser = argparse.ArgumentParser(description="artist search latency")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args(argv)
    rows = run(args.rounds, args.queries)
    header = f"{'catalog':<10} {'entries':>7} {'operation':<17} {'median ms':>9} {'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['catalog']!s:<10} {r['entries']!s:>7} {r['operation']!s:<17} "
            f"{r['median_ms']!s:>9} {r['p99_ms']!s:>8}"
        )
    target = next(
        r for r in rows if r["catalog"] == "synthetic" and r["operation"] == "autocomplete"
    )
    ok = float(str(target["p99_ms"])) < TARGET_P99_MS
    print(
        f"autocomplete p99 at {target['entries']} entries: {target['p99_ms']} ms "
        f"(target < {TARGET_P99_MS} ms): {'met' if ok else 'MISSED'}"
    )
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": rows, "target_met": ok}, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
