"""Validate party links and label the streaming platform they point at."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.errors import InvalidInput

MAX_LINK_LENGTH = 512

# Order matters: the more specific host (music.youtube.com) must win over its parent domain.
_PLATFORMS: tuple[tuple[str, str], ...] = (
    ("music.youtube.com", "YouTube Music"),
    ("youtube.com", "YouTube"),
    ("youtu.be", "YouTube"),
    ("youtube-nocookie.com", "YouTube"),
    ("open.spotify.com", "Spotify"),
    ("spotify.com", "Spotify"),
    ("spotify.link", "Spotify"),
    ("music.apple.com", "Apple Music"),
    ("melon.com", "Melon"),
    ("genie.co.kr", "Genie"),
    ("bugs.co.kr", "Bugs"),
    ("music-flo.com", "FLO"),
    ("vlive.tv", "VLIVE"),
    ("weverse.io", "Weverse"),
    ("tiktok.com", "TikTok"),
    ("x.com", "X"),
    ("twitter.com", "X"),
    ("twitch.tv", "Twitch"),
)

_FORBIDDEN_CHARS = re.compile(r"[\s\x00-\x1f\x7f<>\"`\\]")
_EXAMPLE = "Use a full https link, e.g. `https://www.youtube.com/watch?v=...`."


@dataclass(frozen=True, slots=True)
class LinkInfo:
    """A validated https link and the platform label it earned (None for other sites)."""

    url: str
    platform_label: str | None


def _platform_for(host: str) -> str | None:
    for domain, label in _PLATFORMS:
        if host == domain or host.endswith("." + domain):
            return label
    return None


def classify_link(url: str) -> LinkInfo:
    """Validate an https URL and label its platform; raise InvalidInput for anything unsafe."""
    text = url.strip()
    # Discord users often wrap links in <> to suppress embeds.
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if not text:
        raise InvalidInput(f"The link is empty. {_EXAMPLE}")
    if len(text) > MAX_LINK_LENGTH:
        raise InvalidInput(f"The link is longer than {MAX_LINK_LENGTH} characters. {_EXAMPLE}")
    if _FORBIDDEN_CHARS.search(text):
        raise InvalidInput(f"The link contains spaces or characters a URL cannot have. {_EXAMPLE}")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower().rstrip(".")
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError as exc:
        raise InvalidInput(f"That is not a valid link. {_EXAMPLE}") from exc
    if parts.scheme.lower() != "https":
        raise InvalidInput(f"Only https links are accepted. {_EXAMPLE}")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise InvalidInput("Links with a user name or password in them are not accepted.")
    if not host or "." not in host:
        raise InvalidInput(f"The link has no valid host name. {_EXAMPLE}")
    return LinkInfo(url=text, platform_label=_platform_for(host))
