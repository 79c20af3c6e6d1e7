"""sir-lancebot's quiz JSON: `{category: [{id, question, answer, info?, hints?, ...}]}`.

`answer` is one text or a list of accepted texts (the first is revealed); `info` becomes the
reveal's explanation. Questions whose text sir-lancebot generates in code (`dynamic_id`) or that
need an image (`img_url`) can't be played from a file and are skipped with that reason. Every
category of the file goes into the one pack.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.trivia.formats.result import LANCEBOT, Collector, ImportResult
from bot.domain.trivia.model import ACCEPTED_MAX, QUOTE_MAX
from bot.domain.trivia.validate import clean

USED = frozenset({"id", "question", "answer", "info"})
REASONS = {
    "dynamic_id": "sir-lancebot generates this question in code; it has no fixed answer",
    "img_url": "it needs its image, which packs can't show",
}


def looks_like_lancebot(doc: Mapping[object, object]) -> bool:
    """Say whether a mapping reads as sir-lancebot's quiz: categories of question objects."""
    return bool(doc) and all(
        isinstance(v, list) and v and all(isinstance(q, Mapping) and "question" in q for q in v)
        for v in doc.values()
    )


def parse_lancebot(doc: Mapping[object, object], id_prefix: str) -> ImportResult:
    """Import a sir-lancebot quiz file; raise PackInvalid if no question could be used."""
    out = Collector(LANCEBOT, id_prefix)
    if len(doc) > 1:
        out.ignored.append(f"categories {', '.join(map(str, doc))} are merged into this one pack")
    extra: set[str] = set()
    for entries in doc.values():
        assert isinstance(entries, list)  # noqa: S101 - looks_like_lancebot checked it
        for raw in entries:
            blocking = [k for k in REASONS if k in raw]
            if blocking:
                out.seen += 1
                out.skip(f"question {out.seen} ({raw.get('id', '?')})", REASONS[blocking[0]])
                continue
            extra.update(str(k) for k in raw if k not in USED)
            answers = raw.get("answer")
            listed = answers if isinstance(answers, list) else [answers]
            info = raw.get("info")
            quote = clean(info) if isinstance(info, str) else None
            if quote and len(quote) > QUOTE_MAX:
                quote = quote[: QUOTE_MAX - 1] + "…"
            out.add(
                {
                    "prompt": raw.get("question"),
                    "answer": listed[0] if listed else None,
                    "accepted": listed[1 : 1 + ACCEPTED_MAX],
                    "source_quote": quote,
                }
            )
    if extra:
        out.ignored.append(f"fields {', '.join(sorted(extra))} are not used")
    return out.result()
