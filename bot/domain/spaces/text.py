"""Keyword filters, announcement templates and human formatting; pure string work."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import timedelta

from bot.domain.text import clean_text
from bot.errors import InvalidInput

TEMPLATE_MAX = 500
KEYWORDS_MAX = 10
KEYWORD_MAX_LEN = 50
PLACEHOLDERS: tuple[str, ...] = ("artist", "title", "url", "start")
DEFAULT_TEMPLATE = "**{artist}** is live on X Spaces: {title}\n{url}"
# {start} is a Discord relative time ("in 2 hours"): the sentence reads "starting in 2 hours".
DEFAULT_SCHEDULED_TEMPLATE = "**{artist}** scheduled an X Space starting {start}: {title}\n{url}"

_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
# `{{artist}}`, `{{ title }}`: how Handlebars, Jinja and other bots write a placeholder.
_DOUBLED = re.compile(r"\{\{\s*(" + "|".join(PLACEHOLDERS) + r")\s*\}\}")
# @everyone/@here and <@id>, <@!id>, <@&id> are the only ways text can ping on Discord.
_MASS = re.compile(r"@(everyone|here)", re.IGNORECASE)
_MENTION = re.compile(r"<(@[!&]?)(\d+)>")
_ZWSP = "\u200b"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def parse_keywords(raw: str | None) -> tuple[str, ...]:
    """Split a comma-separated keyword list; raise InvalidInput if too many or too long."""
    if raw is None:
        return ()
    words: list[str] = []
    for part in raw.split(","):
        word = clean_text(part)
        if not word:
            continue
        if len(word) > KEYWORD_MAX_LEN:
            raise InvalidInput(f"Each keyword can be at most {KEYWORD_MAX_LEN} characters.")
        if _fold(word) not in {_fold(w) for w in words}:
            words.append(word)
    if len(words) > KEYWORDS_MAX:
        raise InvalidInput(f"Use at most {KEYWORDS_MAX} keywords.")
    return tuple(words)


def matches_keywords(title: str | None, keywords: Sequence[str]) -> bool:
    """Say whether a Space title passes a follow's keyword filter (no keywords: everything)."""
    if not keywords:
        return True
    if not title:
        return False
    folded = _fold(title)
    return any(_fold(word) in folded for word in keywords)


def neutralise_mentions(text: str) -> str:
    """Break every mass or user/role mention so the text can never ping anyone."""
    text = _MASS.sub(lambda m: "@" + _ZWSP + m.group(1), text)
    return _MENTION.sub(lambda m: "<" + m.group(1) + _ZWSP + m.group(2) + ">", text)


def _quoted(template: str, pos: int, width: int = 20) -> str:
    """Quote the moderator's own words around `pos` as inline code, so they see where it is."""
    start, end = max(pos - width, 0), min(pos + width + 1, len(template))
    if start > 0 and (space := template.find(" ", start, pos)) != -1:
        start = space + 1
    if end < len(template) and (space := template.rfind(" ", pos + 1, end)) != -1:
        end = space
    snippet = " ".join(template[start:end].replace("`", "'").split())
    return f"`{'…' if start > 0 else ''}{snippet}{'…' if end < len(template) else ''}`"


def template_problem(template: str) -> str | None:
    """Return a sentence naming the first typo in a template, or None when it is sound.

    Braces only ever hold a placeholder (there is no way to write a literal brace). Typos are a
    `{name}` that is not one of PLACEHOLDERS, a placeholder in double braces (`{{artist}}`, as
    other bots write them), a `{` without its `}` and a `}` without its `{`; each sentence
    quotes what the moderator wrote, since fans would otherwise see the braces as typed.
    """
    names = ["{" + p + "}" for p in PLACEHOLDERS]
    allowed = ", ".join(names[:-1]) + " or " + names[-1]
    doubled = _DOUBLED.search(template)
    if doubled is not None:
        return (
            f"`{doubled.group(0)}` has two pairs of braces; a placeholder takes one pair: "
            f"`{{{doubled.group(1)}}}`."
        )
    pos = 0
    while pos < len(template):
        char = template[pos]
        if char == "}":
            return (
                f"It has a `}}` without its `{{` in {_quoted(template, pos)}; braces only "
                f"hold a placeholder: {allowed}."
            )
        if char == "{":
            end = template.find("}", pos + 1)
            nxt = template.find("{", pos + 1)
            if end == -1 or (nxt != -1 and nxt < end):
                return (
                    f"It has a `{{` without its `}}` in {_quoted(template, pos)}; braces only "
                    f"hold a placeholder: {allowed}."
                )
            name = template[pos + 1 : end]
            if name not in PLACEHOLDERS:
                shown = name[:30].replace("`", "'")
                return f"`{{{shown}}}` is not a placeholder; use {allowed}."
            pos = end + 1
            continue
        pos += 1
    return None


def validate_template(template: str) -> str:
    """Return a cleaned user template.

    Raises InvalidInput if it is empty, longer than TEMPLATE_MAX characters, or has a typo
    (see template_problem).
    """
    cleaned = clean_text(template, multiline=True)
    if not cleaned:
        raise InvalidInput("The message template cannot be empty.")
    if len(cleaned) > TEMPLATE_MAX:
        raise InvalidInput(
            f"The message template can be at most {TEMPLATE_MAX} characters "
            f"(it has {len(cleaned)})."
        )
    problem = template_problem(cleaned)
    if problem:
        raise InvalidInput(f"The message template has a typo. {problem}")
    return cleaned


def render_template(template: str, values: Mapping[str, str]) -> str:
    """Fill `{artist} {title} {url} {start}`; other braces stay literal, template mentions break.

    Values are inserted as given: the caller escapes text that came from X or from people. The
    template's own text is the moderator's, so its markdown stays but its mentions are broken.
    """
    out: list[str] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        out.append(neutralise_mentions(template[pos : match.start()]))
        out.append(values.get(match.group(1), match.group(0)))
        pos = match.end()
    out.append(neutralise_mentions(template[pos:]))
    return "".join(out)


def format_duration(length: timedelta) -> str:
    """Render a Space's length as "1 h 5 min", "12 min" or "40 s"."""
    seconds = max(int(length.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


def format_listeners(count: int | None) -> str:
    """Render a listener count with thousands separators ("12,345 listeners")."""
    if count is None:
        return "unknown"
    noun = "listener" if count == 1 else "listeners"
    return f"{count:,} {noun}"


def space_url(space_id: str) -> str:
    """Return the public link of a Space."""
    return f"https://x.com/i/spaces/{space_id}"
