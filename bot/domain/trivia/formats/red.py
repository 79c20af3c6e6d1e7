"""Red-DiscordBot trivia lists: `question: [accepted answers]`, plus AUTHOR, DESCRIPTION, CONFIG.

Each question becomes a typed-answer question: the first answer is the one revealed, all of them
are accepted. One file is one category in Red; here it becomes one pack. AUTHOR and DESCRIPTION
are reported (the pack's name is what members see) and CONFIG, Red's game settings, is reported
as ignored because /trivia settings holds the timing.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.trivia.formats.result import RED, Collector, ImportResult
from bot.domain.trivia.model import ACCEPTED_MAX
from bot.domain.trivia.validate import clean

META_KEYS = frozenset({"AUTHOR", "DESCRIPTION", "CONFIG"})


def looks_like_red(doc: Mapping[object, object]) -> bool:
    """Say whether a mapping reads as a Red list: question keys mapping to lists of text."""
    questions = [v for k, v in doc.items() if k not in META_KEYS]
    return bool(questions) and all(
        isinstance(v, list) and all(isinstance(a, str) for a in v) for v in questions
    )


def parse_red(doc: Mapping[object, object], id_prefix: str) -> ImportResult:
    """Import a Red trivia list; raise PackInvalid if no question could be used."""
    out = Collector(RED, id_prefix)
    for key in ("AUTHOR", "DESCRIPTION"):
        value = doc.get(key)
        if isinstance(value, str) and clean(value):
            out.ignored.append(f"{key} ({clean(value)[:60]}) is not stored")
    config = doc.get("CONFIG")
    if isinstance(config, Mapping) and config:
        names = ", ".join(str(k) for k in list(config)[:8])
        out.ignored.append(f"CONFIG ({names}) is Red's game setup; use /trivia settings instead")
    for prompt, answers in doc.items():
        if prompt in META_KEYS:
            continue
        assert isinstance(answers, list)  # noqa: S101 - looks_like_red checked it
        if not answers:
            out.skip(f"question {out.seen + 1}", "has no answers")
            out.seen += 1
            continue
        if len(answers) > 1 + ACCEPTED_MAX:
            out.ignored.append(
                f"question {out.seen + 1}: only the first {1 + ACCEPTED_MAX} answers are kept"
            )
        out.add({"prompt": prompt, "answer": answers[0], "accepted": answers[1 : 1 + ACCEPTED_MAX]})
    return out.result()
