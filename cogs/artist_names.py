"""What every command that takes an artist accepts, and what it answers when the name is not exact.

The rule itself is `bot.domain.catalog.pick.pick_artist`; this module only words its answers,
so `/artist`, `/aliases add`, `/spaces follow`, `/spaces announce` and `/party schedule` say the
same thing about "OT7": "No act is called “OT7”. Did you mean GOT7?".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.core.checks import safe_text
from bot.domain.catalog import Catalog, Entry
from bot.domain.catalog.pick import ArtistPick, choice_labels, pick_artist
from bot.errors import InvalidInput, NotFound

RUN_AGAIN = "Run the command again with the exact name, or pick it from the list while you type."


def shown_query(text: str) -> str:
    """Return what the person typed, made safe to quote (“…”) in a reply."""
    return safe_text(" ".join(text.split()), 60) or "that"


def or_words(parts: Sequence[str]) -> str:
    """Join choices as a person offers them: "a", "a or b", "a, b or c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} or {parts[-1]}"


def named(catalog: Catalog, entries: Sequence[Entry]) -> str:
    """Name entries in bold, told apart from each other, as "**A**, **B** or **C**"."""
    return or_words([f"**{safe_text(label, 100)}**" for label in choice_labels(catalog, entries)])


def near_miss_text(catalog: Catalog, pick: ArtistPick, then: str = RUN_AGAIN) -> str:
    """Return "No act is called “OT7”. Did you mean **GOT7**?" followed by `then`."""
    guesses = named(catalog, pick.entries[: pick.likely])
    return f"No act is called “{shown_query(pick.query)}”. Did you mean {guesses}? {then}"


def choice_text(catalog: Catalog, pick: ArtistPick, then: str | None = None) -> str:
    """Return "“Jimin” could be several acts: **…** or **…**." followed by `then`."""
    follow = then or "Pick the one you mean from the list while you type."
    return (
        f"“{shown_query(pick.query)}” could be several acts: "
        f"{named(catalog, pick.entries[:5])}. {follow}"
    )


def require_artist(
    catalog: Catalog,
    text: str,
    *,
    aliases: Mapping[str, str] | None = None,
    keep: Callable[[Entry], bool] | None = None,
) -> Entry | None:
    """Return the entry `text` names exactly, or None when no act is even close.

    Raises NotFound ("Did you mean …?") for a near miss and InvalidInput naming the choices
    when several entries share the name; never guesses.
    """
    pick = pick_artist(catalog, text, extra_aliases=aliases, keep=keep)
    if pick.kind == "near":
        raise NotFound(near_miss_text(catalog, pick))
    if pick.kind == "choose":
        raise InvalidInput(choice_text(catalog, pick))
    return pick.entry
